using System.Management.Automation;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommunications.Connect, "AmnTenant")]
    [OutputType(typeof(TenantInfo))]
    public sealed class ConnectAmnTenantCommand : AmnCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        protected override void ProcessRecord()
        {
            TenantStore store;
            if (Path != null)
            {
                var path = ResolvePath(Path);
                store = Run(() => TenantStore.Open(path));
            }
            else if (Tenant != null)
            {
                store = Tenant;
            }
            else
            {
                var path = TenantStore.DefaultPath();
                WriteVerbose($"Connecting the default tenant store '{path}'.");
                store = Run(() => TenantStore.Open(path, createFolder: true));
            }
            TenantSession.Current = store;
            WriteObject(store.GetInfo());
        }
    }
}
