namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>What a plan was made from: its options and the hashes of both files and of the store's data.</summary>
    public sealed class RolloverInputs
    {
        public RolloverOptions Options { get; internal set; }
        public string StudentFileHash { get; internal set; }
        public string StaffFileHash { get; internal set; }
        public string TenantFingerprint { get; internal set; }
    }
}
