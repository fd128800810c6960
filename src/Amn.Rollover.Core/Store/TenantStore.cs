using System;
using System.Diagnostics;
using System.IO;
using Amn.Rollover.Core.Native;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// One school's AMN administration in an SQLite file. Open it with <see cref="Open"/>; every
    /// operation then takes its own connection from <see cref="OpenConnection"/>.
    /// </summary>
    public sealed class TenantStore
    {
        /// <summary>How long a writer waits for another process's write lock before giving up, unless the store says otherwise.</summary>
        public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(60);

        /// <summary>How long each SQLite call waits on a lock before Amn.Rollover looks again (and can say it is waiting).</summary>
        private const int LockPollMilliseconds = 1000;

        private TimeSpan _busyTimeout = DefaultBusyTimeout;

        private TenantStore(string path)
        {
            Path = path;
        }

        public string Path { get; }
        public int SchemaVersion { get; private set; }

        /// <summary>How long a write waits for another session's write to finish before it fails with TenantBusy.</summary>
        public TimeSpan BusyTimeout
        {
            get => _busyTimeout;
            set => _busyTimeout = value < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : value;
        }

        /// <summary>The default store: $env:AMN_TENANT_PATH, else Amn.Rollover/tenant.db in local application data.</summary>
        public static string DefaultPath()
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("AMN_TENANT_PATH");
            if (!string.IsNullOrWhiteSpace(fromEnvironment)) return System.IO.Path.GetFullPath(fromEnvironment);
            var appData = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
            return System.IO.Path.Combine(appData, "Amn.Rollover", "tenant.db");
        }

        /// <summary>
        /// Opens a store, creating it when the file is missing and migrating it forward when its schema
        /// is older. Refuses, without touching the file, a missing folder, a file that is not a tenant
        /// store, a store written by a newer module, and a store on a network share.
        /// </summary>
        public static TenantStore Open(string path, bool createFolder = false) => Open(path, create: true, createFolder);

        /// <summary>Opens a store that must exist already (a path given to -Tenant): a missing file is an error, never a new store.</summary>
        public static TenantStore OpenExisting(string path) => Open(path, create: false, createFolder: false);

        private static TenantStore Open(string path, bool create, bool createFolder)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new AmnException("TenantPathEmpty", AmnErrorCategory.InvalidArgument, "The tenant store path is empty.");
            path = System.IO.Path.GetFullPath(path);
            var folder = System.IO.Path.GetDirectoryName(path);
            if (Directory.Exists(path))
                throw new AmnException("TenantPathIsFolder", AmnErrorCategory.InvalidArgument, $"The tenant store path '{path}' is a folder; give the path of a file such as '{System.IO.Path.Combine(path, "tenant.db")}'.", path);
            if (!Directory.Exists(folder))
            {
                if (!createFolder)
                    throw new AmnException("TenantFolderNotFound", AmnErrorCategory.ObjectNotFound, $"Cannot open the tenant store '{path}': the folder '{folder}' does not exist.", path);
                NetworkFileSystems.EnsureLocal(path); // before anything is created there
                WithFileErrors(path, () => FilePermissions.CreateOwnerOnlyDirectory(folder));
            }
            else NetworkFileSystems.EnsureLocal(path);

            NativeSqlite.EnsureLoaded();
            if (!File.Exists(path))
            {
                if (!create)
                    throw new AmnException("TenantNotFound", AmnErrorCategory.ObjectNotFound, $"There is no tenant store '{path}'. Connect-AmnTenant -Path '{path}' creates a new one.", path);
                // No connection of this process can be open on a file that does not exist yet.
                WithFileErrors(path, () => FilePermissions.CreateOwnerOnlyFile(path));
            }

            var store = new TenantStore(path);
            store.Use(connection =>
            {
                var version = ReadVersion(connection, path, "tenant store");
                if (version > Schema.LatestVersion)
                    throw new AmnException("TenantSchemaTooNew", AmnErrorCategory.InvalidData,
                        $"The tenant store '{path}' has schema version {version}, newer than the {Schema.LatestVersion} this version of Amn.Rollover knows. Update the module; the store was left untouched.", path);
                if (!string.Equals(Convert.ToString(Scalar(connection, "PRAGMA journal_mode;")), "wal", StringComparison.OrdinalIgnoreCase))
                    Execute(connection, "PRAGMA journal_mode = WAL;");
                store.SchemaVersion = Migrate(connection, version);
                return true;
            });
            return store;
        }

        /// <summary>
        /// A new open connection with foreign keys on and a busy timeout. The caller disposes it on
        /// every path; SQLite's errors come out as <see cref="AmnException"/>s naming the store.
        /// </summary>
        public SqliteConnection OpenConnection()
        {
            if (!File.Exists(Path)) throw SqliteErrors.MissingError(Path);
            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = Path,
                Mode = SqliteOpenMode.ReadWrite, // never creates: a vanished store is an error, not a new empty one
                Pooling = false,
                ForeignKeys = true,
                DefaultTimeout = (int)Math.Ceiling(BusyTimeout.TotalSeconds),
            };
            var connection = new SqliteConnection(builder.ToString());
            try
            {
                connection.Open();
                Execute(connection, $"PRAGMA busy_timeout = {LockPollMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;");
                return connection;
            }
            catch (SqliteException e)
            {
                connection.Dispose();
                throw Translate(e);
            }
        }

        /// <summary>
        /// Starts the write transaction of one operation (BEGIN IMMEDIATE): from here on no other
        /// session can change the store until it commits or rolls back, so every lookup that decides a
        /// write belongs after this call. While another session writes, <paramref name="waiting"/> is
        /// told once; after <see cref="BusyTimeout"/> the result is a TenantBusy error.
        /// </summary>
        public SqliteTransaction BeginWrite(SqliteConnection connection, Action<string> waiting = null)
        {
            var clock = Stopwatch.StartNew();
            var saved = connection.DefaultTimeout;
            connection.DefaultTimeout = 1; // Microsoft.Data.Sqlite's own retry loop, per attempt
            try
            {
                while (true)
                {
                    try
                    {
                        return connection.BeginTransaction();
                    }
                    catch (SqliteException e) when (e.SqliteErrorCode == SqliteErrors.Busy || e.SqliteErrorCode == SqliteErrors.Locked)
                    {
                        if (clock.Elapsed >= BusyTimeout) throw SqliteErrors.BusyError(Path, BusyTimeout, e);
                        if (waiting != null)
                        {
                            waiting($"The tenant store '{Path}' is being changed by another session; waiting for it (at most {BusyTimeout.TotalSeconds:0} s, {clock.Elapsed.TotalSeconds:0} s so far).");
                        }
                    }
                }
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }
            finally
            {
                connection.DefaultTimeout = saved;
            }
        }

        /// <summary>Runs <paramref name="read"/> on a connection of its own, closed afterwards on every path.</summary>
        public T Use<T>(Func<SqliteConnection, T> read)
        {
            using (var connection = OpenConnection())
            {
                try { return read(connection); }
                catch (SqliteException e) { throw Translate(e); }
            }
        }

        /// <summary>Runs <paramref name="write"/> in one write transaction on a connection of its own and commits it.</summary>
        public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> write, Action<string> waiting = null)
        {
            return Use(connection =>
            {
                using (var transaction = BeginWrite(connection, waiting))
                {
                    var result = write(connection, transaction);
                    transaction.Commit();
                    return result;
                }
            });
        }

        /// <summary>SQLite's report as an error about this store.</summary>
        public AmnException Translate(SqliteException e) => SqliteErrors.Translate(e, Path, BusyTimeout);

        /// <summary>Counts of what the store holds.</summary>
        public TenantInfo GetInfo()
        {
            return Use(connection => new TenantInfo(this, Count(connection, "students WHERE erased_utc IS NULL"), Count(connection, "groups"), Count(connection, "staff")));
        }

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

        /// <summary>The backup taken before a bulk change (see <see cref="TenantBackups.Automatic"/>).</summary>
        public string AutomaticBackup() => TenantBackups.Automatic(this);

        /// <summary>Checks a backup completely without changing it (see <see cref="TenantRestore.Check"/>).</summary>
        public static CheckedBackup CheckBackup(string backupPath)
        {
            var path = System.IO.Path.GetFullPath(backupPath);
            return new CheckedBackup(path, TenantRestore.Check(path));
        }

        /// <summary>Replaces the store's pupils, groups, staff and links with those of a checked backup (see <see cref="TenantRestore"/>).</summary>
        public void Restore(string backupPath) => Restore(CheckBackup(backupPath));

        /// <summary>As <see cref="Restore(string)"/>, for a backup checked already.</summary>
        public void Restore(CheckedBackup backup) => SchemaVersion = TenantRestore.Run(this, backup.Path, backup.SchemaVersion);

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
                throw new AmnException("NotATenantStore", AmnErrorCategory.InvalidData, $"The file '{path}' is not an SQLite database, so it cannot be a {what}. It was left untouched.", path, e);
            }
            if (applicationId != Schema.ApplicationId && (tables > 0 || version != 0))
                throw new AmnException("NotATenantStore", AmnErrorCategory.InvalidData, $"The file '{path}' is an SQLite database of another program, not an Amn.Rollover {what}. It was left untouched.", path);
            return (int)version;
        }

        /// <summary>File-system errors while creating a store or its folder, as errors naming the path.</summary>
        private static void WithFileErrors(string path, Action action)
        {
            try { action(); }
            catch (UnauthorizedAccessException e) { throw SqliteErrors.ReadOnlyError(path, e); }
            catch (IOException e) when (!(e is FileNotFoundException) && !(e is DirectoryNotFoundException))
            {
                throw new AmnException("TenantNotCreated", AmnErrorCategory.WriteError, $"Cannot create the tenant store '{path}': the disk refused ({e.GetType().Name}). Check free space and permissions of its folder.", path, e);
            }
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

        private static long Count(SqliteConnection connection, string table)
        {
            return Convert.ToInt64(Scalar(connection, $"SELECT count(*) FROM {table};"));
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
