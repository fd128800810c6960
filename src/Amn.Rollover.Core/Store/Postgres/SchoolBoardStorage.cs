using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Amn.Rollover.Core.Native;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// A school on a school board's PostgreSQL server. Each connection an operation opens holds a
    /// private in-memory SQLite copy of the school, read in one snapshot (so every rule and query of
    /// the store is the same code on both stores, and no pupil's data touches the local disk). A write
    /// takes the school's lock on the server, reads the school again under it, and on commit writes
    /// the copy back in that same server transaction: a dropped connection or a killed process leaves
    /// the school as it was, and two writers of one school take turns while other schools go on.
    /// </summary>
    internal sealed class SchoolBoardStorage : ITenantStorage
    {
        /// <summary>The first key of the school locks (pg_advisory_xact_lock(int, int)): "AMNR", as the store files' application id.</summary>
        private const int LockSpace = Schema.ApplicationId;
        private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(250);

        private readonly string _connectionString;
        private readonly int _schoolId;

        private SchoolBoardStorage(string connectionString, string school, int schoolId, string database, string server, int version)
        {
            _connectionString = connectionString;
            _schoolId = schoolId;
            School = school;
            Database = database;
            Server = server;
            SchemaVersion = version;
        }

        public string School { get; }
        public string Database { get; }
        public string Server { get; }
        public string Name => Messages.Format("SchoolOnServer", School, Database, Server);
        public string Kind => "PostgreSQL";
        public bool KeepsOldRowVersions => true;
        public int SchemaVersion { get; }

        /// <summary>Backups of a server school are store files in the user's own folder: Amn.Rollover/backups/&lt;server&gt;-&lt;database&gt;-&lt;school&gt;.</summary>
        public string BackupFolder => Path.Combine(TenantStore.LocalFolder(), "backups", BackupName);
        public string BackupName
        {
            get
            {
                var name = SchoolBoardDatabase.Identifier(Server.Replace(':', '_') + "_" + Database + "_" + School);
                return name.Length <= 59 ? name : name.Substring(0, 59); // as before roles were named by oid, so older backups are found
            }
        }
        /// <summary>A restore's copy of the backup (owner-only, deleted after) goes to the temporary folder: the school has no folder of its own.</summary>
        public string WorkFolder => Path.GetTempPath();

        public static SchoolBoardStorage Open(string connectionString, string school)
        {
            if (string.IsNullOrWhiteSpace(school)) throw new AmnException("SchoolNameMissing", AmnErrorCategory.InvalidArgument, Messages.Get("NameTheSchool"));
            using (var server = SchoolBoardDatabase.Open(connectionString))
            {
                var where = SchoolBoardDatabase.Server(server);
                return PostgresErrors.Guard(server.Database, where, () =>
                {
                    var version = SchoolBoardDatabase.SchemaVersion(server, null);
                    if (version == 0) throw SchoolBoardDatabase.NotProvisioned(server);
                    if (version > PostgresSchema.LatestVersion) throw SchoolBoardDatabase.SchemaTooNew(server, version);
                    if (version < PostgresSchema.LatestVersion)
                        throw new AmnException("TenantSchemaOutdated", AmnErrorCategory.InvalidData,
                            Messages.Format("BoardSchemaTooOld", server.Database, where, version, PostgresSchema.LatestVersion), server.Database);
                    var id = SchoolBoardDatabase.SchoolId(server, null, school.Trim());
                    return new SchoolBoardStorage(connectionString, school.Trim(), id, server.Database, where, version);
                });
            }
        }

        /// <summary>Nothing to do here: the school's copy lives in memory only, and the server's old row versions are its own (<see cref="KeepsOldRowVersions"/>).</summary>
        public void ScrubFreedSpace(SqliteConnection connection, TimeSpan busyTimeout) { }

        public SqliteConnection OpenConnection(TimeSpan busyTimeout, bool forWrite)
        {
            var local = NewLocal();
            if (forWrite) return local; // BeginWrite fills it under the school's lock
            try
            {
                using (var server = SchoolBoardDatabase.Open(_connectionString))
                    PostgresErrors.Guard(Database, Server, () =>
                    {
                        using (var snapshot = server.BeginTransaction(System.Data.IsolationLevel.RepeatableRead))
                        using (var fill = local.BeginTransaction())
                        {
                            SchoolWorkingCopy.Read(server, snapshot, _schoolId, local, fill);
                            fill.Commit();
                        }
                    });
                return local;
            }
            catch
            {
                local.Dispose();
                throw;
            }
        }

        public TenantTransaction BeginWrite(SqliteConnection connection, TimeSpan busyTimeout, Action<string> waiting)
        {
            var server = SchoolBoardDatabase.Open(_connectionString);
            NpgsqlTransaction transaction = null;
            try
            {
                return PostgresErrors.Guard(Database, Server, () =>
                {
                    transaction = server.BeginTransaction();
                    TakeLock(server, transaction, busyTimeout, waiting);
                    // What the operation decides on is read under the lock: the school as it is now.
                    long auditFrom;
                    using (var fill = connection.BeginTransaction())
                    {
                        auditFrom = SchoolWorkingCopy.Read(server, transaction, _schoolId, connection, fill);
                        fill.Commit();
                    }
                    var local = connection.BeginTransaction();
                    return new TenantTransaction(local,
                        publish: () => PostgresErrors.Guard(Database, Server, () =>
                        {
                            SchoolWorkingCopy.Write(connection, local, server, transaction, _schoolId, auditFrom);
                            transaction.Commit();
                        }),
                        held: new ServerTransaction(server, transaction));
                });
            }
            catch
            {
                transaction?.Dispose();
                server.Dispose();
                throw;
            }
        }

        /// <summary>The school's lock, held until the server transaction ends; waits for another session's write, telling <paramref name="waiting"/>.</summary>
        private void TakeLock(NpgsqlConnection server, NpgsqlTransaction transaction, TimeSpan busyTimeout, Action<string> waiting)
        {
            var clock = Stopwatch.StartNew();
            using (var command = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@space, @school);", server, transaction))
            {
                command.Parameters.AddWithValue("space", LockSpace);
                command.Parameters.AddWithValue("school", _schoolId);
                while (!(bool)command.ExecuteScalar())
                {
                    if (clock.Elapsed >= busyTimeout)
                        throw SqliteErrors.BusyError(Name, busyTimeout);
                    waiting?.Invoke(Messages.Format("WaitingForSchool", Name, busyTimeout.TotalSeconds, clock.Elapsed.TotalSeconds));
                    Thread.Sleep(LockPoll);
                }
            }
        }

        public AmnException Translate(SqliteException e, TimeSpan busyTimeout) => SqliteErrors.Translate(e, Name, busyTimeout);

        /// <summary>An empty in-memory store with the current schema.</summary>
        private static SqliteConnection NewLocal()
        {
            NativeSqlite.EnsureLoaded();
            var local = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ":memory:", Pooling = false, ForeignKeys = true }.ToString());
            local.Open();
            TenantStore.Migrate(local, 0);
            return local;
        }

        private sealed class ServerTransaction : IDisposable
        {
            private readonly NpgsqlConnection _server;
            private readonly NpgsqlTransaction _transaction;
            public ServerTransaction(NpgsqlConnection server, NpgsqlTransaction transaction) { _server = server; _transaction = transaction; }

            public void Dispose()
            {
                try { _transaction.Dispose(); } // a rollback unless committed
                catch (Exception e) when (e is NpgsqlException || e is IOException || e is InvalidOperationException) { } // the connection is gone: the server rolled back
                finally { _server.Dispose(); }
            }
        }
    }
}
