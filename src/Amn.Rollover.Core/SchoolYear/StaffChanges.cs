using System.Collections.Generic;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>What the rollover does to the staff, as lists of usernames.</summary>
    public sealed class StaffChanges
    {
        public List<string> Created { get; } = new List<string>();
        /// <summary>Staff whose own data, roles or links (by group name) change.</summary>
        public List<string> Updated { get; } = new List<string>();
        public List<string> Unchanged { get; } = new List<string>();
        /// <summary>Stored staff the new file lacks (departed): removed with -RemoveDepartedStaff, kept otherwise.</summary>
        public List<string> NotInFile { get; } = new List<string>();
        public List<string> Failed { get; } = new List<string>();
        /// <summary>True when the departed staff will be removed (-RemoveDepartedStaff).</summary>
        public bool RemoveDeparted { get; internal set; }
    }
}
