namespace Amn.Rollover.Core.Store
{
    /// <summary>A tenant store as the user sees it: where it is and what it holds.</summary>
    public sealed class TenantInfo
    {
        internal TenantInfo(TenantStore store, long studentCount, long groupCount, long staffCount)
        {
            Store = store;
            Path = store.Path;
            Kind = store.Kind;
            BackupFolder = store.BackupFolder;
            SchemaVersion = store.SchemaVersion;
            StudentCount = studentCount;
            GroupCount = groupCount;
            StaffCount = staffCount;
        }

        /// <summary>The store file's path, or the school with its database and server.</summary>
        public string Path { get; }

        /// <summary>SQLite (a store file) or PostgreSQL (a school on a school board's server).</summary>
        public string Kind { get; }
        public int SchemaVersion { get; }

        /// <summary>Where automatic backups and, by default, Backup-AmnTenant's go.</summary>
        public string BackupFolder { get; }
        public long StudentCount { get; }
        public long GroupCount { get; }
        public long StaffCount { get; }

        private TenantStore Store { get; }

        /// <summary>The store this describes, so -Tenant $info works on it without opening the file again (a method, so it stays out of tables and CSV).</summary>
        public TenantStore GetStore() => Store;

        public override string ToString() => Path;
    }
}
