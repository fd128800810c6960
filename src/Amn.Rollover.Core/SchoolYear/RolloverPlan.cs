using System;
using System.Collections.Generic;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>The whole jaarovergang before it happens: every count is a list's Count.</summary>
    public sealed class RolloverPlan
    {
        public string Tenant { get; internal set; }
        public DateTime Created { get; internal set; }
        public string StudentFile { get; internal set; }
        public string StaffFile { get; internal set; }
        public string Folder { get; internal set; }
        public List<string> GroupsToRemove { get; } = new List<string>();
        public List<string> GroupsToCreate { get; } = new List<string>();
        public StudentChanges Students { get; } = new StudentChanges();
        public StaffChanges Staff { get; } = new StaffChanges();
        public List<StaffGroupLink> LinksToCreate { get; } = new List<StaffGroupLink>();
        /// <summary>Stored pupils the new file lacks, per last year's group, final-year groups first.</summary>
        public List<GroupLeavers> LeaversByGroup { get; } = new List<GroupLeavers>();
        public List<PlannedStudent> NewStudents { get; } = new List<PlannedStudent>();
        /// <summary>Last year's group → new group, with the number of pupils.</summary>
        public List<GroupMove> GroupMoves { get; } = new List<GroupMove>();
        /// <summary>Every group after the rollover, with its mentors and teachers.</summary>
        public List<GroupStaffing> NewGroups { get; } = new List<GroupStaffing>();
        public List<string> GroupsWithoutMentor { get; } = new List<string>();
        /// <summary>The safety limits this plan exceeds; with -Force each is marked Overridden.</summary>
        public List<SafetyStop> SafetyStops { get; } = new List<SafetyStop>();
        /// <summary>How the files were read, where it is not what one would assume (a worksheet other than the first).</summary>
        public List<string> Notes { get; } = new List<string>();
        public List<RolloverProblem> Errors { get; } = new List<RolloverProblem>();
        public List<RolloverProblem> Warnings { get; } = new List<RolloverProblem>();
        public long StoredStudentCount { get; internal set; }
        public long StoredStaffCount { get; internal set; }
        /// <summary>What the plan was made from, so a saved plan is applied only to the same files and store.</summary>
        public RolloverInputs Inputs { get; internal set; }
    }
}
