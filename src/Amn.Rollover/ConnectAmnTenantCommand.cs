using System;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommunications.Connect, "AmnTenant", DefaultParameterSetName = FileSet)]
    [OutputType(typeof(TenantInfo))]
    public sealed class ConnectAmnTenantCommand : AmnCmdlet
    {
        private const string FileSet = "Path";
        private const string ServerSet = "Server";

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = FileSet)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>A school board's PostgreSQL server: Host=...;Database=...;Username=... (a password is better given with -Credential or a pgpass file).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ServerSet)]
        [ValidateNotNullOrEmpty]
        public string ConnectionString { get; set; }

        /// <summary>The school on that server (Get-AmnTenant -ConnectionString ... -ListAvailable lists them).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ServerSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SchoolCompleter))]
        public string School { get; set; }

        [Parameter(ParameterSetName = ServerSet)]
        [Credential]
        public PSCredential Credential { get; set; }

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
            var path = ParameterSetName == ServerSet ? School : Path != null ? ResolvePath(Path) : Tenant?.Path ?? TenantStore.DefaultPath();
            try
            {
                if (ParameterSetName == ServerSet) store = SchoolBoardConnection.Open(this, ConnectionString, Credential, connectionString => TenantStore.OpenSchool(connectionString, School));
                else if (Path != null) store = TenantStore.Open(path);
                else if (Tenant != null) store = Tenant;
                else
                {
                    WriteVerbose(Messages.Format("ConnectingDefaultStoreExplicit", path));
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
