using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Model;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
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

        internal static void Apply(TenantWork work, long staffId, LinkChange change, Guid runId)
        {
            var groups = work.Queries.GroupIds();
            if (change.CreatedGroups.Length > 0)
            {
                var root = work.Edits.EnsureFolder("");
                foreach (var name in change.CreatedGroups.Where(n => !groups.ContainsKey(n)))
                    groups[name] = work.Edits.InsertGroup(name, root);
            }
            foreach (var group in change.Added) work.Edits.SetLink(staffId, groups[group], linked: true);
            foreach (var group in change.Removed) work.Edits.SetLink(staffId, groups[group], linked: false);
            work.Edits.Audit(runId, "SetStaffGroupLinks", change.UserName,
                $"added={string.Join(",", change.Added)}; removed={string.Join(",", change.Removed)}");
        }
    }
}
