using System;
using System.Linq;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Store
{
    /// <summary>New-AmnGroup: one group in one write, with its folder and audit entry.</summary>
    public static class GroupCreation
    {
        /// <summary>
        /// Creates the group (and its folder when missing) unless a group of that name exists,
        /// whatever its case: then nothing changes and that group comes back with Created false.
        /// The name is looked up inside the write: another session may have created it meanwhile.
        /// </summary>
        public static (Group Group, bool Created) Create(TenantStore store, string name, string folder, Action<string> waiting)
        {
            folder = Folders.Normalize(folder);
            return store.Write(work =>
            {
                var existing = Groups.List(work).FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));
                if (existing != null) return (existing, false);
                var folderId = Folders.Ensure(work.Connection, work.Transaction, folder);
                Groups.Insert(work.Connection, work.Transaction, name, folderId);
                AuditLog.Write(work.Connection, work.Transaction, Guid.NewGuid(), "NewGroup", name, "folder=" + folder);
                return (new Group { Name = name, Folder = folder }, true);
            }, waiting);
        }
    }
}
