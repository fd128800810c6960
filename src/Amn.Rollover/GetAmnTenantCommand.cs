using System.Management.Automation;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Get, "AmnTenant")]
    [OutputType(typeof(TenantInfo))]
    public sealed class GetAmnTenantCommand : AmnCmdlet
    {
        protected override void End()
        {
            WriteObject(Store.GetInfo());
        }
    }
}
