using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// Set- and Remove-AmnStaffGroupLink: changes are planned one staff member at a time against the
    /// store as it was when the edit started (later changes of the same person build on earlier
    /// ones), and written together in one write at the end, each planned again inside it.
    /// </summary>
    public sealed class StaffLinkEdit
    {
        /// <summary>The change that a row of the cmdlet asks for: the staff member, the groups named, the tenant's group names (case-insensitive, to their spelling).</summary>
        public delegate LinkChange Planner(Staff staff, string[] groups, IDictionary<string, string> groupNames);

        private readonly TenantStore _store;
        private readonly Planner _plan;
        private readonly Dictionary<string, StaffTable.Row> _staff;
        private readonly Dictionary<string, string> _groupNames;
        private readonly List<(string UserName, string[] Groups)> _confirmed = new List<(string, string[])>();

        public StaffLinkEdit(TenantStore store, Planner plan)
        {
            _store = store;
            _plan = plan;
            (_staff, _groupNames) = store.Read(Load);
        }

        /// <summary>The staff member by username, else by code; null when neither matches.</summary>
        public Staff Find(string userName, string code) => StaffLinks.Find(_staff, userName, code)?.Staff;

        public LinkChange Plan(Staff staff, string[] groups) => _plan(staff, groups, _groupNames);

        /// <summary>Keeps a change the user confirmed for <see cref="Apply"/>; later plans of this staff member build on it.</summary>
        public void Confirm(Staff staff, string[] groups, LinkChange change)
        {
            _confirmed.Add((staff.UserName, (string[])groups.Clone()));
            staff.Groups = Changed(staff.Groups, change);
        }

        /// <summary>How many changes were confirmed so far.</summary>
        public int ConfirmedCount => _confirmed.Count;

        /// <summary>Confirmed staff members who are gone from the store by the time of the write.</summary>
        public List<string> NotFound { get; } = new List<string>();

        /// <summary>Groups another session removed before the write: (username, group).</summary>
        public List<(string UserName, string Group)> GroupsGone { get; } = new List<(string, string)>();

        /// <summary>
        /// Writes every confirmed change in one write, planned again against the store as it is now:
        /// another session may have removed a group or a staff member since the edit started.
        /// Returns the staff members whose links changed, with their links as they are now.
        /// </summary>
        public List<Staff> Apply(Action<string> waiting)
        {
            var runId = Guid.NewGuid();
            return _store.Write(work =>
            {
                var (staff, groupNames) = Load(work);
                var changed = new List<Staff>();
                foreach (var (userName, groups) in _confirmed)
                {
                    if (!staff.TryGetValue(userName, out var row)) { NotFound.Add(userName); continue; }
                    var change = _plan(row.Staff, groups, groupNames);
                    GroupsGone.AddRange(change.UnknownGroups.Select(g => (row.Staff.UserName, g)));
                    if (change.IsEmpty) continue;
                    StaffLinks.Apply(work, row.Id, change, runId);
                    row.Staff.Groups = Changed(row.Staff.Groups, change);
                    if (!changed.Contains(row.Staff)) changed.Add(row.Staff);
                }
                return changed;
            }, waiting);
        }

        private static string[] Changed(IEnumerable<string> groups, LinkChange change)
            => groups.Except(change.Removed, StringComparer.OrdinalIgnoreCase).Concat(change.Added).ToArray();

        private static (Dictionary<string, StaffTable.Row>, Dictionary<string, string>) Load(TenantWork work)
            => (StaffTable.LoadAll(work), Groups.Names(work).ToDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase));
    }
}
