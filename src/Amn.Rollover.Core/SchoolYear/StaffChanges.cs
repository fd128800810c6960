using System.Collections.Generic;

namespace Amn.Rollover.Core.SchoolYear
{
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
}
