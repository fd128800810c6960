using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
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

        protected override void BeginProcessing()
        {
            using (var connection = Store.OpenConnection())
                _existing = Groups.List(connection).ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
        }

        protected override void ProcessRecord()
        {
            var folder = Folders.Normalize(Folder);
            using (var connection = Store.OpenConnection())
            {
                foreach (var raw in Name)
                {
                    var name = raw.Trim();
                    if (_existing.TryGetValue(name, out var existing))
                    {
                        WriteError(ToErrorRecord(new AmnException("GroupExists", AmnErrorCategory.ResourceExists,
                            $"A group named '{existing.Name}' already exists in folder '{existing.Folder}'; group names are unique in a tenant, whatever their case.", name)));
                        continue;
                    }
                    if (!ShouldProcess($"group '{name}' in folder '{(folder.Length == 0 ? "(root)" : folder)}' of tenant '{Store.Path}'", "Create group")) continue;
                    using (var transaction = connection.BeginTransaction())
                    {
                        var folderId = Folders.Ensure(connection, transaction, folder);
                        Groups.Insert(connection, transaction, name, folderId);
                        AuditLog.Write(connection, transaction, Guid.NewGuid(), "NewGroup", name, "folder=" + folder);
                        transaction.Commit();
                    }
                    var created = new Group { Name = name, Folder = folder };
                    _existing[name] = created;
                    WriteObject(created);
                }
            }
        }
    }
}
