using System.Linq;
using System.Management.Automation;
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
            var user = new WildcardPattern(UserName ?? "*", WildcardOptions.IgnoreCase);
            var group = new WildcardPattern(Group ?? "*", WildcardOptions.IgnoreCase);
            using (var connection = OpenConnection())
            {
                var links = StaffTable.LoadAll(connection).Values
                    .Where(r => user.IsMatch(r.Staff.UserName))
                    .SelectMany(r => r.Staff.Groups.Where(group.IsMatch).Select(g => new StaffGroupLink(r.Staff.UserName, g)));
                WriteObject(links, enumerateCollection: true);
            }
        }
    }
}
