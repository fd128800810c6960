using System.Management.Automation;
using Amn.Rollover.Core;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommunications.Disconnect, "AmnTenant")]
    [OutputType(typeof(void))]
    public sealed class DisconnectAmnTenantCommand : AmnCmdlet
    {
        protected override void End()
        {
            // Connections are opened per command, so nothing stays open: forgetting the tenant is enough.
            if (Tenant == null || TenantSession.Current?.Path == Tenant.Path)
            {
                if (TenantSession.Current != null) WriteVerbose(Messages.Format("Disconnected", TenantSession.Current.Path));
                TenantSession.Current = null;
            }
        }
    }
}
