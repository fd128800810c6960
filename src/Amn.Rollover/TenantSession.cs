using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    /// <summary>The tenant that Connect-AmnTenant made current for this PowerShell session.</summary>
    internal static class TenantSession
    {
        public static TenantStore Current { get; set; }

        /// <summary>
        /// The path of a Connect-AmnTenant that failed while no tenant was current: until a connect
        /// succeeds, cmdlets refuse to fall back to the default store (the admin meant another one).
        /// </summary>
        public static string FailedConnect { get; set; }

        /// <summary>
        /// The default store, connected because a cmdlet ran before any Connect-AmnTenant, until its
        /// first change warns (once) that the change goes there and not into the school's store.
        /// </summary>
        public static TenantStore UnannouncedDefault { get; set; }
    }
}
