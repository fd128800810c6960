using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Get, "AmnGroup")]
    [OutputType(typeof(Group))]
    public sealed class GetAmnGroupCommand : AmnCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(FolderCompleter))]
        public string Folder { get; set; }

        protected override void Process()
        {
            using (var read = BeginRead())
            {
                var groups = Groups.List(read);
                if (!string.IsNullOrEmpty(Folder) && MatchNames(Groups.ListFolders(read), new[] { Folders.Normalize(Folder) }, f => f.Path, "FolderNotFound",
                        pattern => Messages.Format("NoFolder", pattern, Store.Path)).Count == 0) return;
                var folder = Folder == null ? null : new WildcardPattern(Folders.Normalize(Folder), WildcardOptions.IgnoreCase);
                var inFolder = groups.Where(g => folder == null || folder.IsMatch(g.Folder));
                WriteObject(MatchNames(inFolder, Name ?? new[] { "*" }, g => g.Name, "GroupNotFound",
                    pattern => Folder != null ? Messages.Format("NoGroupInFolder", pattern, Folder, Store.Path) : Messages.Format("NoGroup", pattern, Store.Path)), enumerateCollection: true);
            }
        }
    }
}
