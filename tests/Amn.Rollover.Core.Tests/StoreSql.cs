using Amn.Rollover.Core.Store;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>Plain SQL against a store, for setting up and checking what the module wrote.</summary>
    internal static class StoreSql
    {
        /// <summary>Runs the SQL in a write of its own and commits it (on a server school, the school is written back).</summary>
        public static void Exec(TenantStore store, string sql)
        {
            using var work = store.BeginWrite();
            Exec(work.Connection, sql, work.Transaction);
            work.Commit();
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
