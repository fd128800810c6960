using System;
using System.IO;
using System.Text;
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
        /// <summary>How long a writer waits for another process's write lock before giving up.</summary>
        public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(60);

        private static readonly byte[] SqliteHeader = Encoding.ASCII.GetBytes("SQLite format 3\0");

        private TenantStore(string path, int schemaVersion)
        {
            Path = path;
            SchemaVersion = schemaVersion;
        }

        public string Path { get; }
        public int SchemaVersion { get; private set; }

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
        /// store, and a store written by a newer module.
        /// </summary>
        public static TenantStore Open(string path, bool createFolder = false)
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
                FilePermissions.CreateOwnerOnlyDirectory(folder);
            }

            NativeSqlite.EnsureLoaded();
            bool isNew = !File.Exists(path) || new FileInfo(path).Length == 0;
            if (!File.Exists(path))
                FilePermissions.CreateOwnerOnlyFile(path);
            else if (!isNew)
                CheckSqliteHeader(path);

            var store = new TenantStore(path, 0);
            using (var connection = store.OpenConnection())
            {
                var version = ReadVersion(connection, path, isNew);
                if (version > Schema.LatestVersion)
                    throw new AmnException("TenantSchemaTooNew", AmnErrorCategory.InvalidData,
                        $"The tenant store '{path}' has schema version {version}, newer than the {Schema.LatestVersion} this version of Amn.Rollover knows. Update the module; the store was left untouched.", path);
                if (isNew)
                    Execute(connection, "PRAGMA journal_mode = WAL;");
                store.SchemaVersion = Migrate(connection, version);
            }
            return store;
        }

        /// <summary>Reads the schema version of a store file without changing it; used to check a backup before restoring it.</summary>
        public static int ReadSchemaVersion(string path)
        {
            if (!File.Exists(path))
                throw new AmnException("BackupNotFound", AmnErrorCategory.ObjectNotFound, $"The file '{path}' does not exist.", path);
            NativeSqlite.EnsureLoaded();
            CheckSqliteHeader(path);
            var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
            using (var connection = new SqliteConnection(builder.ToString()))
            {
                connection.Open();
                return ReadVersion(connection, path, isNew: false);
            }
        }

        /// <summary>A new open connection with foreign keys on and a busy timeout.</summary>
        public SqliteConnection OpenConnection()
        {
            var builder = new SqliteConnectionStringBuilder
            {
                DataSource = Path,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
                ForeignKeys = true,
                DefaultTimeout = (int)BusyTimeout.TotalSeconds,
            };
            var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;");
            return connection;
        }

        /// <summary>Counts of what the store holds.</summary>
        public TenantInfo GetInfo()
        {
            using (var connection = OpenConnection())
            {
                return new TenantInfo(Path, SchemaVersion,
                    Count(connection, "students"), Count(connection, "groups"), Count(connection, "staff"));
            }
        }

        /// <summary>
        /// A consistent copy of the store through SQLite's online backup, safe while other
        /// connections read or write. Returns the full path of the copy.
        /// </summary>
        public string Backup(string destination = null)
        {
            destination = System.IO.Path.GetFullPath(destination ?? DefaultBackupPath());
            var folder = System.IO.Path.GetDirectoryName(destination);
            if (!Directory.Exists(folder))
                FilePermissions.CreateOwnerOnlyDirectory(folder);
            if (File.Exists(destination))
                throw new AmnException("BackupExists", AmnErrorCategory.ResourceExists, $"The backup file '{destination}' already exists.", destination);
            FilePermissions.CreateOwnerOnlyFile(destination);
            try
            {
                using (var source = OpenConnection())
                using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString()))
                {
                    target.Open();
                    source.BackupDatabase(target);
                    Execute(target, "PRAGMA journal_mode = DELETE;");
                }
            }
            catch
            {
                File.Delete(destination);
                throw;
            }
            return destination;
        }

        /// <summary>Where an automatic backup goes: backups/ beside the store, with a timestamp.</summary>
        public string DefaultBackupPath()
        {
            var name = System.IO.Path.GetFileNameWithoutExtension(Path);
            var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss-fff");
            return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path), "backups", $"{name}-{stamp}.db");
        }

        /// <summary>Replaces the store's whole content with that of a backup, then migrates it forward.</summary>
        public void Restore(string backupPath)
        {
            backupPath = System.IO.Path.GetFullPath(backupPath);
            var version = ReadSchemaVersion(backupPath);
            if (version > Schema.LatestVersion)
                throw new AmnException("TenantSchemaTooNew", AmnErrorCategory.InvalidData,
                    $"The backup '{backupPath}' has schema version {version}, newer than the {Schema.LatestVersion} this version of Amn.Rollover knows.", backupPath);
            var builder = new SqliteConnectionStringBuilder { DataSource = backupPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
            using (var source = new SqliteConnection(builder.ToString()))
            using (var target = OpenConnection())
            {
                source.Open();
                source.BackupDatabase(target);
                SchemaVersion = Migrate(target, version);
                AuditLog.Write(target, null, Guid.NewGuid(), "RestoreTenant", Path, "from " + backupPath);
            }
        }

        /// <summary>How many automatic backups are kept beside the store; older ones are deleted.</summary>
        public const int AutomaticBackupsKept = 10;

        /// <summary>
        /// The backup taken before a bulk change: backups/&lt;store&gt;-auto-&lt;timestamp&gt;.db beside the store.
        /// Keeps the newest <see cref="AutomaticBackupsKept"/> automatic backups; backups made by hand are never pruned.
        /// </summary>
        public string AutomaticBackup()
        {
            var folder = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path), "backups");
            var name = System.IO.Path.GetFileNameWithoutExtension(Path);
            var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss-fff");
            var destination = Backup(System.IO.Path.Combine(folder, $"{name}-auto-{stamp}.db"));
            var automatic = Directory.GetFiles(folder, name + "-auto-*.db");
            Array.Sort(automatic, StringComparer.Ordinal);
            for (int i = 0; i < automatic.Length - AutomaticBackupsKept; i++)
                File.Delete(automatic[i]);
            return destination;
        }

        private static void CheckSqliteHeader(string path)
        {
            var header = new byte[SqliteHeader.Length];
            int read;
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                    read = stream.Read(header, 0, header.Length);
            }
            catch (IOException e)
            {
                throw new AmnException("TenantUnreadable", AmnErrorCategory.ReadError, $"Cannot read the tenant store '{path}': {e.Message}", path, e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new AmnException("TenantUnreadable", AmnErrorCategory.ReadError, $"Cannot read the tenant store '{path}': {e.Message}", path, e);
            }
            for (int i = 0; i < header.Length; i++)
            {
                if (read < header.Length || header[i] != SqliteHeader[i])
                    throw new AmnException("NotATenantStore", AmnErrorCategory.InvalidData, $"The file '{path}' is not an SQLite database, so it cannot be a tenant store. It was left untouched.", path);
            }
        }

        private static int ReadVersion(SqliteConnection connection, string path, bool isNew)
        {
            if (isNew) return 0;
            var applicationId = Convert.ToInt32(Scalar(connection, "PRAGMA application_id;"));
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"));
            if (applicationId != Schema.ApplicationId)
            {
                var tables = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_master;"));
                if (tables > 0 || version != 0)
                    throw new AmnException("NotATenantStore", AmnErrorCategory.InvalidData, $"The file '{path}' is an SQLite database of another program, not an Amn.Rollover tenant store. It was left untouched.", path);
            }
            return version;
        }

        private static int Migrate(SqliteConnection connection, int fromVersion)
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
