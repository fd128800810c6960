using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
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
    public abstract class RecordImportCmdlet<TRecord> : ImportFileCmdlet where TRecord : ImportRecord
    {
        protected const string PathSet = "Path";
        protected const string InputSet = "InputObject";

        private PipelineRecordConverter _converter;
        private char _errorLogDelimiter = ';';

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
        protected CancellationTokenSource Stopping { get; } = new CancellationTokenSource();

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
        protected void RunImport<TResult>(string action, Func<SqliteConnection, SqliteTransaction, TResult> plan, Action<SqliteConnection, SqliteTransaction, TResult> apply)
            where TResult : IImportResult
        {
            var store = Store;
            using (var connection = store.OpenConnection())
            using (var transaction = connection.BeginTransaction())
            {
                var result = plan(connection, transaction);
                var confirmed = ShouldProcess($"tenant '{store.Path}': {Records.Count} rows from {Source ?? "no input"}: {result.Describe()}", action);
                if (confirmed)
                {
                    try { apply(connection, transaction, result); }
                    catch (OperationCanceledException) { throw new PipelineStoppedException(); }
                }
                WriteRowWarnings(result.RowWarnings());
                var failed = result.FailedRows().ToList();
                WriteRowErrors(failed);
                if (confirmed)
                {
                    transaction.Commit();
                    WriteErrorLog(failed);
                }
                result.WhatIf = !confirmed;
                if (PassThru) WriteObject(result.StoredObjects(), enumerateCollection: true);
                else WriteObject(result);
            }
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

        protected override void StopProcessing() => Stopping.Cancel();
    }
}
