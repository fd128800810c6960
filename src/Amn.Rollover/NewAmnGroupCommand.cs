using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.New, "AmnGroup", SupportsShouldProcess = true)]
    [OutputType(typeof(Group))]
    public sealed class NewAmnGroupCommand : AmnCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Group", "groep", "klas")]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(FolderCompleter))]
        public string Folder { get; set; }

        private Dictionary<string, Group> _existing;

        protected override void Begin()
        {
            _existing = Read(work => Groups.List(work).ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase));
        }

        protected override void Process()
        {
            var folder = Folders.Normalize(Folder);
            foreach (var raw in Name)
            {
                var name = Values.GroupName(raw);
                if (name == null) continue;
                if (_existing.TryGetValue(name, out var existing))
                {
                    WriteExists(existing);
                    continue;
                }
                var target = folder.Length == 0 ? Messages.Format("CreateGroupInRoot", name, Store.Path) : Messages.Format("CreateGroupInFolder", name, folder, Store.Path);
                if (!ShouldProcess(target, Messages.Get("CreateGroupAction"))) continue;
                var (group, created) = Writing(waiting => GroupCreation.Create(Store, name, folder, waiting));
                _existing[name] = group;
                if (created) WriteObject(group);
                else WriteExists(group);
            }
        }

        private void WriteExists(Group existing)
        {
            WriteError(ToErrorRecord(new AmnException("GroupExists", AmnErrorCategory.ResourceExists,
                Messages.Format("GroupExists", existing.Name, existing.Folder), existing.Name)));
        }
    }
}
