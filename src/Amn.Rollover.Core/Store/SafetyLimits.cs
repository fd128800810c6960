namespace Amn.Rollover.Core.Store
{
    /// <summary>Guards against bulk changes that usually mean the wrong file was used.</summary>
    public static class SafetyLimits
    {
        /// <summary>More than this share of a tenant's staff removed at once, or of its pupils missing from a rollover file, needs -Force.</summary>
        public const double MaxShare = 0.10;

        public static bool Exceeds(int affected, long total) => total > 0 && affected > MaxShare * total;
    }
}
