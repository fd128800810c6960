using System;
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
                var existing = work.Queries.FindGroup(name);
                if (existing != null) return (existing, false);
                work.Edits.InsertGroup(name, work.Edits.EnsureFolder(folder));
                work.Edits.Audit(Guid.NewGuid(), "NewGroup", name, "folder=" + folder);
                return (new Group { Name = name, Folder = folder }, true);
            }, waiting);
        }
    }
}
