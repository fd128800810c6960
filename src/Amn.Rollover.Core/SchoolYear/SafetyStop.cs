namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>A safety limit the plan exceeds: the run stops before any change, unless -Force overrides it.</summary>
    public sealed class SafetyStop
    {
        /// <summary>Leavers, OtherLeavers, NewStudents, DepartedStaff, NothingMoves or GroupsUnknownToStaff.</summary>
        public string Limit { get; internal set; }
        /// <summary>The parameter that sets the limit; null for a check only -Force overrides.</summary>
        public string Parameter { get; internal set; }
        public double? Percent { get; internal set; }
        public int? MaximumPercent { get; internal set; }
        /// <summary>The figures, and how to go on.</summary>
        public string Message { get; internal set; }
        /// <summary>True when the run went on anyway (-Force).</summary>
        public bool Overridden { get; internal set; }

        public override string ToString() => $"{Limit}: {Message}";
    }
}
