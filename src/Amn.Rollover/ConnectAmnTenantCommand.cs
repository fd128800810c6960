using System;
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

        [Parameter]
        [ValidateRange(1, 3600)]
        public int BusyTimeoutSec { get; set; } = (int)TenantStore.DefaultBusyTimeout.TotalSeconds;

        [Parameter]
        [ValidateRange(1, 1000)]
        public int BackupCount { get; set; } = TenantStore.DefaultAutomaticBackupsKept;

        [Parameter]
        [ValidateRange(1, 3650)]
        public int BackupMaxAgeDays { get; set; } = (int)TenantStore.DefaultAutomaticBackupMaxAge.TotalDays;

        protected override void Process()
        {
            TenantStore store;
            var path = Path != null ? ResolvePath(Path) : Tenant?.Path ?? TenantStore.DefaultPath();
            try
            {
                if (Path != null) store = TenantStore.Open(path);
                else if (Tenant != null) store = Tenant;
                else
                {
                    WriteVerbose($"Connecting the default tenant store '{path}'.");
                    store = TenantStore.Open(path, createFolder: true);
                }
                store.BusyTimeout = TimeSpan.FromSeconds(BusyTimeoutSec);
                store.AutomaticBackupsKept = BackupCount;
                store.AutomaticBackupMaxAge = TimeSpan.FromDays(BackupMaxAgeDays);
                var info = store.GetInfo();
                TenantSession.Current = store;
                TenantSession.FailedConnect = null;
                TenantSession.UnannouncedDefault = null; // connected on purpose
                WriteObject(info);
            }
            catch
            {
                // The current tenant stays as it was; without one, no cmdlet falls back to the default store.
                if (TenantSession.Current == null) TenantSession.FailedConnect = path;
                throw;
            }
        }
    }
}
