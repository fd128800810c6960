using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Store
{
    /// <summary>What removing a set of groups does, or did.</summary>
    public sealed class GroupRemovalResult
    {
        public int GroupsRemoved { get; internal set; }
        /// <summary>Pupils who lose their group membership; they keep all their other data.</summary>
        public int MembershipsCleared { get; internal set; }
        public int StaffLinksRemoved { get; internal set; }
        public int FoldersRemoved { get; internal set; }
        public string BackupPath { get; internal set; }
        public bool WhatIf { get; internal set; }
        public List<Group> Groups { get; } = new List<Group>();
        /// <summary>Names asked for that no group had when the write took the lock: another session removed them after the lookup.</summary>
        public List<string> NotFound { get; } = new List<string>();
    }

    /// <summary>
    /// Removes groups and only groups: their pupils stay with every field unchanged except the
    /// group, and staff links to them go (rollover step 2).
    /// </summary>
    public static class GroupRemoval
    {
        /// <summary>The groups to remove and what removing them would clear, without changing anything; <paramref name="whatIf"/> marks it as what -WhatIf would do.</summary>
        public static GroupRemovalResult Preview(TenantWork work, IReadOnlyCollection<string> groupNames, bool whatIf = false)
        {
            var preview = Preview(work.Queries, groupNames);
            preview.WhatIf = whatIf;
            return preview;
        }

        /// <summary>
        /// Removes the named groups as they are at the time of the write, after an automatic backup
        /// unless <paramref name="backup"/> is false, with one audit entry per group. The lookup is
        /// repeated under the write lock: a name another session removed since the caller looked it up
        /// is in <see cref="GroupRemovalResult.NotFound"/>, so no call ends having neither removed nor said so. <paramref name="pruneFolders"/>: see <see cref="Remove(ITenantQueries, ITenantEdits, GroupRemovalResult, Guid, string)"/>.
        /// </summary>
        public static GroupRemovalResult Remove(TenantStore store, IReadOnlyCollection<string> groupNames, string pruneFolders, bool backup, Action<string> waiting)
        {
            return store.Write(work =>
            {
                var removal = Preview(work.Queries, groupNames);
                var present = new HashSet<string>(removal.Groups.Select(g => g.Name), StringComparer.OrdinalIgnoreCase);
                removal.NotFound.AddRange(groupNames.Where(name => !present.Contains(name)).Distinct(StringComparer.OrdinalIgnoreCase));
                if (removal.GroupsRemoved == 0) return removal;
                // Inside the lock, so the backup is the store exactly as the removal found it.
                if (backup) removal.BackupPath = store.AutomaticBackup(canBeSkipped: true);
                Remove(work.Queries, work.Edits, removal, Guid.NewGuid(), pruneFolders);
                return removal;
            }, waiting);
        }

        /// <summary>The groups to remove and what removing them would clear, without changing anything.</summary>
        internal static GroupRemovalResult Preview(ITenantQueries queries, IReadOnlyCollection<string> groupNames)
        {
            var result = new GroupRemovalResult();
            var all = queries.Groups();
            var wanted = new HashSet<string>(groupNames, StringComparer.OrdinalIgnoreCase);
            foreach (var group in all.Where(g => wanted.Contains(g.Name)))
            {
                result.Groups.Add(group);
                result.MembershipsCleared += (int)group.StudentCount;
                result.StaffLinksRemoved += (int)group.StaffCount;
            }
            result.GroupsRemoved = result.Groups.Count;
            return result;
        }

        /// <summary>
        /// Removes the previewed groups. With <paramref name="pruneFolders"/>, folders under it that
        /// end up without groups and subfolders are removed too (never the root folder).
        /// </summary>
        internal static void Remove(ITenantQueries queries, ITenantEdits edits, GroupRemovalResult preview, Guid runId, string pruneFolders = null)
        {
            edits.RemoveGroups(preview.Groups.Select(g => g.Name).ToList());
            if (pruneFolders != null) preview.FoldersRemoved = PruneEmptyFolders(queries, edits, pruneFolders);
            edits.Audit(runId, "RemoveGroups", string.Join(", ", preview.Groups.Select(g => g.Name).Take(20)) + (preview.Groups.Count > 20 ? ", ..." : ""),
                $"groups={preview.GroupsRemoved}; membershipsCleared={preview.MembershipsCleared}; staffLinksRemoved={preview.StaffLinksRemoved}; foldersRemoved={preview.FoldersRemoved}");
        }

        private static int PruneEmptyFolders(ITenantQueries queries, ITenantEdits edits, string folder)
        {
            folder = Folders.Normalize(folder);
            if (folder.Length == 0) return 0;
            bool IsWithin(string path, string ancestor) => path == ancestor || path.StartsWith(ancestor + "/", StringComparison.OrdinalIgnoreCase);
            var folders = queries.Folders();
            var empty = folders.Where(f => IsWithin(f.Path, folder) && !folders.Any(other => IsWithin(other.Path, f.Path) && other.GroupCount > 0)).ToList();
            foreach (var f in empty) edits.DeleteFolder(f.Path);
            return empty.Count;
        }
    }
}
