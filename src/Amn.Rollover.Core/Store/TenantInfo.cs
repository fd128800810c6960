namespace Amn.Rollover.Core.Store
{
    /// <summary>A tenant store as the user sees it: where it is and what it holds.</summary>
    public sealed class TenantInfo
    {
        public TenantInfo(string path, int schemaVersion, long studentCount, long groupCount, long staffCount)
        {
            Path = path;
            SchemaVersion = schemaVersion;
            StudentCount = studentCount;
            GroupCount = groupCount;
            StaffCount = staffCount;
        }

        public string Path { get; }
        public int SchemaVersion { get; }
        public long StudentCount { get; }
        public long GroupCount { get; }
        public long StaffCount { get; }

        public override string ToString() => Path;
    }
}
