using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>
    /// What the plan means for the school, for the safety checks and the report: the leavers per last
    /// year's group, the new pupils, the moves from group to group, and the pupils, mentors and
    /// teachers of every new group.
    /// </summary>
    internal static class PlanDescription
    {
        private const string NewPupil = "(new)";
        private const string Left = "(left)";

        public static void Describe(RolloverPlan plan, StoredStudents stored, StudentImportResult students, StaffImportResult staff, FinalYearGroups finalYear)
        {
            DescribeLeavers(plan, stored, finalYear);
            var moves = new Dictionary<string, GroupMove>(StringComparer.Ordinal);
            var pupils = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in students.Rows)
            {
                if (row.Action == ImportAction.Failed || row.Record.IsDuplicate) continue;
                var group = row.Student?.Group ?? row.Record.Group ?? "";
                if (group.Length > 0) pupils[group] = pupils.TryGetValue(group, out var n) ? n + 1 : 1;
                if (row.Action == ImportAction.Created) plan.NewStudents.Add(Planned(row.Student, group));
                Move(moves, row.Action == ImportAction.Created ? NewPupil : row.PreviousGroup ?? "", group, 1);
            }
            plan.NewStudents.Sort((a, b) => a.Group != b.Group ? GroupNameOrder.Instance.Compare(a.Group, b.Group) : string.CompareOrdinal(a.Number, b.Number));
            foreach (var group in plan.LeaversByGroup) Move(moves, group.Group, Left, group.Leaving);
            plan.GroupMoves.AddRange(moves.Values.OrderBy(m => m.From, GroupNameOrder.Instance).ThenBy(m => m.To, GroupNameOrder.Instance));
            DescribeNewGroups(plan, pupils, staff);
        }

        private static void DescribeLeavers(RolloverPlan plan, StoredStudents stored, FinalYearGroups finalYear)
        {
            var leaving = new HashSet<string>(plan.Students.NotInFile, StringComparer.Ordinal);
            var byGroup = new Dictionary<string, GroupLeavers>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in stored.Rows.Values)
            {
                if (row.Erased != null) continue;
                var group = row.Student.Group ?? "";
                if (!byGroup.TryGetValue(group, out var entry))
                    byGroup[group] = entry = new GroupLeavers { Group = group, FinalYear = finalYear.IsFinalYear(group) };
                entry.Pupils++;
                if (leaving.Contains(row.Student.Number)) entry.Leavers.Add(Planned(row.Student, group));
            }
            foreach (var entry in byGroup.Values.Where(g => g.Leaving > 0))
            {
                entry.Leavers.Sort((a, b) => string.CompareOrdinal(a.Number, b.Number));
                plan.LeaversByGroup.Add(entry);
            }
            plan.LeaversByGroup.Sort((a, b) => a.FinalYear != b.FinalYear ? (a.FinalYear ? -1 : 1) : GroupNameOrder.Instance.Compare(a.Group, b.Group));
        }

        private static void DescribeNewGroups(RolloverPlan plan, Dictionary<string, int> pupils, StaffImportResult staff)
        {
            var linked = new Dictionary<string, List<Staff>>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in staff.Rows)
            {
                if (row.Action == ImportAction.Failed || row.Staff == null) continue;
                foreach (var group in row.LinksAdded)
                {
                    if (!linked.TryGetValue(group, out var list)) linked[group] = list = new List<Staff>();
                    list.Add(row.Staff);
                }
            }
            foreach (var group in pupils.Keys.OrderBy(g => g, GroupNameOrder.Instance))
            {
                linked.TryGetValue(group, out var groupStaff);
                TextList With(string role) => new TextList((groupStaff ?? new List<Staff>()).Where(s => s.Roles.Contains(role)).Select(s => s.FullName ?? s.UserName));
                var staffing = new GroupStaffing { Group = group, Pupils = pupils[group], Mentors = With("mentor"), Teachers = With("docent") };
                plan.NewGroups.Add(staffing);
                if (staffing.Mentors.Count == 0) plan.GroupsWithoutMentor.Add(group);
            }
            if (plan.GroupsWithoutMentor.Count == 0) return;
            plan.Warnings.Add(new RolloverProblem
            {
                File = plan.StaffFile, Column = "rol", ErrorId = "GroupWithoutMentor", Value = string.Join(", ", plan.GroupsWithoutMentor),
                Message = Messages.Format(plan.GroupsWithoutMentor.Count == 1 ? "GroupsWithoutMentor.One" : "GroupsWithoutMentor.Other",
                    plan.GroupsWithoutMentor.Count, plan.NewGroups.Count, Messages.Shorten(plan.GroupsWithoutMentor)),
            });
        }

        private static void Move(Dictionary<string, GroupMove> moves, string from, string to, int count)
        {
            var key = from + "\u0001" + to;
            if (moves.TryGetValue(key, out var move)) move.Count += count;
            else moves[key] = new GroupMove { From = from, To = to, Count = count };
        }

        private static PlannedStudent Planned(Student student, string group) => new PlannedStudent { Number = student.Number, Name = student.FullName, Group = group };
    }
}
