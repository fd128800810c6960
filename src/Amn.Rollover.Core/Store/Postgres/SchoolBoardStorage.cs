using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// A school on a school board's PostgreSQL server, in the schema of its own (see PostgresSchema
    /// migration 3). Every command's queries and changes run on the school's tables (<see cref="ServerQueries"/>,
    /// <see cref="ServerEdits"/> and its student and staff writers), a backup and a restore included
    /// (<see cref="SchoolStoreFile"/>): no pupil's data touches the local disk but a backup's own file and, while a
    /// restore runs, its private copy of the backup in the temporary folder. A write
    /// takes the school's lock (its state table, in EXCLUSIVE mode: writers queue in arrival order) and
    /// commits in that same server transaction: a dropped connection or a killed process leaves the school
    /// as it was, and other schools never wait.
    /// </summary>
    internal sealed class SchoolBoardStorage : ITenantStorage
    {
        private readonly string _connectionString;
        private readonly string _schema;

        private SchoolBoardStorage(string connectionString, string school, int schoolId, string database, string server, int version)
        {
            _connectionString = connectionString;
            _schema = PostgresSchema.SchoolSchema(schoolId);
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

        /// <summary>The schools on this server that the connected user may use, with the connection this school was opened with.</summary>
        public List<SchoolTenant> SchoolsOnServer() => SchoolBoardDatabase.Schools(_connectionString);

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

        /// <summary>Nothing to do here: the server's old row versions are its own (<see cref="KeepsOldRowVersions"/>).</summary>
        public void ScrubFreedSpace(TenantWork work, TimeSpan busyTimeout) { }

        public TenantTransaction BeginRead(TimeSpan busyTimeout)
        {
            var server = OpenServer(busyTimeout);
            try
            {
                var transaction = PostgresErrors.Guard(Database, Server, () => server.BeginTransaction(System.Data.IsolationLevel.RepeatableRead));
                return new TenantTransaction(Queries(server, transaction), edits: null, commit: () => throw new InvalidOperationException("A read cannot commit."), new ServerTransaction(server, transaction));
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        /// <summary>The school's lock, then queries and edits on the school's tables in that server transaction, which the commit commits.</summary>
        public TenantTransaction BeginWrite(TimeSpan busyTimeout, Action<string> waiting)
        {
            var server = OpenServer(busyTimeout);
            NpgsqlTransaction transaction = null;
            try
            {
                return PostgresErrors.Guard(Database, Server, () =>
                {
                    transaction = server.BeginTransaction();
                    // What the operation decides on is the school as it is now, under its lock.
                    TakeLock(server, transaction, busyTimeout, waiting);
                    return new TenantTransaction(Queries(server, transaction), new ServerEdits(server, transaction, _schema, Name, Database, Server),
                        commit: () => PostgresErrors.Guard(Database, Server, transaction.Commit), new ServerTransaction(server, transaction));
                });
            }
            catch
            {
                transaction?.Dispose();
                server.Dispose();
                throw;
            }
        }

        /// <summary>The school read in one snapshot, straight into the backup's file (no other copy of it is made).</summary>
        public void WriteBackup(SqliteConnection target, TimeSpan busyTimeout)
        {
            StoredValues.LimitLength(target, Name);
            TenantStore.Migrate(target, 0);
            using (var server = OpenServer(busyTimeout))
                PostgresErrors.Guard(Database, Server, () =>
                {
                    using (var snapshot = server.BeginTransaction(System.Data.IsolationLevel.RepeatableRead))
                    using (var fill = target.BeginTransaction())
                    {
                        SchoolStoreFile.Read(server, snapshot, _schema, target, fill, Name);
                        fill.Commit();
                    }
                });
        }

        private ServerQueries Queries(NpgsqlConnection server, NpgsqlTransaction transaction) => new ServerQueries(server, transaction, _schema, Name, Database, Server);

        /// <summary>The school's version on the server, which every change of its tables raises (also one made by hand).</summary>
        public IChangeWatch WatchChanges(TimeSpan busyTimeout) => new VersionWatch(this, busyTimeout);

        private long CurrentVersion(TimeSpan busyTimeout)
        {
            using (var server = OpenServer(busyTimeout))
                return PostgresErrors.Guard(Database, Server, () => Version(server, null));
        }

        private sealed class VersionWatch : IChangeWatch
        {
            private readonly SchoolBoardStorage _school;
            private readonly TimeSpan _busyTimeout;
            private readonly long _start;

            public VersionWatch(SchoolBoardStorage school, TimeSpan busyTimeout)
            {
                _school = school;
                _busyTimeout = busyTimeout;
                _start = school.CurrentVersion(busyTimeout);
            }

            public bool ChangedSinceStart() => _school.CurrentVersion(_busyTimeout) != _start;

            public void Dispose() { }
        }

        /// <summary>
        /// The school's lock, its state table in EXCLUSIVE mode, held until the server transaction ends.
        /// Another session's write is waited for in arrival order (telling
        /// <paramref name="waiting"/> once), at most <paramref name="busyTimeout"/>. A table lock, not the
        /// state row FOR UPDATE: every write raises the version in that row, and waiters for a row that
        /// was updated meanwhile race for its new version instead of keeping their places. Reads of the
        /// school (ACCESS SHARE) never wait for it.
        /// </summary>
        private void TakeLock(NpgsqlConnection server, NpgsqlTransaction transaction, TimeSpan busyTimeout, Action<string> waiting)
        {
            transaction.Save("amn_lock");
            try { Scalar(server, transaction, $"LOCK TABLE {_schema}.state IN EXCLUSIVE MODE NOWAIT;"); }
            catch (PostgresException e) when (e.SqlState == PostgresErrors.LockNotAvailable)
            {
                transaction.Rollback("amn_lock");
                waiting?.Invoke(Messages.Format("WaitingForSchool", Name, busyTimeout.TotalSeconds, 0));
                try { Scalar(server, transaction, $"LOCK TABLE {_schema}.state IN EXCLUSIVE MODE;"); } // lock_timeout: the busy timeout
                catch (PostgresException busy) when (busy.SqlState == PostgresErrors.LockNotAvailable)
                {
                    throw SqliteErrors.BusyError(Name, busyTimeout, busy);
                }
            }
        }

        private long Version(NpgsqlConnection server, NpgsqlTransaction transaction)
            => Convert.ToInt64(Scalar(server, transaction, $"SELECT version FROM {_schema}.state;"));

        /// <summary>A connection to the board's server on which no lock is waited for longer than the busy timeout, not even one a school's own admin took by hand.</summary>
        private NpgsqlConnection OpenServer(TimeSpan busyTimeout)
        {
            var server = SchoolBoardDatabase.Open(_connectionString);
            try
            {
                PostgresErrors.Guard(Database, Server, () => Scalar(server, null, $"SELECT set_config('lock_timeout', '{(long)busyTimeout.TotalMilliseconds}', false);"));
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        private static object Scalar(NpgsqlConnection server, NpgsqlTransaction transaction, string sql)
        {
            using (var command = new NpgsqlCommand(sql, server, transaction)) return command.ExecuteScalar();
        }

        public AmnException Translate(SqliteException e, TimeSpan busyTimeout) => SqliteErrors.Translate(e, Name, busyTimeout);

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
