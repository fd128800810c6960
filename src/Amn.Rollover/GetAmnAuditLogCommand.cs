using System;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Get, "AmnAuditLog")]
    [OutputType(typeof(AuditEntry))]
    public sealed class GetAmnAuditLogCommand : AmnCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Guid? RunId { get; set; }

        [Parameter]
        public DateTime? Since { get; set; }

        [Parameter]
        [ValidateSet("ImportStudents", "ImportStaff", "RemoveGroups", "NewGroup", "SetStaffGroupLinks", "RemoveStaff", "EraseStudent", "Rollover", "RestoreTenant")]
        public string Action { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int First { get; set; } = int.MaxValue;

        protected override void Process()
        {
            using (var read = BeginRead())
                WriteObject(AuditEntry.Query(read, RunId, Since, Action).Take(First).ToList(), enumerateCollection: true);
        }
    }
}
