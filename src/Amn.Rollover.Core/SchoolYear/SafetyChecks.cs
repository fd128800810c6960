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
                    $"{leavers} of the {stored} stored pupils ({Percent(leavers, stored):0.#}%) are not in '{file}'; the limit is {limits.MaxLeaversPercent}% (-MaxLeaversPercent). " +
                    "A normal year loses its exam classes, about 1 in 5 pupils; this many usually means another school's or location's export, or one class or department only.");

            var others = plan.LeaversByGroup.Where(g => !g.FinalYear).ToList();
            var otherLeavers = others.Sum(g => g.Leaving);
            var outsideFinalYear = stored - plan.LeaversByGroup.Where(g => g.FinalYear).Sum(g => g.Pupils);
            if (outsideFinalYear > 0 && Percent(otherLeavers, outsideFinalYear) > limits.MaxOtherLeaversPercent)
            {
                var most = string.Join(", ", others.OrderByDescending(g => g.Leaving).Take(5).Select(g => $"{(g.Group == "" ? "(no group)" : g.Group)} ({g.Leaving} of {g.Pupils})"));
                var finalYear = limits.FinalYear.Patterns.Length > 0 ? $"the groups matching -FinalYearGroup {string.Join(", ", limits.FinalYear.Patterns)}" : "groups such as H5a, V6b, M4a or 4GT";
                Stop("OtherLeavers", "MaxOtherLeaversPercent", Percent(otherLeavers, outsideFinalYear), limits.MaxOtherLeaversPercent,
                    $"{otherLeavers} of the {outsideFinalYear} pupils outside final-year groups ({Percent(otherLeavers, outsideFinalYear):0.#}%) are not in '{file}'; the limit is {limits.MaxOtherLeaversPercent}% (-MaxOtherLeaversPercent). " +
                    $"Most leave from {most}. Final-year groups are {finalYear}; if these are your exam classes, name them with -FinalYearGroup.");
            }

            var inFile = plan.Students.Created.Count + plan.Students.Updated.Union(plan.Students.Moved).Union(plan.Students.Unchanged).Count();
            var created = plan.Students.Created.Count;
            if (stored > 0 && inFile > 0 && Percent(created, inFile) > limits.MaxNewStudentsPercent)
                Stop("NewStudents", "MaxNewStudentsPercent", Percent(created, inFile), limits.MaxNewStudentsPercent,
                    $"{created} of the {inFile} pupils in '{file}' ({Percent(created, inFile):0.#}%) are new to the tenant; the limit is {limits.MaxNewStudentsPercent}% (-MaxNewStudentsPercent). " +
                    "A normal year brings one first-year intake; this many usually means another school's export, or numbers that changed (leading zeros lost in Excel?).");

            var matched = inFile - created;
            if (stored > 0 && matched > 0 && plan.Students.Moved.Count == 0 && created == 0)
                Stop("NothingMoves", null, null, null,
                    $"No pupil in '{file}' moves to another group and none is new: this looks like last year's export again. Export the new school year's groups from the SIS.");

            var linkedGroups = new HashSet<string>(staffRecords.SelectMany(s => s.Groups), StringComparer.OrdinalIgnoreCase);
            if (linkedGroups.Count > 0 && plan.GroupsToCreate.Count > 0 && !studentPlan.Rows.Any(r => r.Record?.Group != null && linkedGroups.Contains(r.Record.Group)))
                Stop("GroupsUnknownToStaff", null, null, null,
                    $"None of the groups in '{file}' appears in the klas column of '{System.IO.Path.GetFileName(plan.StaffFile)}' ({RolloverRun.Shorten(linkedGroups.OrderBy(g => g, GroupNameOrder.Instance).ToList())}): the two files are from different years or schools.");

            var staff = plan.StoredStaffCount;
            var departed = plan.Staff.Departed.Count;
            if (plan.Staff.RemoveDeparted && staff > 0 && Percent(departed, staff) > limits.MaxDepartedStaffPercent)
                Stop("DepartedStaff", "MaxDepartedStaffPercent", Percent(departed, staff), limits.MaxDepartedStaffPercent,
                    $"{departed} of the {staff} staff members ({Percent(departed, staff):0.#}%) are not in '{System.IO.Path.GetFileName(plan.StaffFile)}' and would be removed; the limit is {limits.MaxDepartedStaffPercent}% (-MaxDepartedStaffPercent).");
        }
    }
}
