using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Importing;

namespace Amn.Rollover
{
    [Cmdlet(VerbsData.Import, "AmnStaff", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(StaffImportResult))]
    [OutputType(typeof(Core.Model.Staff))]
    public sealed class ImportAmnStaffCommand : RecordImportCmdlet<StaffRecord>
    {
        [Parameter]
        public SwitchParameter CreateMissingGroups { get; set; }

        [Parameter]
        public SwitchParameter Exclusive { get; set; }

        protected override ImportKind Kind => ImportKind.Staff;

        protected override void EndProcessing()
        {
            var store = Store;
            var options = new StaffImportOptions { CreateMissingGroups = CreateMissingGroups, Exclusive = Exclusive };
            using (var connection = store.OpenConnection())
            using (var transaction = connection.BeginTransaction())
            {
                var plan = StaffImporter.Plan(connection, transaction, Records, options);
                var target = $"tenant '{store.Path}': {Records.Count} staff rows from {Source ?? "no input"}: {plan.Created} new, {plan.Updated} updated, {plan.Unchanged} unchanged, {plan.Failed} failed; {plan.LinksAdded} links added, {plan.LinksRemoved} removed";
                var apply = ShouldProcess(target, "Import staff");
                if (apply) StaffImporter.Apply(connection, transaction, plan, Source);
                WriteRowWarnings(plan.Rows.Select(r => r.Warnings));
                var failed = plan.Rows.Where(r => r.Action == ImportAction.Failed).Select(r => ((ImportRecord)r.Record, r.Errors)).ToList();
                WriteRowErrors(failed);
                if (apply)
                {
                    transaction.Commit();
                    WriteErrorLog(failed);
                }
                plan.WhatIf = !apply;
                if (PassThru) WriteObject(plan.Rows.Where(r => r.Staff != null).Select(r => r.Staff), enumerateCollection: true);
                else WriteObject(plan);
            }
        }
    }
}
