using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Amn.Rollover.Core.Native;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// A school on a school board's PostgreSQL server, in the schema of its own (see PostgresSchema
    /// migration 3). Every command's queries and changes run on the school's tables (<see cref="ServerQueries"/>,
    /// <see cref="ServerEdits"/> and its student and staff writers). A backup and a restore work on a private
    /// in-memory SQLite copy of it (no pupil's data touches the local disk but the backup's own file). The session keeps the school as it last read or wrote it through a copy, with the
    /// school's version: while the version on the server is the same, a command copies that in
    /// memory instead of reading the school again. A write takes the school's lock (its state table,
    /// in EXCLUSIVE mode: writers queue in arrival order), and on commit applies the rows the operation
    /// touched in that same server transaction: a dropped connection or a killed process leaves the
    /// school as it was, and other schools never wait.
    /// </summary>
    internal sealed class SchoolBoardStorage : ITenantStorage
    {
        private readonly string _connectionString;
        private readonly string _schema;
        private readonly object _keptLock = new object();
        /// <summary>The school as this session last read or wrote it, and its version then; null until the first read.</summary>
        private SqliteConnection _kept;
        private long _keptVersion = -1;

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

        /// <summary>Nothing to do here: the school's copy lives in memory only, and the server's old row versions are its own (<see cref="KeepsOldRowVersions"/>).</summary>
        public void ScrubFreedSpace(TenantWork work, TimeSpan busyTimeout) { }

        public TenantTransaction BeginRead(TimeSpan busyTimeout)
        {
            var server = OpenServer(busyTimeout);
            try
            {
                var transaction = PostgresErrors.Guard(Database, Server, () => server.BeginTransaction(System.Data.IsolationLevel.RepeatableRead));
                return new TenantTransaction(new ServerQueries(server, transaction, _schema, Name, Database, Server), edits: null,
                    beginLocal: () =>
                    {
                        var local = NewLocal(Name);
                        try
                        {
                            PostgresErrors.Guard(Database, Server, () => Fill(local, server, transaction, Version(server, transaction)));
                            return local.BeginTransaction(deferred: true);
                        }
                        catch
                        {
                            local.Dispose();
                            throw;
                        }
                    },
                    held: new ServerTransaction(server, transaction));
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        public SqliteConnection OpenConnection(TimeSpan busyTimeout)
        {
            var local = NewLocal(Name);
            try
            {
                using (var server = OpenServer(busyTimeout))
                    PostgresErrors.Guard(Database, Server, () =>
                    {
                        using (var snapshot = server.BeginTransaction(System.Data.IsolationLevel.RepeatableRead))
                            Fill(local, server, snapshot, Version(server, snapshot));
                    });
                return local;
            }
            catch
            {
                local.Dispose();
                throw;
            }
        }

        public TenantTransaction BeginWrite(TimeSpan busyTimeout, Action<string> waiting) => BeginWrite(null, busyTimeout, waiting);

        /// <summary>
        /// The school's lock, then: with <paramref name="connection"/>, the school read into it at once; without, queries
        /// and one-row edits on the server, and the school read into a copy of the transaction's own only when an
        /// operation asks for it. The commit writes what changed in the copy, then commits the server transaction.
        /// </summary>
        public TenantTransaction BeginWrite(SqliteConnection connection, TimeSpan busyTimeout, Action<string> waiting)
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
                    SqliteConnection local = null;
                    SqliteTransaction localTransaction = null;
                    long version = 0;
                    SqliteTransaction ReadSchool(SqliteConnection into)
                    {
                        PostgresErrors.Guard(Database, Server, () => Fill(into, server, transaction, Version(server, transaction)));
                        SchoolWorkingCopy.TrackChanges(into);
                        local = into;
                        return localTransaction = into.BeginTransaction();
                    }
                    void Publish() => PostgresErrors.Guard(Database, Server, () =>
                    {
                        if (local != null && SchoolWorkingCopy.HasChanges(local, localTransaction))
                            SchoolWorkingCopy.Write(local, localTransaction, server, transaction, _schema, Name);
                        version = Version(server, transaction); // raised by the tables' triggers
                        transaction.Commit();
                    });
                    void Committed() { if (local != null) Keep(local, version); }
                    var held = new ServerTransaction(server, transaction);
                    if (connection != null) return new TenantTransaction(ReadSchool(connection), Publish, held, Committed);
                    return new TenantTransaction(new ServerQueries(server, transaction, _schema, Name, Database, Server), new ServerEdits(server, transaction, _schema, Database, Server),
                        beginLocal: () =>
                        {
                            var copy = NewLocal(Name);
                            try { return ReadSchool(copy); }
                            catch
                            {
                                copy.Dispose();
                                throw;
                            }
                        },
                        held, Publish, Committed);
                });
            }
            catch
            {
                transaction?.Dispose();
                server.Dispose();
                throw;
            }
        }

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
        /// The school's lock, its state table in EXCLUSIVE mode, held until the server transaction ends;
        /// returns the school's version. Another session's write is waited for in arrival order (telling
        /// <paramref name="waiting"/> once), at most <paramref name="busyTimeout"/>. A table lock, not the
        /// state row FOR UPDATE: every write raises the version in that row, and waiters for a row that
        /// was updated meanwhile race for its new version instead of keeping their places. Reads of the
        /// school (ACCESS SHARE) never wait for it.
        /// </summary>
        private long TakeLock(NpgsqlConnection server, NpgsqlTransaction transaction, TimeSpan busyTimeout, Action<string> waiting)
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
            return Version(server, transaction);
        }

        private long Version(NpgsqlConnection server, NpgsqlTransaction transaction)
            => Convert.ToInt64(Scalar(server, transaction, $"SELECT version FROM {_schema}.state;"));

        /// <summary>The school at <paramref name="version"/> into <paramref name="local"/>: a copy of the kept school when that is the version kept, else read from the server (and kept).</summary>
        private void Fill(SqliteConnection local, NpgsqlConnection server, NpgsqlTransaction transaction, long version)
        {
            lock (_keptLock)
                if (_kept != null && _keptVersion == version)
                {
                    _kept.BackupDatabase(local);
                    return;
                }
            using (var fill = local.BeginTransaction())
            {
                SchoolWorkingCopy.Read(server, transaction, _schema, local, fill);
                fill.Commit();
            }
            Keep(local, version);
        }

        /// <summary>Keeps a copy of the school as it is on <paramref name="local"/>, at <paramref name="version"/>.</summary>
        private void Keep(SqliteConnection local, long version)
        {
            lock (_keptLock)
            {
                if (_kept == null) _kept = NewLocal(Name);
                local.BackupDatabase(_kept);
                _keptVersion = version;
            }
        }

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

        /// <summary>An empty in-memory store with the current schema.</summary>
        private static SqliteConnection NewLocal(string store)
        {
            NativeSqlite.EnsureLoaded();
            var local = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ":memory:", Pooling = false, ForeignKeys = true }.ToString());
            local.Open();
            StoredValues.LimitLength(local, store);
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
