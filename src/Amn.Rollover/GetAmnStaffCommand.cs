using System;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Get, "AmnStaff")]
    [OutputType(typeof(Staff))]
    public sealed class GetAmnStaffCommand : AmnCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("gebruikersnaam")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(StaffNameCompleter))]
        public string[] UserName { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(RoleCompleter))]
        [ValidateNotNullOrEmpty]
        public string Role { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Group { get; set; }

        protected override void Process()
        {
            using (var read = BeginRead())
            {
                if (Group != null && GroupMatcher.Resolve(this, read, new[] { Group }).Count == 0) return;
                var group = Group == null ? null : new WildcardPattern(Group, WildcardOptions.IgnoreCase);
                var staff = StaffTable.LoadAll(read).Values.Select(r => r.Staff)
                    .Where(s => (Role == null || s.Roles.Contains(Role, StringComparer.OrdinalIgnoreCase)) && (group == null || s.Groups.Any(group.IsMatch)));
                WriteObject(MatchNames(staff, UserName ?? new[] { "*" }, s => s.UserName, "StaffNotFound",
                    pattern => Messages.Format(Role != null || Group != null ? "NoStaffWithRoleOrGroup" : "NoStaff", pattern, Store.Path)), enumerateCollection: true);
            }
        }
    }

}
