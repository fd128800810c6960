using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    /// <summary>
    /// What Import-AmnStudent and Import-AmnStaff share: records from -Path or the pipeline, the
    /// store write (or -WhatIf read) for the whole invocation, failed rows to the error stream and
    /// to -ErrorLogPath, and Ctrl+C. A cmdlet either collects the records and plans at the end
    /// (<see cref="RunImport{TResult}"/>), or hands them to a consumer on another thread while they
    /// are still being read (<see cref="StartConsumer"/>).
    /// </summary>
    public abstract class RecordImportCmdlet<TRecord> : ImportFileCmdlet where TRecord : ImportRecord
    {
        protected const string PathSet = "Path";
        protected const string InputSet = "InputObject";
        private const int BatchSize = 512;

        private PipelineRecordConverter _converter;
        private char _errorLogDelimiter = ';';
        private BlockingCollection<List<TRecord>> _queue;
        private List<TRecord> _batch;
        private Task<IImportResult> _consumer;
        private int _accepted;
        private ProgressReporter _pipelineProgress; // a running count: piped input has no total
        private int _piped;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public PSObject InputObject { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ErrorLogPath { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Replaces an existing -ErrorLogPath file.</summary>
        [Parameter]
        public SwitchParameter AllowOverwrite { get; set; }

        protected abstract ImportKind Kind { get; }
        /// <summary>The records read, when no consumer takes them as they come.</summary>
        protected List<TRecord> Records { get; } = new List<TRecord>();
        /// <summary>The file path, or "pipeline".</summary>
        protected string Source { get; private set; }
        protected CancellationTokenSource Cancellation { get; } = new CancellationTokenSource();
        /// <summary>
        /// The change of this invocation, begun when the cmdlet starts: when nobody will be asked, the
        /// write itself, so the store cannot change under the import (other writers wait); otherwise a
        /// read, and the lock is taken once the user has said yes (see <see cref="PlannedChange"/>).
        /// </summary>
        protected PlannedChange Change { get; set; }

        /// <summary>What the import plans on (and, when nobody is asked, writes in).</summary>
        protected TenantWork Work => Change.Plan;

        protected override void Begin()
        {
            CheckErrorLogPath();
            Change = BeginChange();
        }

        /// <summary>An error log that would overwrite a file without -AllowOverwrite is refused before anything is read or changed.</summary>
        protected void CheckErrorLogPath()
        {
            if (ErrorLogPath == null) return;
            ErrorLogPath = ResolveOutputPath(ErrorLogPath, nameof(ErrorLogPath));
            OutputFile.CheckOverwrite(ErrorLogPath, AllowOverwrite, nameof(ErrorLogPath));
        }

        /// <summary>
        /// Runs <paramref name="consume"/> on another thread over the records as they are read (in
        /// batches), using <see cref="Work"/> only from there until <see cref="FinishConsumer"/>.
        /// </summary>
        protected void StartConsumer(Func<IEnumerable<TRecord>, IImportResult> consume)
        {
            // Unbounded: the consumer keeps every record in its result anyway, and a bound would stall
            // reading while the consumer loads the stored pupils.
            _queue = new BlockingCollection<List<TRecord>>();
            _batch = new List<TRecord>(BatchSize);
            var token = Cancellation.Token;
            var queue = _queue;
            _consumer = Task.Run(() =>
            {
                try
                {
                    return consume(queue.GetConsumingEnumerable(token).SelectMany(batch => batch));
                }
                catch
                {
                    queue.CompleteAdding(); // a reader waiting to hand over more rows stops waiting
                    throw;
                }
            });
        }

        /// <summary>
        /// Waits for the consumer to take the last records, showing how far it is (with
        /// <paramref name="done"/>, read from this thread while the consumer counts), and returns what it made.
        /// </summary>
        protected IImportResult FinishConsumer(string activity, Func<int> done)
        {
            _pipelineProgress?.Complete();
            if (_batch.Count > 0) Hand(_batch);
            _queue.CompleteAdding();
            var progress = new ProgressReporter(this, activity);
            while (!_consumer.Wait(250))
                progress.Report(Messages.Format("RowsOf", done(), _accepted), (double)done() / Math.Max(1, _accepted));
            progress.Complete();
            try { return _consumer.GetAwaiter().GetResult(); }
            catch (OperationCanceledException) { throw new PipelineStoppedException(); }
        }

        private void Accept(TRecord record)
        {
            if (_queue == null) { Records.Add(record); return; }
            _accepted++;
            _batch.Add(record);
            if (_batch.Count < BatchSize) return;
            Hand(_batch);
            _batch = new List<TRecord>(BatchSize);
        }

        private void Hand(List<TRecord> batch)
        {
            try { _queue.Add(batch, Cancellation.Token); }
            catch (InvalidOperationException) { _consumer.GetAwaiter().GetResult(); } // the consumer stopped: surface its error
        }

        protected override void Process()
        {
            if (ParameterSetName == PathSet)
            {
                ReadFile();
                return;
            }
            if (InputObject.BaseObject is System.IO.FileSystemInfo file)
            {
                // Get-Item / Get-ChildItem piped in: the file is the input, as for Test-AmnImportFile.
                Path = file.FullName;
                ReadFile();
                return;
            }
            Source = "pipeline";
            _converter = _converter ?? new PipelineRecordConverter(Kind, Product, ToDictionary(ColumnMap), pathReadsFiles: true);
            Accept((TRecord)_converter.Convert(InputObject));
            _pipelineProgress = _pipelineProgress ?? new ProgressReporter(this, Messages.Get("ReadingPiped"));
            _piped++;
            if (_pipelineProgress.IsDue) _pipelineProgress.Report(Messages.Format("ObjectsRead", _piped));
        }

        private void ReadFile()
        {
            using (var reader = OpenImportFile(Path, Kind))
            {
                Source = reader.Report.Path;
                if (reader.Report.Delimiter?.Length == 1) _errorLogDelimiter = reader.Report.Delimiter[0];
                foreach (var warning in reader.Report.Warnings) WriteWarning(warning.Message);
                var progress = new ProgressReporter(this, Messages.Format("ReadingFile", reader.Report.Path));
                int count = 0;
                foreach (var record in reader.ReadRecords(trackDuplicates: false)) // the importers check duplicates over all rows
                {
                    Accept((TRecord)record);
                    count++;
                    if (progress.IsDue) progress.Report(Messages.Format("RowsRead", count), reader.Fraction);
                }
                progress.Complete();
            }
        }

        /// <summary>
        /// The shape of an import that plans before it writes: plan, confirm once with the counts,
        /// apply, then <see cref="Finish"/>.
        /// </summary>
        protected void RunImport<TResult>(string action, Func<TenantWork, TResult> plan, Action<TenantWork, TResult> apply)
            where TResult : IImportResult
        {
            _pipelineProgress?.Complete();
            var result = plan(Work);
            var confirmed = ShouldProcess(Messages.Format("ImportTarget", Store.Path, Records.Count, Source ?? Messages.Get("NoInput"), result.Describe()), action);
            try { Finish(result, confirmed, work => apply(work, result)); }
            catch (OperationCanceledException) { throw new PipelineStoppedException(); }
        }

        /// <summary>
        /// With <paramref name="write"/>, applies the change (<paramref name="apply"/>, when the plan did not write
        /// already) and reports the rows before it commits: under -ErrorAction Stop the first failed row rolls
        /// everything back. Then the error log and the output.
        /// </summary>
        protected void Finish(IImportResult result, bool write, Action<TenantWork> apply = null)
        {
            if (write)
                Writing(_ => Change.Apply(work =>
                {
                    apply?.Invoke(work);
                    ReportRows(result);
                    return true;
                }));
            else ReportRows(result);
            if (write) WriteErrorLog(result.FailedRows().ToList());
            result.WhatIf = !write;
            if (PassThru) WriteObject(result.StoredObjects(), enumerateCollection: true);
            else WriteObject(result);
        }

        private void ReportRows(IImportResult result)
        {
            var failed = result.FailedRows().ToList();
            StopOnWrongEncoding(failed, _piped);
            WriteRowWarnings(result.RowWarnings());
            WriteRowErrors(failed);
        }

        /// <summary>
        /// Piped rows read with the wrong encoding (Import-Csv without -Encoding): the file was read
        /// wrong as a whole, rows without accents included, so nothing is committed.
        /// </summary>
        private void StopOnWrongEncoding(IReadOnlyCollection<(ImportRecord Record, ProblemList Errors)> failed, int rows)
        {
            var misread = failed.Where(f => f.Errors.Any(e => e.ErrorId == "WrongEncoding")).ToList();
            if (misread.Count == 0) return;
            var first = misread[0].Errors.First(e => e.ErrorId == "WrongEncoding");
            ThrowTerminatingError(ToErrorRecord(new AmnException("PipedWrongEncoding", AmnErrorCategory.InvalidData,
                Messages.Format("PipedWrongEncoding", misread.Count, rows, first.Message), misread[0].Record)));
        }

        /// <summary>One non-terminating error per failed row, with the source row as target; throws under -ErrorAction Stop.</summary>
        private void WriteRowErrors(IEnumerable<(ImportRecord Record, ProblemList Errors)> failed)
        {
            foreach (var (record, errors) in failed)
            {
                var first = errors[0];
                var message = string.Join(" ", errors.Select(e => e.Message));
                var exception = new AmnException(first.ErrorId, AmnErrorCategory.InvalidData, $"{Source}: {message}", record);
                WriteError(new ErrorRecord(exception, first.ErrorId, ErrorCategory.InvalidData, record));
            }
        }

        private void WriteRowWarnings(IEnumerable<ProblemList> warnings)
        {
            foreach (var problem in warnings.SelectMany(w => w).Where(p => p.ErrorId != "LeadingZerosLost" && p.ErrorId != "DuplicateRow"))
                WriteWarning(problem.Message);
        }

        private void WriteErrorLog(IReadOnlyCollection<(ImportRecord Record, ProblemList Errors)> failed)
        {
            if (ErrorLogPath == null || failed.Count == 0) return;
            try { ErrorLog.Write(ErrorLogPath, failed, _errorLogDelimiter); }
            catch (AmnException e) when (e.ErrorId == "ErrorLogNotWritten")
            {
                // After the commit: say plainly that the import holds, and why the log is missing.
                WriteError(ToErrorRecord(new AmnException(e.ErrorId, AmnErrorCategory.WriteError,
                    Messages.Format("ImportAppliedErrorLogNotWritten", ErrorLogPath, OutputFile.Reason(e)), ErrorLogPath, e)));
                return;
            }
            WriteVerbose(Messages.Format("WroteFailedRows", failed.Count, ErrorLogPath));
        }

        protected override void StopProcessing() => Cancellation.Cancel();

        /// <summary>When the pipeline ends, also after an error or Ctrl+C: the consumer stops first, then the work is rolled back and closed.</summary>
        protected override void Release()
        {
            if (_consumer != null)
            {
                Cancellation.Cancel();
                try { _consumer.Wait(); } catch (AggregateException) { } // never dispose the work under the consumer's feet
            }
            _queue?.Dispose();
            Change?.Dispose();
        }
    }
}
