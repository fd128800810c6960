using System.Collections.Generic;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>
    /// A plan saved with -PlanPath, as System.Text.Json writes and reads it. Actions is what the plan does, in
    /// numbers and names only, so a plan made in one language is applied in another; Review adds what a person
    /// reads before applying it, messages included, and is never compared.
    /// </summary>
    internal sealed class PlanDocument
    {
        public const int CurrentFormat = 2;

        public int AmnRolloverPlan { get; set; }
        public string Created { get; set; }
        public string Tenant { get; set; }
        public InputsPart Inputs { get; set; }
        public ActionsPart Actions { get; set; }
        public ReviewPart Review { get; set; }

        internal sealed class InputsPart
        {
            public string StudentFile { get; set; }
            public string StudentFileHash { get; set; }
            public string StaffFile { get; set; }
            public string StaffFileHash { get; set; }
            public string TenantFingerprint { get; set; }
            public string Folder { get; set; }
            public bool RemoveDepartedStaff { get; set; }
            public bool AllowInvalidRows { get; set; }
            public string StudentWorksheet { get; set; }
            public string StaffWorksheet { get; set; }
            public string Delimiter { get; set; }
            public string Encoding { get; set; }
            public string Product { get; set; }
            public Dictionary<string, string> ColumnMap { get; set; }
            public LimitsPart Limits { get; set; } = new LimitsPart();
        }

        internal sealed class LimitsPart
        {
            public int MaxLeaversPercent { get; set; } = RolloverLimits.Defaults.MaxLeaversPercent;
            public int MaxOtherLeaversPercent { get; set; } = RolloverLimits.Defaults.MaxOtherLeaversPercent;
            public int MaxNewStudentsPercent { get; set; } = RolloverLimits.Defaults.MaxNewStudentsPercent;
            public int MaxDepartedStaffPercent { get; set; } = RolloverLimits.Defaults.MaxDepartedStaffPercent;
            public List<string> FinalYearGroup { get; set; } = new List<string>();
        }

        internal sealed class ActionsPart
        {
            public string Folder { get; set; }
            public List<string> GroupsToRemove { get; set; }
            public List<string> GroupsToCreate { get; set; }
            public StudentsPart Students { get; set; }
            public StaffPart Staff { get; set; }
            public List<LinkPart> LinksToCreate { get; set; }
            /// <summary>The safety limits the plan exceeds, by name: applying it needs -Force for each.</summary>
            public List<string> SafetyLimitsExceeded { get; set; }
        }

        internal sealed class StudentsPart
        {
            public List<string> Created { get; set; }
            public List<string> Updated { get; set; }
            public List<string> Moved { get; set; }
            public List<string> Unchanged { get; set; }
            public List<string> NotInFile { get; set; }
            public List<string> Failed { get; set; }
        }

        internal sealed class StaffPart
        {
            public List<string> Created { get; set; }
            public List<string> Updated { get; set; }
            public List<string> Unchanged { get; set; }
            public List<string> NotInFile { get; set; }
            public List<string> Failed { get; set; }
            public bool RemoveDeparted { get; set; }
        }

        internal sealed class LinkPart
        {
            public string UserName { get; set; }
            public string Group { get; set; }
        }

        internal sealed class ReviewPart
        {
            public string StudentFile { get; set; }
            public string StaffFile { get; set; }
            public List<GroupLeaversPart> LeaversByGroup { get; set; }
            public List<PlannedStudentPart> NewStudents { get; set; }
            public List<GroupMovePart> GroupMoves { get; set; }
            public List<GroupStaffingPart> NewGroups { get; set; }
            public List<string> GroupsWithoutMentor { get; set; }
            public List<SafetyStopPart> SafetyStops { get; set; }
            public List<ProblemPart> Errors { get; set; }
            public List<ProblemPart> Warnings { get; set; }
        }

        internal sealed class GroupLeaversPart
        {
            public string Group { get; set; }
            public bool FinalYear { get; set; }
            public int Pupils { get; set; }
            public List<PlannedStudentPart> Leavers { get; set; }
        }

        internal sealed class PlannedStudentPart
        {
            public string Number { get; set; }
            public string Name { get; set; }
            public string Group { get; set; }
        }

        internal sealed class GroupMovePart
        {
            public string From { get; set; }
            public string To { get; set; }
            public int Count { get; set; }
        }

        internal sealed class GroupStaffingPart
        {
            public string Group { get; set; }
            public int Pupils { get; set; }
            public List<string> Mentors { get; set; }
            public List<string> Teachers { get; set; }
        }

        internal sealed class SafetyStopPart
        {
            public string Limit { get; set; }
            public string Parameter { get; set; }
            public double? Percent { get; set; }
            public int? MaximumPercent { get; set; }
            public string Message { get; set; }
        }

        internal sealed class ProblemPart
        {
            public string File { get; set; }
            public int? Row { get; set; }
            public string Column { get; set; }
            public string Value { get; set; }
            public string ErrorId { get; set; }
            public string Message { get; set; }
        }
    }
}
