using System;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// Where a tenant's data lives: an SQLite store file, or a school on a school board's PostgreSQL
    /// server. Every command, a backup and a restore included, queries and changes it in the store's own
    /// SQL (<see cref="ITenantQueries"/>, <see cref="ITenantEdits"/>, <see cref="WriteBackup"/>); no
    /// connection to the store leaves it.
    /// </summary>
    internal interface ITenantStorage
    {
        /// <summary>How messages name the tenant: the file's path, or the school, database and server.</summary>
        string Name { get; }

        /// <summary>"SQLite" or "PostgreSQL".</summary>
        string Kind { get; }

        /// <summary>
        /// Whether erased values stay on disk in old row versions until the server reuses their space
        /// (PostgreSQL's MVCC); SQLite's secure_delete overwrites them at once.
        /// </summary>
        bool KeepsOldRowVersions { get; }

        int SchemaVersion { get; }

        /// <summary>A read in one consistent view, its queries answered by the store itself.</summary>
        TenantTransaction BeginRead(TimeSpan busyTimeout);

        /// <summary>
        /// Starts the write transaction of one operation: from here on no other session can change the
        /// tenant until it commits or rolls back. <paramref name="waiting"/> is told while another
        /// session writes; after <paramref name="busyTimeout"/> the result is a TenantBusy error.
        /// </summary>
        TenantTransaction BeginWrite(TimeSpan busyTimeout, Action<string> waiting);

        /// <summary>
        /// A backup's content: all of the tenant's data, read in one consistent view, written into
        /// <paramref name="target"/>, an empty SQLite database (a backup is a store file on either store).
        /// </summary>
        void WriteBackup(SqliteConnection target, TimeSpan busyTimeout);

        /// <summary>
        /// Overwrites what earlier writes left behind of deleted or changed values (free pages, the
        /// unused parts of pages, the write-ahead log), after an erasure has committed in
        /// <paramref name="work"/>. A server's old row versions are the server's (see
        /// <see cref="KeepsOldRowVersions"/>).
        /// </summary>
        void ScrubFreedSpace(TenantWork work, TimeSpan busyTimeout);

        /// <summary>Begins to watch for changes any other session commits to the tenant (see <see cref="PlannedChange"/>).</summary>
        IChangeWatch WatchChanges(TimeSpan busyTimeout);

        /// <summary>Where automatic and manual backups of this tenant go, and the start of their names.</summary>
        string BackupFolder { get; }
        string BackupName { get; }

        /// <summary>A folder for a restore's temporary copy of the backup.</summary>
        string WorkFolder { get; }

        /// <summary>SQLite's report as an error about this tenant.</summary>
        AmnException Translate(SqliteException e, TimeSpan busyTimeout);
    }
}
