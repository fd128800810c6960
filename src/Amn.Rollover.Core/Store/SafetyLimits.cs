namespace Amn.Rollover.Core.Store
{
    /// <summary>Guards against bulk changes that usually mean the wrong file or filter was used.</summary>
    public static class SafetyLimits
    {
        /// <summary>More than this share of a tenant's staff removed at once needs -Force.</summary>
        public const double MaxShare = 0.10;

        /// <summary>Whether <paramref name="affected"/> of <paramref name="total"/> is more than <paramref name="share"/> of them.</summary>
        public static bool Exceeds(long affected, long total, double share = MaxShare) => total > 0 && affected > share * total;
    }
}
