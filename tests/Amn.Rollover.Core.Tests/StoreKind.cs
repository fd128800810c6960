namespace Amn.Rollover.Core.Tests
{
    /// <summary>The two tenant stores the store, importer and rollover tests run on.</summary>
    public enum StoreKind
    {
        /// <summary>An SQLite store file.</summary>
        File,
        /// <summary>A school on a school board's PostgreSQL server.</summary>
        Server,
    }
}
