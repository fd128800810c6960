using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Importing;

namespace Amn.Rollover
{
    [Cmdlet(VerbsData.Import, "AmnStudent", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(StudentImportResult))]
    [OutputType(typeof(Core.Model.Student))]
    public sealed class ImportAmnStudentCommand : RecordImportCmdlet<StudentRecord>
    {
        [Parameter]
        [ValidateNotNull]
        public string Folder { get; set; }

        [Parameter]
        public SwitchParameter AllowIdentityChange { get; set; }

        protected override ImportKind Kind => ImportKind.Student;

        protected override void EndProcessing()
        {
            var store = Store;
            var options = new StudentImportOptions { Folder = Folder, AllowIdentityChange = AllowIdentityChange, Source = Source };
            using (var connection = store.OpenConnection())
            using (var transaction = connection.BeginTransaction())
            {
                var plan = StudentImporter.Plan(connection, transaction, Records, options);
                var target = $"tenant '{store.Path}': {Records.Count} rows from {Source ?? "no input"}: {plan.Created} new, {plan.Updated} updated, {plan.Unchanged} unchanged, {plan.Failed} failed; {plan.GroupsCreated} new groups";
                var apply = ShouldProcess(target, "Import students");
                if (apply)
                {
                    var progress = new ProgressReporter(this, $"Importing students into {store.Path}");
                    try
                    {
                        StudentImporter.Apply(connection, transaction, plan, Source, Stopping.Token, (done, total) => progress.Report($"{done} of {total} rows", (double)done / total));
                    }
                    catch (System.OperationCanceledException)
                    {
                        throw new PipelineStoppedException();
                    }
                    progress.Complete();
                }
                var failed = plan.Rows.Where(r => r.Action == ImportAction.Failed).Select(r => ((ImportRecord)r.Record, r.Errors)).ToList();
                WriteRowErrors(failed);
                if (apply)
                {
                    transaction.Commit();
                    WriteErrorLog(failed);
                }
                plan.WhatIf = !apply;
                if (PassThru) WriteObject(plan.Rows.Where(r => r.Student != null).Select(r => r.Student), enumerateCollection: true);
                else WriteObject(plan);
            }
        }
    }
}
