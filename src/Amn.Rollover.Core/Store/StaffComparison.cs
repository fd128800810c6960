using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Store
{
    /// <summary>Where a staff member stands between the store and a new staff file.</summary>
    public enum StaffStatus { New, Existing, Departed }

    /// <summary>One staff member in the store, the file or both.</summary>
    public sealed class StaffComparisonResult
    {
        public string UserName { get; internal set; }
        public string Code { get; internal set; }
        public string FullName { get; internal set; }
        public TextList Roles { get; internal set; } = TextList.Empty;
        public StaffStatus Status { get; internal set; }
    }

    /// <summary>Step 5 of the rollover: who is new, who stays and who has left.</summary>
    public static class StaffComparison
    {
        /// <summary>
        /// One result per username: New (only in the file), Existing (in both) and Departed (only in
        /// the store). Rows without a username are not compared. Stored data wins for Existing.
        /// </summary>
        public static List<StaffComparisonResult> Compare(IEnumerable<StaffRecord> file, IReadOnlyDictionary<string, StaffTable.Row> stored)
        {
            var results = new List<StaffComparisonResult>();
            var inFile = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var record in file.Where(r => !string.IsNullOrEmpty(r.UserName)))
            {
                if (!inFile.Add(record.UserName)) continue;
                if (stored.TryGetValue(record.UserName, out var row))
                    results.Add(From(row.Staff, StaffStatus.Existing));
                else
                    results.Add(new StaffComparisonResult
                    {
                        UserName = record.UserName,
                        Code = record.Code,
                        FullName = PersonName.Full(record.FirstName, record.Prefix, record.LastName),
                        Roles = record.Roles,
                        Status = StaffStatus.New,
                    });
            }
            results.AddRange(stored.Values.Where(r => !inFile.Contains(r.Staff.UserName)).Select(r => From(r.Staff, StaffStatus.Departed)));
            return results;
        }

        private static StaffComparisonResult From(Staff staff, StaffStatus status) => new StaffComparisonResult
        {
            UserName = staff.UserName,
            Code = staff.Code,
            FullName = staff.FullName,
            Roles = staff.Roles,
            Status = status,
        };
    }
}
