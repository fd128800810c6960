using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    /// <summary>The tenant that Connect-AmnTenant made current for this PowerShell session.</summary>
    internal static class TenantSession
    {
        public static TenantStore Current { get; set; }
    }
}
