using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Importing;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>The signatures of a wrong file, checked against the limits; each one found is a SafetyStop that stops the run unless -Force.</summary>
    internal static class SafetyChecks
    {
        public static void Run(RolloverPlan plan, RolloverLimits limits, IReadOnlyList<StaffRecord> staffRecords, StudentImportResult studentPlan)
        {
            void Stop(string limit, string parameter, double? percent, int? maximum, string message)
                => plan.SafetyStops.Add(new SafetyStop { Limit = limit, Parameter = parameter, Percent = percent, MaximumPercent = maximum, Message = message });
            double Percent(long part, long whole) => Math.Round(100.0 * part / whole, 1);
            var file = System.IO.Path.GetFileName(plan.StudentFile);

            var stored = plan.StoredStudentCount;
            var leavers = plan.Students.NotInFile.Count;
            if (stored > 0 && Percent(leavers, stored) > limits.MaxLeaversPercent)
                Stop("Leavers", "MaxLeaversPercent", Percent(leavers, stored), limits.MaxLeaversPercent,
                    Messages.Format("LeaversLimit", leavers, stored, Percent(leavers, stored), file, limits.MaxLeaversPercent));

            var others = plan.LeaversByGroup.Where(g => !g.FinalYear).ToList();
            var otherLeavers = others.Sum(g => g.Leaving);
            var outsideFinalYear = stored - plan.LeaversByGroup.Where(g => g.FinalYear).Sum(g => g.Pupils);
            if (outsideFinalYear > 0 && Percent(otherLeavers, outsideFinalYear) > limits.MaxOtherLeaversPercent)
            {
                var most = string.Join(", ", others.OrderByDescending(g => g.Leaving).Take(5).Select(g => Messages.Format("GroupLeavers", g.Group == "" ? Messages.Get("NoGroupShown") : g.Group, g.Leaving, g.Pupils)));
                var finalYear = limits.FinalYear.Patterns.Length > 0 ? Messages.Format("FinalYearGroupsNamed", string.Join(", ", limits.FinalYear.Patterns)) : Messages.Get("FinalYearGroupsExample");
                Stop("OtherLeavers", "MaxOtherLeaversPercent", Percent(otherLeavers, outsideFinalYear), limits.MaxOtherLeaversPercent,
                    Messages.Format("OtherLeaversLimit", otherLeavers, outsideFinalYear, Percent(otherLeavers, outsideFinalYear), file, limits.MaxOtherLeaversPercent, most, finalYear));
            }

            var inFile = plan.Students.Created.Count + plan.Students.Updated.Union(plan.Students.Moved).Union(plan.Students.Unchanged).Count();
            var created = plan.Students.Created.Count;
            if (stored > 0 && inFile > 0 && Percent(created, inFile) > limits.MaxNewStudentsPercent)
                Stop("NewStudents", "MaxNewStudentsPercent", Percent(created, inFile), limits.MaxNewStudentsPercent,
                    Messages.Format("NewStudentsLimit", created, inFile, file, Percent(created, inFile), limits.MaxNewStudentsPercent));

            var matched = inFile - created;
            if (stored > 0 && matched > 0 && plan.Students.Moved.Count == 0 && created == 0)
                Stop("NothingMoves", null, null, null,
                    Messages.Format("LastYearsExportAgain", file));

            var linkedGroups = new HashSet<string>(staffRecords.SelectMany(s => s.Groups), StringComparer.OrdinalIgnoreCase);
            if (linkedGroups.Count > 0 && plan.GroupsToCreate.Count > 0 && !studentPlan.Rows.Any(r => r.Record?.Group != null && linkedGroups.Contains(r.Record.Group)))
                Stop("GroupsUnknownToStaff", null, null, null,
                    Messages.Format("FilesFromDifferentYears", file, System.IO.Path.GetFileName(plan.StaffFile), Messages.Shorten(linkedGroups.OrderBy(g => g, GroupNameOrder.Instance).ToList())));

            var staff = plan.StoredStaffCount;
            var departed = plan.Staff.Departed.Count;
            if (plan.Staff.RemoveDeparted && staff > 0 && Percent(departed, staff) > limits.MaxDepartedStaffPercent)
                Stop("DepartedStaff", "MaxDepartedStaffPercent", Percent(departed, staff), limits.MaxDepartedStaffPercent,
                    Messages.Format("DepartedStaffLimit", departed, staff, Percent(departed, staff), System.IO.Path.GetFileName(plan.StaffFile), limits.MaxDepartedStaffPercent));
        }
    }
}
