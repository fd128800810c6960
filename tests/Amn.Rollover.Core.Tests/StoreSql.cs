using Amn.Rollover.Core.Store;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>Plain SQL against a store, for setting up and checking what the module wrote.</summary>
    internal static class StoreSql
    {
        /// <summary>
        /// Runs SQL that SQLite and PostgreSQL read alike (new rows with their ids) and commits it: on a store file in a
        /// write of the module's own, on a server school as a hand edit of the board's owner (see <see cref="TestStores.HandEdit"/>).
        /// </summary>
        public static void Exec(TenantStore store, string sql)
        {
            if (store.Kind != "SQLite")
            {
                TestStores.HandEdit(store, sql, sql);
                return;
            }
            using var work = store.BeginWrite();
            Exec(work.Connection, sql, work.Transaction);
            work.Commit();
        }

        /// <summary>The first value of SQL that SQLite and PostgreSQL read alike, read behind the module's back (see <see cref="TestStores.HandEdit"/>).</summary>
        public static object Scalar(TenantStore store, string sql) => TestStores.HandEdit(store, sql, sql);

        /// <summary>A connection of the test's own to a store file (a server school has none), foreign keys on.</summary>
        public static SqliteConnection OpenFile(TenantStore store)
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store.Path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, ForeignKeys = true }.ToString());
            connection.Open();
            return connection;
        }

        public static void Exec(SqliteConnection connection, string sql, SqliteTransaction transaction = null)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            command.ExecuteNonQuery();
        }

        public static object Scalar(SqliteConnection connection, string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar();
        }
    }
}
