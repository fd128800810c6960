using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Importing;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover
{
    /// <summary>
    /// What Import-AmnStudent and Import-AmnStaff share: records from -Path or the pipeline,
    /// failed rows to the error stream and to -ErrorLogPath, and Ctrl+C.
    /// </summary>
    public abstract class RecordImportCmdlet<TRecord> : ImportFileCmdlet, IDisposable where TRecord : ImportRecord
    {
        protected const string PathSet = "Path";
        protected const string InputSet = "InputObject";

        private PipelineRecordConverter _converter;
        private char _errorLogDelimiter = ';';
        private SqliteConnection _connection;
        private SqliteTransaction _transaction;
        private Task<object> _preload;

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

        protected abstract ImportKind Kind { get; }
        protected List<TRecord> Records { get; } = new List<TRecord>();
        /// <summary>The file path, or "pipeline".</summary>
        protected string Source { get; private set; }
        protected CancellationTokenSource Cancellation { get; } = new CancellationTokenSource();

        /// <summary>
        /// Store work that can run while the input is read: on another thread, in the transaction the
        /// import writes in (taken now, so the store cannot change between that work and the writes;
        /// other writers wait). Null when there is none.
        /// </summary>
        protected virtual Func<SqliteConnection, SqliteTransaction, object> Preload => null;

        protected override void BeginProcessing()
        {
            if (ErrorLogPath != null) ErrorLogPath = ResolveOutputPath(ErrorLogPath, nameof(ErrorLogPath));
            _connection = Store.OpenConnection();
            _transaction = _connection.BeginTransaction(deferred: IsWhatIf);
            var preload = Preload;
            if (preload == null) return;
            var connection = _connection;
            var transaction = _transaction;
            _preload = Task.Run(() => preload(connection, transaction));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == PathSet)
            {
                ReadFile();
                return;
            }
            Source = "pipeline";
            _converter = _converter ?? new PipelineRecordConverter(Kind, Product, ToDictionary(ColumnMap));
            Records.Add((TRecord)Run(() => _converter.Convert(InputObject)));
        }

        private void ReadFile()
        {
            using (var reader = OpenImportFile(Path, Kind))
            {
                Source = reader.Report.Path;
                if (reader.Report.Delimiter?.Length == 1) _errorLogDelimiter = reader.Report.Delimiter[0];
                foreach (var warning in reader.Report.Warnings) WriteWarning(warning.Message);
                var progress = new ProgressReporter(this, $"Reading {reader.Report.Path}");
                foreach (var record in reader.ReadRecords(trackDuplicates: false)) // the importers check duplicates over all rows
                {
                    Records.Add((TRecord)record);
                    progress.Report($"{Records.Count} rows read", reader.Fraction);
                }
                progress.Complete();
            }
        }

        /// <summary>
        /// The shape of every import: plan in a transaction, confirm once with the counts, apply,
        /// report the rows (under -ErrorAction Stop the first failed row rolls everything back),
        /// commit, then the error log and the output.
        /// </summary>
        protected void RunImport<TResult>(string action, Func<SqliteConnection, SqliteTransaction, object, TResult> plan, Action<SqliteConnection, SqliteTransaction, TResult> apply)
            where TResult : IImportResult
        {
            var preloaded = _preload?.GetAwaiter().GetResult();
            var result = plan(_connection, _transaction, preloaded);
            var confirmed = ShouldProcess($"tenant '{Store.Path}': {Records.Count} rows from {Source ?? "no input"}: {result.Describe()}", action);
            if (confirmed)
            {
                try { apply(_connection, _transaction, result); }
                catch (OperationCanceledException) { throw new PipelineStoppedException(); }
            }
            WriteRowWarnings(result.RowWarnings());
            var failed = result.FailedRows().ToList();
            WriteRowErrors(failed);
            if (confirmed)
            {
                _transaction.Commit();
                WriteErrorLog(failed);
            }
            result.WhatIf = !confirmed;
            if (PassThru) WriteObject(result.StoredObjects(), enumerateCollection: true);
            else WriteObject(result);
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
            var path = ResolvePath(ErrorLogPath);
            Run(() => ErrorLog.Write(path, failed, _errorLogDelimiter));
            WriteVerbose($"Wrote {failed.Count} failed rows to '{path}'.");
        }

        protected override void StopProcessing() => Cancellation.Cancel();

        /// <summary>PowerShell disposes the cmdlet when the pipeline ends, also after an error or Ctrl+C: an uncommitted import rolls back.</summary>
        public void Dispose()
        {
            try { _preload?.Wait(); } catch (AggregateException) { } // never dispose the connection under the preload's feet
            _transaction?.Dispose();
            _connection?.Dispose();
        }
    }
}
