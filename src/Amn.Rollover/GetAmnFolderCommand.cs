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
        [ArgumentCompleter(typeof(FolderCompleter))]
        public string[] Path { get; set; }

        protected override void Process()
        {
            using (var read = BeginRead())
            {
                var patterns = (Path ?? new[] { "*" }).Select(Folders.Normalize);
                WriteObject(MatchNames(Groups.ListFolders(read), patterns, f => f.Path, "FolderNotFound", pattern => Messages.Format("NoFolder", pattern, Store.Path)), enumerateCollection: true);
            }
        }
    }
}
