using System;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// Where a tenant's data lives: an SQLite store file, or a school on a school board's PostgreSQL
    /// server. Every operation works in SQL on an SQLite connection this gives it, so each rule, query
    /// and guarantee of the store is written once; a server school's connection holds a private
    /// in-memory copy of that school, read in one snapshot and written back in one server transaction.
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

        /// <summary>
        /// A new open connection on the tenant's data (foreign keys on); the caller disposes it. With
        /// <paramref name="forWrite"/> the caller begins a write on it at once, which reads what the
        /// write decides on: a server school's copy is then read only there, under the lock.
        /// </summary>
        SqliteConnection OpenConnection(TimeSpan busyTimeout, bool forWrite);

        /// <summary>
        /// Starts the write transaction of one operation: from here on no other session can change the
        /// tenant until it commits or rolls back. <paramref name="waiting"/> is told while another
        /// session writes; after <paramref name="busyTimeout"/> the result is a TenantBusy error.
        /// </summary>
        TenantTransaction BeginWrite(SqliteConnection connection, TimeSpan busyTimeout, Action<string> waiting);

        /// <summary>
        /// Overwrites what earlier writes left behind of deleted or changed values (free pages, the
        /// unused parts of pages, the write-ahead log), after an erasure has committed on
        /// <paramref name="connection"/>. A server's old row versions are the server's (see
        /// <see cref="KeepsOldRowVersions"/>).
        /// </summary>
        void ScrubFreedSpace(SqliteConnection connection, TimeSpan busyTimeout);

        /// <summary>Where automatic and manual backups of this tenant go, and the start of their names.</summary>
        string BackupFolder { get; }
        string BackupName { get; }

        /// <summary>A folder for a restore's temporary copy of the backup.</summary>
        string WorkFolder { get; }

        /// <summary>SQLite's report as an error about this tenant.</summary>
        AmnException Translate(SqliteException e, TimeSpan busyTimeout);
    }
}
