using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Get, "AmnFolder")]
    [OutputType(typeof(Folder))]
    public sealed class GetAmnFolderCommand : AmnCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNull]
        public string[] Path { get; set; }

        protected override void ProcessRecord()
        {
            using (var connection = Store.OpenConnection())
            {
                var folders = Groups.ListFolders(connection);
                foreach (var pattern in Path ?? new[] { "*" })
                {
                    var normalized = Folders.Normalize(pattern);
                    var wildcard = new WildcardPattern(normalized, WildcardOptions.IgnoreCase);
                    var matches = folders.Where(f => wildcard.IsMatch(f.Path)).ToList();
                    if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                        WriteError(ToErrorRecord(new AmnException("FolderNotFound", AmnErrorCategory.ObjectNotFound, $"No folder '{pattern}' in tenant '{Store.Path}'.", pattern)));
                    WriteObject(matches, enumerateCollection: true);
                }
            }
        }
    }
}
