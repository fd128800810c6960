using System.Management.Automation;
using Amn.Rollover.Core;
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

        protected override void End()
        {
            var options = new StaffImportOptions { CreateMissingGroups = CreateMissingGroups, Exclusive = Exclusive };
            RunImport(Messages.Get("ImportStaffAction"),
                work => StaffImporter.Plan(work, Records, options),
                (work, plan) => StaffImporter.Apply(work, plan, Source));
        }
    }
}
