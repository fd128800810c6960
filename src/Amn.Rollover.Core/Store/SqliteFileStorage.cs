using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Amn.Rollover.Core.Native;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>A tenant in an SQLite store file (WAL), the default: nothing to install, one school per file.</summary>
    internal sealed class SqliteFileStorage : ITenantStorage
    {
        /// <summary>How long each SQLite call waits on a lock before Amn.Rollover looks again (and can say it is waiting).</summary>
        private const int LockPollMilliseconds = 1000;

        private SqliteFileStorage(string path) { Name = path; }

        public string Name { get; }
        public string Kind => "SQLite";
        public bool KeepsOldRowVersions => false;
        public int SchemaVersion { get; private set; }
        public string BackupFolder => Path.Combine(Path.GetDirectoryName(Name), "backups");
        public string BackupName => Path.GetFileNameWithoutExtension(Name);
        public string WorkFolder => Path.GetDirectoryName(Name);

        /// <summary>
        /// Opens a store file, creating it when missing (if <paramref name="create"/>) and migrating it
        /// forward when its schema is older. Refuses, without touching the file, a missing folder, a file
        /// that is not a tenant store, a store written by a newer module, and a store on a network share.
        /// </summary>
        public static SqliteFileStorage Open(string path, bool create, bool createFolder)
        {
            if (string.IsNullOrWhiteSpace(path))
                throw new AmnException("TenantPathEmpty", AmnErrorCategory.InvalidArgument, Messages.Get("StorePathEmpty"));
            path = Path.GetFullPath(path);
            // A UNC path is refused for what it is, before its folder is looked for on the network.
            if (NetworkFileSystems.IsUncPath(path)) NetworkFileSystems.EnsureLocal(path);
            var folder = Path.GetDirectoryName(path);
            if (Directory.Exists(path))
                throw new AmnException("TenantPathIsFolder", AmnErrorCategory.InvalidArgument, Messages.Format("StorePathIsFolder", path, Path.Combine(path, "tenant.db")), path);
            if (!Directory.Exists(folder))
            {
                if (!createFolder)
                    throw new AmnException("TenantFolderNotFound", AmnErrorCategory.ObjectNotFound, Messages.Format("StoreFolderMissing", path, folder), path);
                NetworkFileSystems.EnsureLocal(path); // before anything is created there
                WithFileErrors(path, () => FilePermissions.CreateOwnerOnlyDirectory(folder));
            }
            else NetworkFileSystems.EnsureLocal(path);

            NativeSqlite.EnsureLoaded();
            Files.InputFile.EnsureNotSpecial(path);
            if (!File.Exists(path))
            {
                if (!create)
                    throw new AmnException("TenantNotFound", AmnErrorCategory.ObjectNotFound, Messages.Format("StoreNotFound", path), path);
                // No connection of this process can be open on a file that does not exist yet.
                WithFileErrors(path, () => FilePermissions.CreateOwnerOnlyFile(path));
            }

            var storage = new SqliteFileStorage(path);
            using (var connection = storage.OpenConnection(TenantStore.DefaultBusyTimeout))
            {
                try
                {
                    var version = TenantStore.ReadVersion(connection, path, Messages.Get("ATenantStore"));
                    if (version > Schema.LatestVersion)
                        throw new AmnException("TenantSchemaTooNew", AmnErrorCategory.InvalidData,
                            Messages.Format("StoreSchemaTooNew", path, version, Schema.LatestVersion), path);
                    if (!string.Equals(Convert.ToString(TenantStore.Scalar(connection, "PRAGMA journal_mode;")), "wal", StringComparison.OrdinalIgnoreCase))
                        TenantStore.Execute(connection, "PRAGMA journal_mode = WAL;");
                    storage.SchemaVersion = TenantStore.Migrate(connection, version);
                }
                catch (SqliteException e) { throw storage.Translate(e, TenantStore.DefaultBusyTimeout); }
            }
            return storage;
        }

        public void WriteBackup(SqliteConnection target, TimeSpan busyTimeout)
        {
            using (var source = OpenConnection(busyTimeout)) source.BackupDatabase(target);
        }

        /// <summary>A new connection to the file with foreign keys on; the caller disposes it.</summary>
        private SqliteConnection OpenConnection(TimeSpan busyTimeout)
        {
            if (!File.Exists(Name)) throw SqliteErrors.MissingError(Name);
            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = Name,
                Mode = SqliteOpenMode.ReadWrite, // never creates: a vanished store is an error, not a new empty one
                Pooling = false,
                ForeignKeys = true,
                DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
            };
            var connection = new SqliteConnection(builder.ToString());
            try
            {
                connection.Open();
                StoredValues.LimitLength(connection, Name);
                TenantStore.Execute(connection, $"PRAGMA busy_timeout = {LockPollMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;");
                return connection;
            }
            catch (SqliteException e)
            {
                connection.Dispose();
                throw Translate(e, busyTimeout);
            }
        }

        public TenantTransaction BeginRead(TimeSpan busyTimeout)
        {
            var connection = OpenConnection(busyTimeout);
            try { return new TenantTransaction(connection.BeginTransaction(deferred: true), ownsConnection: true); }
            catch (SqliteException e) { connection.Dispose(); throw Translate(e, busyTimeout); }
            catch { connection.Dispose(); throw; }
        }

        /// <summary>
        /// PRAGMA data_version on a connection of its own: SQLite changes it on that connection whenever any
        /// other connection, of this process or another, commits a change to the file.
        /// </summary>
        public IChangeWatch WatchChanges(TimeSpan busyTimeout) => new DataVersionWatch(OpenConnection(busyTimeout));

        private sealed class DataVersionWatch : IChangeWatch
        {
            private readonly SqliteConnection _connection;
            private readonly long _start;

            public DataVersionWatch(SqliteConnection connection)
            {
                _connection = connection;
                _start = DataVersion();
            }

            public bool ChangedSinceStart() => DataVersion() != _start;

            private long DataVersion() => Convert.ToInt64(TenantStore.Scalar(_connection, "PRAGMA data_version;"));

            public void Dispose() => _connection.Dispose();
        }

        public TenantTransaction BeginWrite(TimeSpan busyTimeout, Action<string> waiting)
        {
            var connection = OpenConnection(busyTimeout);
            try { return new TenantTransaction(BeginImmediate(connection, busyTimeout, waiting), ownsConnection: true); }
            catch { connection.Dispose(); throw; }
        }

        /// <summary>BEGIN IMMEDIATE, retried while another session holds the write lock.</summary>
        private SqliteTransaction BeginImmediate(SqliteConnection connection, TimeSpan busyTimeout, Action<string> waiting)
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
                        if (clock.Elapsed >= busyTimeout) throw SqliteErrors.BusyError(Name, busyTimeout, e);
                        waiting?.Invoke(Messages.Format("WaitingForStoreFile", Name, busyTimeout.TotalSeconds, clock.Elapsed.TotalSeconds));
                    }
                }
            }
            catch (SqliteException e)
            {
                throw Translate(e, busyTimeout);
            }
            finally
            {
                connection.DefaultTimeout = saved;
            }
        }

        /// <summary>
        /// VACUUM builds the file anew from its live rows (in memory, never in a temporary file), so
        /// no byte of an earlier row version stays in it, whatever the file's history; a TRUNCATE
        /// checkpoint then empties the write-ahead log, waiting for readers that still use it.
        /// </summary>
        public void ScrubFreedSpace(TenantWork work, TimeSpan busyTimeout)
        {
            var connection = work.Connection;
            var clock = Stopwatch.StartNew();
            try
            {
                TenantStore.Execute(connection, "PRAGMA temp_store = MEMORY; VACUUM;");
                while (Convert.ToInt64(TenantStore.Scalar(connection, "PRAGMA wal_checkpoint(TRUNCATE);")) != 0)
                {
                    if (clock.Elapsed >= busyTimeout) throw NotScrubbed(busyTimeout, null);
                    Thread.Sleep(LockPollMilliseconds / 10);
                }
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SqliteErrors.Busy || e.SqliteErrorCode == SqliteErrors.Locked)
            {
                throw NotScrubbed(busyTimeout, e);
            }
            catch (SqliteException e) { throw Translate(e, busyTimeout); }
        }

        private AmnException NotScrubbed(TimeSpan busyTimeout, Exception inner)
            => new AmnException("ErasureNotScrubbed", AmnErrorCategory.ResourceBusy, Messages.Format("ErasedButNotScrubbed", Name, busyTimeout.TotalSeconds), Name, inner);

        public AmnException Translate(SqliteException e, TimeSpan busyTimeout) => SqliteErrors.Translate(e, Name, busyTimeout);

        /// <summary>File-system errors while creating a store or its folder, as errors naming the path.</summary>
        private static void WithFileErrors(string path, Action action)
        {
            try { action(); }
            catch (UnauthorizedAccessException e) { throw SqliteErrors.ReadOnlyError(path, e); }
            catch (IOException e) when (!(e is FileNotFoundException) && !(e is DirectoryNotFoundException))
            {
                throw new AmnException("TenantNotCreated", AmnErrorCategory.WriteError, Messages.Format("StoreNotCreated", path, e.GetType().Name), path, e);
            }
        }
    }
}
