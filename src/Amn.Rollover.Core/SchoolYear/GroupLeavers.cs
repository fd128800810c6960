using System.Collections.Generic;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>The pupils of one of last year's groups that the new file no longer has.</summary>
    public sealed class GroupLeavers
    {
        /// <summary>Last year's group; empty for pupils who had none.</summary>
        public string Group { get; internal set; }
        /// <summary>A final-year group (exam class), whose pupils are expected to leave.</summary>
        public bool FinalYear { get; internal set; }
        public int Pupils { get; internal set; }
        public int Leaving => Leavers.Count;
        public List<PlannedStudent> Leavers { get; } = new List<PlannedStudent>();
    }
}
