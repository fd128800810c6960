using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// Remove-AmnStaff: plan against the store (who is there, the safety limit), then remove the
    /// confirmed staff members in one write, after a backup, each with an audit entry.
    /// </summary>
    public sealed class StaffRemoval
    {
        private readonly TenantStore _store;

        private StaffRemoval(TenantStore store) => _store = store;

        /// <summary>The staff members named (usernames, case-insensitive) and who of them the store has.</summary>
        public static StaffRemoval Plan(TenantStore store, IEnumerable<string> userNames)
        {
            var staff = store.Read(StaffTable.LoadAll);
            var plan = new StaffRemoval(store) { StaffCount = staff.Count };
            foreach (var name in userNames.Select(n => n.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (staff.TryGetValue(name, out var row)) plan.Found.Add(row.Staff);
                else plan.NotFound.Add(name);
            }
            return plan;
        }

        public List<Staff> Found { get; } = new List<Staff>();
        public List<string> NotFound { get; } = new List<string>();
        /// <summary>How many staff members the store holds: the base of the safety limit.</summary>
        public int StaffCount { get; private set; }

        /// <summary>The error when removing everyone found is more than <see cref="SafetyLimits.MaxShare"/> of the staff (the whole invocation counts); else null.</summary>
        public AmnException LimitExceeded()
        {
            if (!SafetyLimits.Exceeds(Found.Count, StaffCount)) return null;
            return new AmnException("TooManyStaffRemoved", AmnErrorCategory.LimitsExceeded,
                Messages.Format("StaffRemovalLimit", Found.Count, StaffCount, _store.Path, 100.0 * Found.Count / StaffCount, SafetyLimits.MaxShare), Found.Count);
        }

        /// <summary>The automatic backup taken before the removal, when one was.</summary>
        public string BackupPath { get; private set; }

        /// <summary>
        /// Removes the confirmed staff members with their roles and links; with <paramref name="backup"/>
        /// and more than one of them, after an automatic backup. Returns who was removed. Who is there is
        /// looked up again under the write lock: someone another session removed since the plan is added
        /// to <see cref="NotFound"/>, so every name ends removed and recorded, or reported.
        /// </summary>
        public List<Staff> Remove(IReadOnlyCollection<Staff> confirmed, bool backup, Action<string> waiting)
        {
            if (confirmed.Count == 0) return new List<Staff>();
            var runId = Guid.NewGuid();
            return _store.Write(work =>
            {
                var now = StaffTable.LoadAll(work);
                var present = confirmed.Where(s => now.ContainsKey(s.UserName)).ToList();
                NotFound.AddRange(confirmed.Where(s => !now.ContainsKey(s.UserName)).Select(s => s.UserName));
                // Inside the lock, so the backup is the store exactly as the removal found it.
                if (backup && present.Count > 1) BackupPath = _store.AutomaticBackup(canBeSkipped: true);
                foreach (var staff in present)
                {
                    work.Edits.DeleteStaff(now[staff.UserName].Id);
                    work.Edits.Audit(runId, "RemoveStaff", staff.UserName,
                        $"roles={string.Join(",", staff.Roles)}; groups={string.Join(",", staff.Groups)}");
                }
                return present;
            }, waiting);
        }
    }
}
