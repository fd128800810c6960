using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    /// <summary>
    /// Base of every Amn.Rollover cmdlet: the optional -Tenant parameter with its fallback to the
    /// session's tenant (connecting the default store when there is none), and error helpers.
    /// </summary>
    public abstract class AmnCmdlet : PSCmdlet
    {
        private TenantStore _store;

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
                    var path = TenantStore.DefaultPath();
                    WriteVerbose($"No tenant connected; connecting the default tenant store '{path}'.");
                    _store = Run(() => TenantStore.Open(path, createFolder: true));
                    TenantSession.Current = _store;
                }
                return _store;
            }
        }

        /// <summary>Runs Core code, turning an <see cref="AmnException"/> into a terminating error with its id and category.</summary>
        protected T Run<T>(Func<T> action)
        {
            try
            {
                return action();
            }
            catch (AmnException e)
            {
                ThrowTerminatingError(ToErrorRecord(e));
                throw; // not reached: ThrowTerminatingError always throws
            }
        }

        protected void Run(Action action) => Run(() => { action(); return true; });

        protected static ErrorRecord ToErrorRecord(AmnException e)
        {
            var category = (ErrorCategory)Enum.Parse(typeof(ErrorCategory), e.Category.ToString());
            return new ErrorRecord(e, e.ErrorId, category, e.Target);
        }

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
        /// Resolves an output file path and stops with a clear error when its folder does not exist,
        /// before any work is done (so a typo in -ReportPath never costs a finished run its report).
        /// </summary>
        protected string ResolveOutputPath(string path, string parameterName)
        {
            var resolved = ResolvePath(path);
            var folder = System.IO.Path.GetDirectoryName(resolved);
            if (!string.IsNullOrEmpty(folder) && !System.IO.Directory.Exists(folder))
                ThrowTerminatingError(ToErrorRecord(new AmnException("OutputFolderNotFound", AmnErrorCategory.ObjectNotFound,
                    $"Cannot write -{parameterName} '{resolved}': the folder '{folder}' does not exist. Nothing was changed.", resolved)));
            return resolved;
        }

        /// <summary>Emits a file as Get-Item would show it (mode, size, provider path).</summary>
        protected void WriteFileItem(string path) => WriteObject(InvokeProvider.Item.Get(path), enumerateCollection: true);

        /// <summary>Resolves a path the way PowerShell users expect: relative to the current location, ~ expanded.</summary>
        protected string ResolvePath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
    }
}
