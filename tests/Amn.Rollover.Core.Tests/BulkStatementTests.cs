using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Store;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Tests
{
    public sealed class BulkStatementTests : IDisposable
    {
        private readonly SqliteConnection _connection;

        public BulkStatementTests()
        {
            Native.NativeSqlite.EnsureLoaded();
            _connection = new SqliteConnection("Data Source=:memory:");
            _connection.Open();
            using var create = _connection.CreateCommand();
            create.CommandText = "CREATE TABLE t (run INTEGER, value TEXT, fixed TEXT);";
            create.ExecuteNonQuery();
        }

        public void Dispose() => _connection.Dispose();

        private List<(long Run, string Value, string Fixed)> Rows()
        {
            using var query = _connection.CreateCommand();
            query.CommandText = "SELECT run, value, fixed FROM t ORDER BY run;";
            using var reader = query.ExecuteReader();
            var rows = new List<(long, string, string)>();
            while (reader.Read()) rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            return rows;
        }

        [Fact]
        public void Text_bound_for_one_run_arrives_exactly_and_a_value_bound_once_stays()
        {
            var longText = new string('é', 100_000); // 200,000 UTF-8 bytes: more than one buffer chunk
            var values = new[] { null, "plain", "", null, null, "Zoë Kılıç 👩‍🎓", longText, null, "after the long one" };
            using (var insert = new BulkStatement(_connection, "INSERT INTO t (run, value, fixed) VALUES (?1, ?2, ?3);"))
            {
                insert.Bind(3, "2026-08-01T00:00:00Z");
                for (int run = 0; run < values.Length; run++)
                {
                    insert.Bind(1, run);
                    insert.BindForNextRun(2, values[run]);
                    insert.Execute();
                }
            }
            var rows = Rows();
            Assert.Equal(values, rows.Select(r => r.Value));
            Assert.All(rows, r => Assert.Equal("2026-08-01T00:00:00Z", r.Fixed));
        }

        [Fact]
        public void Many_values_bound_for_one_run_fill_several_chunks_without_moving_the_earlier_ones()
        {
            const int rows = 400;
            var sql = "INSERT INTO t (run, value) VALUES " + string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(?{2 * i + 1}, ?{2 * i + 2})")) + ";";
            var values = Enumerable.Range(0, rows).Select(i => new string((char)('a' + i % 26), 300 + i)).ToArray(); // ~200 KB in one run
            using (var insert = new BulkStatement(_connection, sql))
            {
                for (int i = 0; i < rows; i++)
                {
                    insert.Bind(2 * i + 1, i);
                    insert.BindForNextRun(2 * i + 2, values[i]);
                }
                insert.Execute();
            }
            Assert.Equal(values, Rows().Select(r => r.Value));
        }

        [Fact]
        public void A_failing_run_names_the_constraint()
        {
            using var create = _connection.CreateCommand();
            create.CommandText = "CREATE TABLE u (value TEXT NOT NULL UNIQUE);";
            create.ExecuteNonQuery();
            using var insert = new BulkStatement(_connection, "INSERT INTO u (value) VALUES (?1);");
            insert.BindForNextRun(1, "x");
            insert.Execute();
            insert.BindForNextRun(1, "x");
            var error = Assert.Throws<SqliteException>(() => insert.Execute());
            Assert.Contains("UNIQUE", error.Message);
        }
    }
}
