using System.Collections.Generic;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>What the rollover does to the pupils, as lists of participant numbers.</summary>
    public sealed class StudentChanges
    {
        public List<string> Created { get; } = new List<string>();
        /// <summary>Pupils whose data (other than the group) changes.</summary>
        public List<string> Updated { get; } = new List<string>();
        /// <summary>Pupils who end up in another group than last year.</summary>
        public List<string> Moved { get; } = new List<string>();
        public List<string> Unchanged { get; } = new List<string>();
        /// <summary>Stored pupils the new file lacks: they stay, without a group.</summary>
        public List<string> NotInFile { get; } = new List<string>();
        public List<string> Failed { get; } = new List<string>();
    }

    /// <summary>What the rollover does to the staff, as lists of usernames.</summary>
    public sealed class StaffChanges
    {
        public List<string> New { get; } = new List<string>();
        public List<string> Updated { get; } = new List<string>();
        public List<string> Departed { get; } = new List<string>();
        public List<string> Failed { get; } = new List<string>();
        /// <summary>True when the departed staff will be removed (-RemoveDepartedStaff).</summary>
        public bool RemoveDeparted { get; internal set; }
    }

    /// <summary>A problem found while validating the rollover's files, with the file it is in.</summary>
    public sealed class RolloverProblem
    {
        public string File { get; internal set; }
        public int? Row { get; internal set; }
        public string Column { get; internal set; }
        public string Value { get; internal set; }
        public string ErrorId { get; internal set; }
        public string Message { get; internal set; }

        public override string ToString() => $"{System.IO.Path.GetFileName(File)}: {ErrorId}: {Message}";
    }

    /// <summary>The whole jaarovergang before it happens: every count is a list's Count.</summary>
    public sealed class RolloverPlan
    {
        public string StudentFile { get; internal set; }
        public string StaffFile { get; internal set; }
        public string Folder { get; internal set; }
        public List<string> GroupsToRemove { get; } = new List<string>();
        public List<string> GroupsToCreate { get; } = new List<string>();
        public StudentChanges Students { get; } = new StudentChanges();
        public StaffChanges Staff { get; } = new StaffChanges();
        public List<StaffGroupLink> LinksToCreate { get; } = new List<StaffGroupLink>();
        public List<RolloverProblem> Errors { get; } = new List<RolloverProblem>();
        public List<RolloverProblem> Warnings { get; } = new List<RolloverProblem>();
        public long StoredStudentCount { get; internal set; }
        public long StoredStaffCount { get; internal set; }
    }
}
