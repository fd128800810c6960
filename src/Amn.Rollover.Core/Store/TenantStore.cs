using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// One school's AMN administration: an SQLite store file (<see cref="Open"/>) or a school on a
    /// school board's PostgreSQL server (<see cref="OpenSchool"/>). Every operation reads in a
    /// <see cref="BeginRead()"/> and writes in a <see cref="BeginWrite(Action{string})"/> of its own
    /// (a <see cref="TenantWork"/>); which of the two stores is behind it only <see cref="Kind"/> tells.
    /// </summary>
    public sealed class TenantStore
    {
        /// <summary>How long a writer waits for another process's write lock before giving up, unless the store says otherwise.</summary>
        public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(60);

        private readonly ITenantStorage _storage;
        private TimeSpan _busyTimeout = DefaultBusyTimeout;

        private TenantStore(ITenantStorage storage)
        {
            _storage = storage;
        }

        /// <summary>The store file's path, or for a school on a server: the school, its database and the server.</summary>
        public string Path => _storage.Name;

        /// <summary>"SQLite" or "PostgreSQL".</summary>
        public string Kind => _storage.Kind;

        /// <summary>Whether erased values stay on the server's disk in old row versions until vacuumed.</summary>
        public bool KeepsOldRowVersions => _storage.KeepsOldRowVersions;

        public int SchemaVersion => _storage.SchemaVersion;

        /// <summary>How long a write waits for another session's write to finish before it fails with TenantBusy.</summary>
        public TimeSpan BusyTimeout
        {
            get => _busyTimeout;
            set => _busyTimeout = value < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : value;
        }

        /// <summary>The default store: $env:AMN_TENANT_PATH, else tenant.db in the module's own folder (<see cref="LocalFolder"/>).</summary>
        public static string DefaultPath()
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("AMN_TENANT_PATH");
            if (!string.IsNullOrWhiteSpace(fromEnvironment)) return System.IO.Path.GetFullPath(fromEnvironment);
            return System.IO.Path.Combine(LocalFolder(), "tenant.db");
        }

        /// <summary>
        /// The module's own folder, for the default store and the automatic backups of server schools:
        /// $env:AMN_ROLLOVER_HOME, else Amn.Rollover in local application data. The variable is the one
        /// override that works on every platform: Windows finds local application data through the
        /// user's profile, not through LOCALAPPDATA, HOME or XDG_DATA_HOME.
        /// </summary>
        internal static string LocalFolder()
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("AMN_ROLLOVER_HOME");
            if (!string.IsNullOrWhiteSpace(fromEnvironment)) return System.IO.Path.GetFullPath(fromEnvironment);
            return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "Amn.Rollover");
        }

        /// <summary>
        /// Opens a store file, creating it when the file is missing and migrating it forward when its schema
        /// is older. Refuses, without touching the file, a missing folder, a file that is not a tenant
        /// store, a store written by a newer module, and a store on a network share.
        /// </summary>
        public static TenantStore Open(string path, bool createFolder = false) => new TenantStore(SqliteFileStorage.Open(path, create: true, createFolder));

        /// <summary>Opens a store file that must exist already (a path given to -Tenant): a missing file is an error, never a new store.</summary>
        public static TenantStore OpenExisting(string path) => new TenantStore(SqliteFileStorage.Open(path, create: false, createFolder: false));

        /// <summary>
        /// A school on a school board's PostgreSQL server, as the connecting user (who must be a member
        /// of the school's role). Refuses an unreachable server, a database without the board's schema
        /// or with a newer one, and a school the user may not use.
        /// </summary>
        public static TenantStore OpenSchool(string connectionString, string school) => new TenantStore(Postgres.SchoolBoardStorage.Open(connectionString, school));

        /// <summary>
        /// A read of the tenant: one consistent view (a plan, -WhatIf, a Get- cmdlet), nothing written
        /// anywhere. The caller disposes it on every path.
        /// </summary>
        public TenantWork BeginRead() => new TenantWork(this, _storage.BeginRead(BusyTimeout), writes: false);

        /// <summary>
        /// Starts the write of one operation: from here on no other session can change the tenant until
        /// it commits or is disposed, so every lookup that decides a write belongs after this call.
        /// While another session writes, <paramref name="waiting"/> is told; after
        /// <see cref="BusyTimeout"/> the result is a TenantBusy error.
        /// </summary>
        public TenantWork BeginWrite(Action<string> waiting = null) => new TenantWork(this, _storage.BeginWrite(BusyTimeout, waiting), writes: true);

        /// <summary>Runs <paramref name="write"/> in one write of its own and commits it.</summary>
        internal T Write<T>(Func<TenantWork, T> write, Action<string> waiting = null)
        {
            using (var work = BeginWrite(waiting))
            {
                T result;
                try { result = write(work); }
                catch (SqliteException e) { throw Translate(e); }
                work.Commit();
                return result;
            }
        }

        /// <summary>Runs <paramref name="read"/> in a read of its own.</summary>
        internal T Read<T>(Func<TenantWork, T> read)
        {
            using (var work = BeginRead())
            {
                try { return read(work); }
                catch (SqliteException e) { throw Translate(e); }
            }
        }

        /// <summary>All of the store's data, in one consistent view, into the empty SQLite database of a backup.</summary>
        internal void WriteBackup(SqliteConnection target) => _storage.WriteBackup(target, BusyTimeout);

        /// <summary>Begins to watch for changes other sessions commit (see <see cref="ITenantStorage.WatchChanges"/>).</summary>
        internal IChangeWatch WatchChanges() => _storage.WatchChanges(BusyTimeout);

        /// <summary>After an erasure: overwrites what earlier writes left of deleted values (see <see cref="ITenantStorage.ScrubFreedSpace"/>).</summary>
        internal void ScrubFreedSpace(TenantWork work) => _storage.ScrubFreedSpace(work, BusyTimeout);

        /// <summary>SQLite's report as an error about this store.</summary>
        internal AmnException Translate(SqliteException e) => _storage.Translate(e, BusyTimeout);

        /// <summary>An exception from this store's engine as an error about this store; null for any other exception.</summary>
        public AmnException Translate(Exception e) => e is SqliteException sqlite ? Translate(sqlite) : null;

        internal string BackupFolder => _storage.BackupFolder;
        internal string BackupName => _storage.BackupName;
        internal string WorkFolder => _storage.WorkFolder;

        /// <summary>Counts of what the store holds.</summary>
        public TenantInfo GetInfo()
        {
            var counts = Read(work => work.Queries.Counts());
            return new TenantInfo(this, counts.Students, counts.Groups, counts.Staff);
        }

        /// <summary>For a school on a board's server: the schools there that its user may use (Get-AmnTenant -ListAvailable); null for a store file.</summary>
        public List<Postgres.SchoolTenant> SchoolsOnServer() => _storage is Postgres.SchoolBoardStorage board ? board.SchoolsOnServer() : null;

        /// <summary>A consistent copy of the store (see <see cref="TenantBackups.Write"/>). Returns the full path of the copy.</summary>
        public string Backup(string destination = null) => TenantBackups.Write(this, destination ?? TenantBackups.ManualPath(this));

        /// <summary>Where a backup made by hand goes by default: backups/ beside the store, with a timestamp.</summary>
        public string DefaultBackupPath() => TenantBackups.ManualPath(this);

        /// <summary>How many automatic backups are kept beside the store; older ones are deleted (Connect-AmnTenant -BackupCount).</summary>
        public int AutomaticBackupsKept { get; set; } = TenantBackups.DefaultKept;

        /// <summary>How long an automatic backup is kept at most: it holds personal data erased since (Connect-AmnTenant -BackupMaxAgeDays).</summary>
        public TimeSpan AutomaticBackupMaxAge { get; set; } = TenantBackups.DefaultMaxAge;

        public static int DefaultAutomaticBackupsKept => TenantBackups.DefaultKept;
        public static TimeSpan DefaultAutomaticBackupMaxAge => TenantBackups.DefaultMaxAge;

        /// <summary>Deletes the automatic backups past the count or the age limit.</summary>
        public void PruneAutomaticBackups() => TenantBackups.Prune(this);

        /// <summary>The newest automatic backup and when the age limit deletes it; null when there is none.</summary>
        public (string Path, DateTime DeletedAfter)? NewestAutomaticBackup()
        {
            var files = TenantBackups.AutomaticFiles(this);
            if (files.Length == 0) return null;
            var newest = files[files.Length - 1];
            return (newest, File.GetLastWriteTime(newest) + AutomaticBackupMaxAge);
        }

        /// <summary>
        /// The backup taken before a bulk change (see <see cref="TenantBackups.Automatic"/>).
        /// <paramref name="canBeSkipped"/>: the command has -NoBackup, so a full disk may name it.
        /// </summary>
        public string AutomaticBackup(bool canBeSkipped = false) => TenantBackups.Automatic(this, canBeSkipped);

        /// <summary>Checks a backup completely without changing it (see <see cref="TenantRestore.Check"/>).</summary>
        public static CheckedBackup CheckBackup(string backupPath)
        {
            var path = System.IO.Path.GetFullPath(backupPath);
            return new CheckedBackup(path, TenantRestore.Check(path));
        }

        /// <summary>
        /// Replaces the store's pupils, groups, staff and links with those of a checked backup (see
        /// <see cref="TenantRestore.Run"/>); returns the numbers of the pupils erased in the store that
        /// the backup brought back and that were erased again.
        /// </summary>
        public IReadOnlyList<string> Restore(string backupPath) => Restore(CheckBackup(backupPath));

        /// <summary>
        /// As <see cref="Restore(string)"/>, for a backup checked already; with <paramref name="safetyBackup"/>, the
        /// store as it is is backed up first, inside the restore's lock, and the path handed to <paramref name="backedUp"/>.
        /// </summary>
        public IReadOnlyList<string> Restore(CheckedBackup backup, bool safetyBackup = false, Action<string> backedUp = null)
            => TenantRestore.Run(this, backup.Path, backup.SchemaVersion, safetyBackup ? () =>
            {
                var path = AutomaticBackup(canBeSkipped: true);
                backedUp?.Invoke(path);
            } : (Action)null);

        /// <summary>
        /// The schema version of an SQLite file that must be an Amn.Rollover store; refuses other files.
        /// Reads through SQLite only, so it is safe on a store this process has open.
        /// </summary>
        internal static int ReadVersion(SqliteConnection connection, string path, string what)
        {
            long applicationId, version, tables;
            try
            {
                applicationId = Convert.ToInt64(Scalar(connection, "PRAGMA application_id;"));
                version = Convert.ToInt64(Scalar(connection, "PRAGMA user_version;"));
                tables = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_master;"));
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SqliteErrors.NotADatabase)
            {
                throw new AmnException("NotATenantStore", AmnErrorCategory.InvalidData, Messages.Format("NotSqlite", path, what), path, e);
            }
            if (applicationId != Schema.ApplicationId && (tables > 0 || version != 0))
                throw new AmnException("NotATenantStore", AmnErrorCategory.InvalidData, Messages.Format("OtherProgramsDatabase", path, what), path);
            return (int)version;
        }

        internal static int Migrate(SqliteConnection connection, int fromVersion)
        {
            if (fromVersion >= Schema.LatestVersion) return fromVersion;
            using (var transaction = connection.BeginTransaction())
            {
                for (int version = fromVersion + 1; version <= Schema.LatestVersion; version++)
                {
                    Execute(connection, Schema.Migrations[version - 1], transaction);
                }
                Execute(connection, $"PRAGMA application_id = {Schema.ApplicationId}; PRAGMA user_version = {Schema.LatestVersion};", transaction);
                transaction.Commit();
            }
            return Schema.LatestVersion;
        }

        internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction transaction = null)
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = sql;
                command.Transaction = transaction;
                command.ExecuteNonQuery();
            }
        }

        internal static object Scalar(SqliteConnection connection, string sql, SqliteTransaction transaction = null)
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = sql;
                command.Transaction = transaction;
                return command.ExecuteScalar();
            }
        }
    }
}
