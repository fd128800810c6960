namespace Amn.Rollover.Core.Store
{
    /// <summary>A backup file that passed every check of <see cref="TenantStore.CheckBackup"/>, so a restore need not read it twice.</summary>
    public sealed class CheckedBackup
    {
        internal CheckedBackup(string path, int schemaVersion)
        {
            Path = path;
            SchemaVersion = schemaVersion;
        }

        public string Path { get; }
        public int SchemaVersion { get; }
    }
}
