using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    /// <summary>
    /// Base of every Amn.Rollover cmdlet. It owns the lifecycle: each step (<see cref="Begin"/>,
    /// <see cref="Process"/>, <see cref="End"/>) runs inside one handler that turns every exception
    /// into an ErrorRecord with a stable id (no raw .NET or SQLite text reaches the user), and every
    /// read or change of the store the cmdlet begins through <see cref="BeginRead"/> or <see cref="BeginChange()"/> ends when
    /// PowerShell disposes the cmdlet: after success, an error, -ErrorAction Stop, Ctrl+C or a
    /// downstream Select-Object -First. It also resolves -Tenant with its fallback to the session's tenant.
    /// </summary>
    public abstract class AmnCmdlet : PSCmdlet, IDisposable
    {
        private readonly List<IDisposable> _owned = new List<IDisposable>();
        private TenantStore _store;
        private ProgressReporter _waitProgress;

        /// <summary>The tenant store to work on; defaults to the one Connect-AmnTenant made current.</summary>
        [Parameter]
        [TenantTransformation]
        public TenantStore Tenant { get; set; }

        /// <summary>The store this invocation works on, resolved on first use.</summary>
        protected TenantStore Store
        {
            get
            {
                if (_store != null) return _store;
                _store = Tenant ?? TenantSession.Current;
                if (_store == null)
                {
                    if (TenantSession.FailedConnect != null)
                        throw new AmnException("NoTenantConnected", AmnErrorCategory.InvalidOperation,
                            Messages.Format("NoTenantConnected", TenantSession.FailedConnect), TenantSession.FailedConnect);
                    var path = TenantStore.DefaultPath();
                    WriteVerbose(Messages.Format("ConnectingDefaultStore", path));
                    _store = TenantStore.Open(path, createFolder: true);
                    TenantSession.Current = _store;
                    if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AMN_TENANT_PATH"))) TenantSession.UnannouncedDefault = _store;
                }
                return _store;
            }
        }

        protected virtual void Begin() { }
        protected virtual void Process() { }
        protected virtual void End() { }

        /// <summary>Frees what the cmdlet holds beyond its reads and writes of the store (threads, queues); called once on every path.</summary>
        protected virtual void Release() { }

        protected sealed override void BeginProcessing() => Guard(Begin);
        protected sealed override void ProcessRecord() => Guard(Process);
        protected sealed override void EndProcessing() => Guard(End);

        /// <summary>PowerShell disposes a cmdlet when its pipeline ends, however it ends.</summary>
        public void Dispose()
        {
            try { Release(); }
            finally
            {
                foreach (var item in Enumerable.Reverse(_owned)) item.Dispose();
                _owned.Clear();
            }
        }

        /// <summary>A read of <see cref="Store"/> (one consistent view) that lasts until the cmdlet is disposed, or the caller disposes it earlier.</summary>
        protected TenantWork BeginRead() => Own(Store.BeginRead());

        /// <summary>
        /// The change of an operation that plans, asks and applies (an import, the rollover, an erasure; see
        /// <see cref="PlannedChange"/>): planned on a read under -WhatIf and when the user will be asked (by the
        /// cmdlet's ConfirmImpact, $ConfirmPreference and -Confirm), so no lock is held while a question is open;
        /// planned under the lock when nobody will be asked.
        /// </summary>
        protected PlannedChange BeginChange() => BeginChange(IsWhatIf ? Confirmation.WhatIf : WillAsk() ? Confirmation.Asked : Confirmation.NotAsked);

        /// <summary>As <see cref="BeginChange()"/>, when the cmdlet knows already how it is confirmed (it asked before planning).</summary>
        protected PlannedChange BeginChange(Confirmation confirmation)
            => Own(confirmation == Confirmation.WhatIf ? PlannedChange.Begin(Store, confirmation) : Writing(_ => PlannedChange.Begin(Store, confirmation, ReportWaiting)));

        /// <summary>Whether ShouldProcess will ask: -Confirm says so, or the cmdlet's ConfirmImpact reaches $ConfirmPreference.</summary>
        private bool WillAsk()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm)) return LanguagePrimitives.IsTrue(confirm);
            var impact = ((CmdletAttribute)Attribute.GetCustomAttribute(GetType(), typeof(CmdletAttribute)))?.ConfirmImpact ?? ConfirmImpact.Medium;
            if (!LanguagePrimitives.TryConvertTo(GetVariableValue("ConfirmPreference", ConfirmImpact.High), out ConfirmImpact preference)) preference = ConfirmImpact.High;
            return preference != ConfirmImpact.None && impact >= preference;
        }

        /// <summary>A read of its own, closed afterwards.</summary>
        protected T Read<T>(Func<TenantWork, T> read)
        {
            using (var work = BeginRead()) return read(work);
        }

        /// <summary>
        /// Runs a Core operation that writes, giving it the callback that tells the user while another
        /// session holds the store; the first write of a session on the default store says so.
        /// </summary>
        protected T Writing<T>(Func<Action<string>, T> operation)
        {
            if (Store == TenantSession.UnannouncedDefault)
            {
                TenantSession.UnannouncedDefault = null;
                WriteWarning(Messages.Format("DefaultStoreWarning", Store.Path));
            }
            try { return operation(ReportWaiting); }
            finally
            {
                _waitProgress?.Complete();
                _waitProgress = null;
            }
        }

        private T Own<T>(T work) where T : IDisposable
        {
            _owned.Add(work);
            return work;
        }

        private void ReportWaiting(string message)
        {
            if (_waitProgress == null)
            {
                WriteVerbose(message);
                _waitProgress = new ProgressReporter(this, Messages.Get("WaitingForStore"));
            }
            _waitProgress.Report(message, null);
        }

        private void Guard(Action step)
        {
            try
            {
                step();
            }
            catch (Exception e) when (!(e is RuntimeException)) // PowerShell's own (errors already written, a stop) pass as they are
            {
                if (Stopping || e is OperationCanceledException) throw new PipelineStoppedException();
                ThrowTerminatingError(ToErrorRecord(e));
            }
        }

        /// <summary>An exception from Core as an ErrorRecord: our own errors as they are, SQLite's translated, anything else as an internal error.</summary>
        private ErrorRecord ToErrorRecord(Exception e)
        {
            while (e is AggregateException aggregate && aggregate.InnerExceptions.Count == 1) e = aggregate.InnerException;
            switch (e)
            {
                case AmnException amn:
                    return ToErrorRecord(amn);
                case Exception _ when _store?.Translate(e) is AmnException store:
                    return ToErrorRecord(store);
                case RuntimeException runtime:
                    return runtime.ErrorRecord;
                case PSInvalidOperationException _ when IsHostPrompt(e):
                    return ToErrorRecord(new AmnException("HostCannotAsk", AmnErrorCategory.InvalidOperation,
                        Messages.Format("HostCannotAsk", MyInvocation.MyCommand.Name), null, e));
                case OperationCanceledException _:
                    return new ErrorRecord(e, "Stopped", ErrorCategory.OperationStopped, null);
                case IOException _:
                case UnauthorizedAccessException _:
                    return ToErrorRecord(new AmnException("FileError", AmnErrorCategory.WriteError,
                        Messages.Format("FileError", MyInvocation.MyCommand.Name, e.GetType().Name, e.Message), null, e));
                default:
                    return ToErrorRecord(new AmnException("InternalError", AmnErrorCategory.InvalidOperation,
                        Messages.Format("InternalError", MyInvocation.MyCommand.Name, e.GetType().Name), null, e));
            }
        }

        protected static ErrorRecord ToErrorRecord(AmnException e)
        {
            var category = (ErrorCategory)Enum.Parse(typeof(ErrorCategory), e.Category.ToString());
            return new ErrorRecord(e, e.ErrorId, category, e.Target);
        }

        /// <summary>
        /// ShouldProcess that, in a session that cannot ask (pwsh -NonInteractive, a scheduled task),
        /// stops with an error of the module's own instead of PowerShell's "NonInteractive mode" exception.
        /// Every cmdlet asks before it changes anything, so nothing has been changed then.
        /// </summary>
        protected new bool ShouldProcess(string target, string action)
        {
            try { return base.ShouldProcess(target, action); }
            catch (PSInvalidOperationException e) when (IsHostPrompt(e))
            {
                throw new AmnException("ConfirmationNeeded", AmnErrorCategory.InvalidOperation,
                    Messages.Format("ConfirmationNeeded", MyInvocation.MyCommand.Name, target), target, e);
            }
        }

        /// <summary>
        /// True for the exception a host throws when it is asked to prompt or read and cannot (the
        /// console host with -NonInteractive); also what -WarningAction Inquire and the like meet there.
        /// </summary>
        private static bool IsHostPrompt(Exception e) =>
            new System.Diagnostics.StackTrace(e).GetFrames()?.Any(frame =>
                frame.GetMethod()?.DeclaringType is Type type && typeof(System.Management.Automation.Host.PSHostUserInterface).IsAssignableFrom(type)) == true;

        /// <summary>True when -WhatIf is in force, to tell a what-if run from a declined confirmation.</summary>
        protected bool IsWhatIf
        {
            get
            {
                if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)) return LanguagePrimitives.IsTrue(bound);
                return LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference", false));
            }
        }

        /// <summary>
        /// The items whose name matches any of the wildcard patterns, each once; a pattern without
        /// wildcards that matches nothing is a non-terminating ObjectNotFound error.
        /// </summary>
        internal List<T> MatchNames<T>(IEnumerable<T> items, IEnumerable<string> patterns, Func<T, string> name, string errorId, Func<string, string> notFoundMessage)
        {
            var all = items.ToList();
            var result = new List<T>();
            foreach (var pattern in patterns)
            {
                var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                var matches = all.Where(item => wildcard.IsMatch(name(item))).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                    WriteError(ToErrorRecord(new AmnException(errorId, AmnErrorCategory.ObjectNotFound, notFoundMessage(pattern), pattern)));
                result.AddRange(matches.Where(m => !result.Contains(m)));
            }
            return result;
        }

        /// <summary>
        /// Resolves an output file path and stops with a clear error when its folder does not exist or
        /// cannot be written, or the path is a link or a folder, before any work is done (so a typo in
        /// -ReportPath never costs a finished run its report). Whether an existing file may be replaced
        /// is a question of its own (<see cref="OutputFile.CheckOverwrite"/>, -AllowOverwrite), asked by
        /// the cmdlet after what matters more (the rollover's safety limits).
        /// </summary>
        protected string ResolveOutputPath(string path, string parameterName)
        {
            var resolved = ResolvePath(path);
            var folder = System.IO.Path.GetDirectoryName(resolved);
            if (!string.IsNullOrEmpty(folder) && !System.IO.Directory.Exists(folder))
                ThrowTerminatingError(ToErrorRecord(new AmnException("OutputFolderNotFound", AmnErrorCategory.ObjectNotFound,
                    Messages.Format("OutputFolderNotFound", parameterName, resolved, folder), resolved)));
            OutputFile.CheckTarget(resolved, parameterName);
            return resolved;
        }

        /// <summary>Emits a file as Get-Item would show it (mode, size, provider path).</summary>
        protected void WriteFileItem(string path) => WriteObject(InvokeProvider.Item.Get(path), enumerateCollection: true);

        /// <summary>Resolves a path the way PowerShell users expect: relative to the current location, ~ expanded.</summary>
        protected string ResolvePath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
    }
}
