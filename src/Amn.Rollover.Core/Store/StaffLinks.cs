using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Model;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>The links of one staff member that a Set or Remove changes.</summary>
    public sealed class LinkChange
    {
        public string UserName { get; internal set; }
        public string[] Added { get; internal set; } = new string[0];
        public string[] Removed { get; internal set; } = new string[0];
        /// <summary>Groups that did not exist and were skipped.</summary>
        public string[] UnknownGroups { get; internal set; } = new string[0];
        /// <summary>Groups that did not exist and are created (with -CreateMissingGroups).</summary>
        public string[] CreatedGroups { get; internal set; } = new string[0];
        public bool IsEmpty => Added.Length == 0 && Removed.Length == 0;
    }

    /// <summary>Links staff members to groups, one staff member at a time (Set-/Remove-AmnStaffGroupLink).</summary>
    public static class StaffLinks
    {
        /// <summary>A stored staff member by username, else by code (both case-insensitive); null when neither matches.</summary>
        public static StaffTable.Row Find(IReadOnlyDictionary<string, StaffTable.Row> staff, string userName, string code)
        {
            if (!string.IsNullOrWhiteSpace(userName) && staff.TryGetValue(userName.Trim(), out var byName)) return byName;
            if (string.IsNullOrWhiteSpace(code)) return null;
            return staff.Values.FirstOrDefault(r => string.Equals(r.Staff.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>What setting these links changes: new links are added; with exclusive, links not named go.</summary>
        /// <param name="groupNames">The tenant's group names, case-insensitive, to their spelling; a group this plans to create is added.</param>
        public static LinkChange PlanSet(Staff staff, IEnumerable<string> groups, IDictionary<string, string> groupNames, bool exclusive, bool createMissing)
        {
            var wanted = new List<string>();
            var unknown = new List<string>();
            var created = new List<string>();
            foreach (var group in groups.SelectMany(Files.Values.SplitList).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (groupNames.TryGetValue(group, out var spelling)) wanted.Add(spelling);
                else if (createMissing) { created.Add(group); wanted.Add(group); groupNames[group] = group; }
                else unknown.Add(group);
            }
            return new LinkChange
            {
                UserName = staff.UserName,
                Added = wanted.Where(g => !staff.Groups.Contains(g, StringComparer.OrdinalIgnoreCase)).ToArray(),
                Removed = exclusive ? staff.Groups.Where(g => !wanted.Contains(g, StringComparer.OrdinalIgnoreCase)).ToArray() : new string[0],
                UnknownGroups = unknown.ToArray(),
                CreatedGroups = created.ToArray(),
            };
        }

        /// <summary>What removing these links changes: only links that exist go.</summary>
        public static LinkChange PlanRemove(Staff staff, IEnumerable<string> groups)
        {
            var names = groups.SelectMany(Files.Values.SplitList).ToList();
            return new LinkChange
            {
                UserName = staff.UserName,
                Removed = staff.Groups.Where(g => names.Contains(g, StringComparer.OrdinalIgnoreCase)).ToArray(),
            };
        }

        public static void Apply(SqliteConnection connection, SqliteTransaction transaction, long staffId, LinkChange change, Guid runId)
        {
            var groups = Groups.LoadIds(connection, transaction);
            if (change.CreatedGroups.Length > 0)
            {
                var root = Folders.Ensure(connection, transaction, "");
                foreach (var name in change.CreatedGroups.Where(n => !groups.ContainsKey(n)))
                    groups[name] = Groups.Insert(connection, transaction, name, root);
            }
            using (var writer = new StaffTable.Writer(connection))
            {
                foreach (var group in change.Added) writer.AddLink(staffId, groups[group]);
                foreach (var group in change.Removed) writer.RemoveLink(staffId, groups[group]);
            }
            AuditLog.Write(connection, transaction, runId, "SetStaffGroupLinks", change.UserName,
                $"added={string.Join(",", change.Added)}; removed={string.Join(",", change.Removed)}");
        }
    }

    /// <summary>Guards against bulk changes that usually mean the wrong file was used.</summary>
    public static class SafetyLimits
    {
        /// <summary>More than this share of a tenant's staff removed at once, or of its pupils missing from a rollover file, needs -Force.</summary>
        public const double MaxShare = 0.10;

        public static bool Exceeds(int affected, long total) => total > 0 && affected > MaxShare * total;
    }
}
