using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Importing;

namespace Amn.Rollover
{
    [Cmdlet(VerbsData.Import, "AmnStudent", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(StudentImportResult))]
    [OutputType(typeof(Core.Model.Student))]
    public sealed class ImportAmnStudentCommand : ImportFileCmdlet
    {
        private const string PathSet = "Path";
        private const string InputSet = "InputObject";

        private readonly List<StudentRecord> _records = new List<StudentRecord>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private PipelineRecordConverter _converter;
        private string _source;
        private char _errorLogDelimiter = ';';

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public PSObject InputObject { get; set; }

        [Parameter]
        [ValidateNotNull]
        public string Folder { get; set; }

        [Parameter]
        public SwitchParameter AllowIdentityChange { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ErrorLogPath { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == PathSet)
            {
                ReadFile();
                return;
            }
            _source = "pipeline";
            _converter = _converter ?? new PipelineRecordConverter(ImportKind.Student, Product, ToDictionary(ColumnMap));
            _records.Add((StudentRecord)Run(() => _converter.Convert(InputObject)));
        }

        private void ReadFile()
        {
            using (var reader = OpenImportFile(Path, ImportKind.Student))
            {
                _source = reader.Report.Path;
                if (reader.Report.Delimiter?.Length == 1) _errorLogDelimiter = reader.Report.Delimiter[0];
                foreach (var warning in reader.Report.Warnings) WriteWarning(warning.Message);
                var progress = new ProgressReporter(this, $"Reading {reader.Report.Path}");
                foreach (var record in reader.ReadRecords())
                {
                    _records.Add((StudentRecord)record);
                    progress.Report($"{_records.Count} rows read", reader.Fraction);
                }
                progress.Complete();
            }
        }

        protected override void EndProcessing()
        {
            var store = Store;
            var options = new StudentImportOptions { Folder = Folder, AllowIdentityChange = AllowIdentityChange, Source = _source };
            using (var connection = store.OpenConnection())
            using (var transaction = connection.BeginTransaction())
            {
                var plan = StudentImporter.Plan(connection, transaction, _records, options);
                var target = $"tenant '{store.Path}': {_records.Count} rows from {_source ?? "no input"}: {plan.Created} new, {plan.Updated} updated, {plan.Unchanged} unchanged, {plan.Failed} failed; {plan.GroupsCreated} new groups";
                var apply = ShouldProcess(target, "Import students");
                if (apply)
                {
                    var progress = new ProgressReporter(this, $"Importing students into {store.Path}");
                    try
                    {
                        StudentImporter.Apply(connection, transaction, plan, _source, _stop.Token, (done, total) => progress.Report($"{done} of {total} rows", (double)done / total));
                    }
                    catch (System.OperationCanceledException)
                    {
                        throw new PipelineStoppedException();
                    }
                    progress.Complete();
                }
                WriteRowErrors(plan);
                if (apply)
                {
                    transaction.Commit();
                    if (ErrorLogPath != null && plan.Failed > 0) WriteErrorLog(plan);
                }
                plan.WhatIf = !apply;
                if (PassThru) WriteObject(plan.Rows.Where(r => r.Student != null).Select(r => r.Student), enumerateCollection: true);
                else WriteObject(plan);
            }
        }

        private void WriteRowErrors(StudentImportResult plan)
        {
            foreach (var row in plan.Rows.Where(r => r.Action == ImportAction.Failed))
            {
                var first = row.Errors[0];
                var message = string.Join(" ", row.Errors.Select(e => e.Message));
                var exception = new AmnException(first.ErrorId, AmnErrorCategory.InvalidData, $"{_source}: {message}", row.Record);
                WriteError(new ErrorRecord(exception, first.ErrorId, ErrorCategory.InvalidData, row.Record));
            }
        }

        private void WriteErrorLog(StudentImportResult plan)
        {
            var path = ResolvePath(ErrorLogPath);
            Run(() => ErrorLog.Write(path, plan.Rows.Where(r => r.Action == ImportAction.Failed).Select(r => ((ImportRecord)r.Record, r.Errors)), _errorLogDelimiter));
            WriteVerbose($"Wrote {plan.Failed} failed rows to '{path}'.");
        }

        protected override void StopProcessing() => _stop.Cancel();
    }
}
