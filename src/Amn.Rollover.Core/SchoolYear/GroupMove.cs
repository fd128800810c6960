namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>How many pupils go from one of last year's groups to one of the new groups.</summary>
    public sealed class GroupMove
    {
        /// <summary>Last year's group; "(new)" for new pupils, empty for pupils who had none.</summary>
        public string From { get; internal set; }
        /// <summary>The new group; "(left)" for pupils not in the new file.</summary>
        public string To { get; internal set; }
        public int Count { get; internal set; }

        public override string ToString() => $"{From} -> {To}: {Count}";
    }
}
