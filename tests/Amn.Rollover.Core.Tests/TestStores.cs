using System;
using System.Collections.Concurrent;
using Amn.Rollover.Core.Store;
using Amn.Rollover.Core.Store.Postgres;
using Npgsql;
using Xunit;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// A new, empty tenant for a test: a store file in the test's folder, or a school of its own on
    /// the one board database this test run keeps on the throw-away PostgreSQL server
    /// (AMN_TEST_POSTGRES), used by an admin who may use only that school. Without a server the
    /// server's tests are skipped. The database and its roles are dropped at process exit where the test host
    /// lets that run (the server is thrown away after the run anyway), a school's
    /// backups with the test's folder.
    /// </summary>
    internal static class TestStores
    {
        private static readonly string Server = Environment.GetEnvironmentVariable("AMN_TEST_POSTGRES");
        private static readonly string Database = "amn_xunit_" + Guid.NewGuid().ToString("N").Substring(0, 10);
        private static readonly ConcurrentBag<string> Roles = new ConcurrentBag<string>();
        private static readonly Lazy<string> Owner = new Lazy<string>(CreateBoard);

        public static TenantStore New(StoreKind kind, TempFolder temp, string name = "school")
        {
            if (kind == StoreKind.File) return TenantStore.Open(temp.File(name + ".db"));
            Skip.If(string.IsNullOrEmpty(Server), "No PostgreSQL server: the Test task starts one and sets AMN_TEST_POSTGRES.");
            var school = name + " " + Guid.NewGuid().ToString("N").Substring(0, 8);
            var role = SchoolBoardDatabase.AddSchool(Owner.Value, school);
            var admin = Database + "_" + Guid.NewGuid().ToString("N").Substring(0, 8);
            Roles.Add(role);
            Roles.Add(admin);
            Exec(Owner.Value, $"CREATE ROLE {admin} LOGIN; GRANT {role} TO {admin};");
            var connectionString = new NpgsqlConnectionStringBuilder(Server) { Database = Database, Username = admin }.ConnectionString;
            var store = TenantStore.OpenSchool(connectionString, school);
            Schools[store.Path] = (connectionString, school);
            temp.AlsoDelete(store.BackupFolder); // in the user's local application data, not beside a file
            return store;
        }

        private static readonly ConcurrentDictionary<string, (string ConnectionString, string School)> Schools = new ConcurrentDictionary<string, (string, string)>();

        /// <summary>The same tenant in a new session: nothing of it kept in memory from before.</summary>
        public static TenantStore Reopen(TenantStore store)
            => Schools.TryGetValue(store.Path, out var school) ? TenantStore.OpenSchool(school.ConnectionString, school.School) : TenantStore.Open(store.Path);

        /// <summary>A server school in a new session whose connection string <paramref name="edit"/> changes (for example the session's settings in Options).</summary>
        public static TenantStore ReopenWith(TenantStore store, Action<NpgsqlConnectionStringBuilder> edit)
        {
            var school = Schools[store.Path];
            var builder = new NpgsqlConnectionStringBuilder(school.ConnectionString);
            edit(builder);
            return TenantStore.OpenSchool(builder.ConnectionString, school.School);
        }

        /// <summary>
        /// Changes a tenant behind the module's back, as a hand edit would: on a store file through a connection
        /// of its own, on a server school as the board's owner in the school's schema.
        /// </summary>
        public static object HandEdit(TenantStore store, string sqliteSql, string postgresSql)
        {
            if (!Schools.TryGetValue(store.Path, out var school))
            {
                using var file = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store.Path};Pooling=False");
                file.Open();
                using var command = file.CreateCommand();
                command.CommandText = sqliteSql;
                return command.ExecuteScalar();
            }
            using var connection = new NpgsqlConnection(Owner.Value);
            connection.Open();
            var id = new NpgsqlCommand($"SELECT id FROM amn.schools WHERE name = '{school.School.Replace("'", "''")}';", connection).ExecuteScalar();
            new NpgsqlCommand($"SET search_path = amn_school_{id};", connection).ExecuteNonQuery();
            using var edit = new NpgsqlCommand(postgresSql, connection);
            return edit.ExecuteScalar();
        }

        /// <summary>A connection of the board's owner with the school's schema on its search path, for edits and locks held by hand; the caller disposes it.</summary>
        public static NpgsqlConnection OpenAsOwner(TenantStore store)
        {
            var school = Schools[store.Path];
            var connection = new NpgsqlConnection(Owner.Value);
            connection.Open();
            var id = new NpgsqlCommand($"SELECT id FROM amn.schools WHERE name = '{school.School.Replace("'", "''")}';", connection).ExecuteScalar();
            new NpgsqlCommand($"SET search_path = amn_school_{id};", connection).ExecuteNonQuery();
            return connection;
        }

        /// <summary>
        /// A connection string of a new login on the board's database that is no member of any school (another
        /// school's admin, say): it may use what every role may, nothing of a school. Dropped with the board.
        /// </summary>
        public static string NewLogin()
        {
            Skip.If(string.IsNullOrEmpty(Server), "No PostgreSQL server: the Test task starts one and sets AMN_TEST_POSTGRES.");
            var login = Database + "_" + Guid.NewGuid().ToString("N").Substring(0, 8);
            Roles.Add(login);
            Exec(Owner.Value, $"CREATE ROLE {login} LOGIN;");
            return new NpgsqlConnectionStringBuilder(Server) { Database = Database, Username = login, Pooling = false }.ConnectionString;
        }

        /// <summary>SQL the board's owner runs on the board's database, outside every school's schema.</summary>
        public static void AsOwner(string sql)
        {
            Skip.If(string.IsNullOrEmpty(Server), "No PostgreSQL server: the Test task starts one and sets AMN_TEST_POSTGRES.");
            Exec(Owner.Value, sql);
        }

        /// <summary>
        /// A lock the board's owner takes by hand on one of a server school's tables (for example
        /// ACCESS EXCLUSIVE), held until the result is disposed: what waits for it reads that table.
        /// </summary>
        public static IDisposable HoldLock(TenantStore store, string table, string mode)
        {
            var school = Schools[store.Path];
            var connection = new NpgsqlConnection(Owner.Value);
            connection.Open();
            var id = new NpgsqlCommand($"SELECT id FROM amn.schools WHERE name = '{school.School.Replace("'", "''")}';", connection).ExecuteScalar();
            var transaction = connection.BeginTransaction();
            new NpgsqlCommand($"LOCK TABLE amn_school_{id}.{table} IN {mode} MODE;", connection, transaction).ExecuteNonQuery();
            return connection; // disposing it ends the transaction and its lock
        }

        private static string CreateBoard()
        {
            Exec(ServerAdmin, $"CREATE DATABASE {Database};");
            AppDomain.CurrentDomain.ProcessExit += (sender, e) => DropBoard();
            var owner = new NpgsqlConnectionStringBuilder(Server) { Database = Database, Pooling = false }.ConnectionString;
            SchoolBoardDatabase.Provision(owner);
            return owner;
        }

        private static string ServerAdmin => new NpgsqlConnectionStringBuilder(Server) { Pooling = false }.ConnectionString;

        private static void DropBoard()
        {
            try
            {
                Exec(ServerAdmin, $"DROP DATABASE IF EXISTS {Database} WITH (FORCE);");
                foreach (var role in Roles) Exec(ServerAdmin, $"DROP ROLE IF EXISTS {role};");
            }
            catch (NpgsqlException) { } // the server is thrown away after the run anyway
        }

        internal static void Exec(string connectionString, string sql)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }
    }
}
