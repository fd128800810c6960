namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>A pupil named in the plan: a leaver (with last year's group) or a new pupil (with the new group).</summary>
    public sealed class PlannedStudent
    {
        public string Number { get; internal set; }
        public string Name { get; internal set; }
        public string Group { get; internal set; }

        public override string ToString() => $"{Number} {Name}";
    }
}
