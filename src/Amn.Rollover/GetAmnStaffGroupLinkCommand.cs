using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Get, "AmnStaffGroupLink")]
    [OutputType(typeof(StaffGroupLink))]
    public sealed class GetAmnStaffGroupLinkCommand : AmnCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("gebruikersnaam")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(StaffNameCompleter))]
        public string UserName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Group { get; set; }

        protected override void Process()
        {
            var group = new WildcardPattern(Group ?? "*", WildcardOptions.IgnoreCase);
            using (var read = BeginRead())
            {
                if (Group != null && GroupMatcher.Resolve(this, read, new[] { Group }).Count == 0) return;
                var staff = MatchNames(StaffTable.LoadAll(read).Values.Select(r => r.Staff), new[] { UserName ?? "*" }, s => s.UserName, "StaffNotFound",
                    pattern => Messages.Format("NoStaff", pattern, Store.Path));
                var links = staff.SelectMany(s => s.Groups.Where(group.IsMatch).Select(g => new StaffGroupLink(s.UserName, g)));
                WriteObject(links, enumerateCollection: true);
            }
        }
    }
}
