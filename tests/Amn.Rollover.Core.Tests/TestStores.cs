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
            var store = TenantStore.OpenSchool(new NpgsqlConnectionStringBuilder(Server) { Database = Database, Username = admin }.ConnectionString, school);
            temp.AlsoDelete(store.BackupFolder); // in the user's local application data, not beside a file
            return store;
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

        private static void Exec(string connectionString, string sql)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }
    }
}
