using System;
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

        protected override void ProcessRecord()
        {
            var folder = Folders.Normalize(Folder);
            using (var connection = Store.OpenConnection())
            {
                foreach (var raw in Name)
                {
                    var name = raw.Trim();
                    var existing = Groups.List(connection).FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));
                    if (existing != null)
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
                    WriteObject(new Group { Name = name, Folder = folder });
                }
            }
        }
    }
}
