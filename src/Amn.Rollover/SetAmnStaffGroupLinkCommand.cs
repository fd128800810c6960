using System.Collections.Generic;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Set, "AmnStaffGroupLink", SupportsShouldProcess = true)]
    [OutputType(typeof(StaffGroupLink))]
    public sealed class SetAmnStaffGroupLinkCommand : StaffLinkCmdlet
    {
        [Parameter]
        public SwitchParameter Exclusive { get; set; }

        [Parameter]
        public SwitchParameter CreateMissingGroups { get; set; }

        protected override LinkChange Plan(Staff staff, string[] groups, IDictionary<string, string> groupNames)
            => StaffLinks.PlanSet(staff, groups, groupNames, Exclusive, CreateMissingGroups);

        protected override string Describe(LinkChange change)
            => (change.Added.Length == 0 ? Messages.Get("LinkToNoNewGroups") : Messages.Format("LinkTo", string.Join(", ", change.Added))) +
               (change.Removed.Length > 0 ? "; " + Messages.Format("UnlinkFrom", string.Join(", ", change.Removed)) : "") +
               (change.CreatedGroups.Length > 0 ? "; " + Messages.Format("CreateGroups", string.Join(", ", change.CreatedGroups)) : "");
    }
}
