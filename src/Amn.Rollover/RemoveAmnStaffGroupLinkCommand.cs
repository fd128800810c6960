using System.Collections.Generic;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Remove, "AmnStaffGroupLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(StaffGroupLink))]
    public sealed class RemoveAmnStaffGroupLinkCommand : StaffLinkCmdlet
    {
        protected override LinkChange Plan(Staff staff, string[] groups, IDictionary<string, string> groupNames) => StaffLinks.PlanRemove(staff, groups);

        protected override string Describe(LinkChange change) => Messages.Format("UnlinkFrom", string.Join(", ", change.Removed));
    }
}
