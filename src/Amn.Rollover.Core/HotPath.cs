using System.Runtime.CompilerServices;

namespace Amn.Rollover.Core
{
    /// <summary>
    /// MethodImplOptions.AggressiveOptimization (.NET Core 3.0+; netstandard2.0 has no name for it,
    /// .NET Framework ignores it). Bulk imports run their per-row methods 100,000 times within a
    /// second, mostly before tiered compilation would have optimised them; this compiles them
    /// optimised from the first call.
    /// </summary>
    internal static class HotPath
    {
        public const MethodImplOptions Optimize = (MethodImplOptions)512;
    }
}
