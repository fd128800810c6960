namespace Amn.Rollover.Core.Store
{
    /// <summary>The links of one staff member that a Set or Remove changes.</summary>
    public sealed class LinkChange
    {
        public string UserName { get; internal set; }
        public string[] Added { get; internal set; } = new string[0];
        public string[] Removed { get; internal set; } = new string[0];
        /// <summary>Groups that did not exist and were skipped.</summary>
        public string[] UnknownGroups { get; internal set; } = new string[0];
        /// <summary>Groups that did not exist and are created (with -CreateMissingGroups).</summary>
        public string[] CreatedGroups { get; internal set; } = new string[0];
        public bool IsEmpty => Added.Length == 0 && Removed.Length == 0;
    }
}
