using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Amn.Rollover.Core.Model;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// A school's rows on the board's server as the tables of an SQLite store, and back. <see cref="Read"/>
    /// fills an empty store (the server's ids kept); <see cref="Write"/> replaces the school's rows on
    /// the server with the store's, in the caller's server transaction: every table through binary COPY
    /// into a temporary table (PostgreSQL refuses COPY into a table with row-level security), then into
    /// the school's table with new ids, the references mapped through them. The audit log is only added
    /// to: the entries the operation wrote.
    /// </summary>
    internal static class SchoolWorkingCopy
    {
        private enum Value { Id, Text, Date, Time, Instant, Uuid }

        private sealed class Column
        {
            public Column(string name, Value value, string references = null) { Name = name; Kind = value; References = references; }
            public string Name { get; }
            public Value Kind { get; }
            /// <summary>The table whose id this column holds; null for a plain value.</summary>
            public string References { get; }
            public string ServerName => Name == "user" ? "\"user\"" : Name;
        }

        private sealed class Table
        {
            public Table(string name, params Column[] columns) { Name = name; Columns = columns; }
            public string Name { get; }
            public Column[] Columns { get; }
            public bool HasId => Columns[0].Name == "id";
        }

        private static Column Id => new Column("id", Value.Id);
        private static Column Text(string name) => new Column(name, Value.Text);

        /// <summary>Parents before children. The roles table is the schema's own, the same in every store.</summary>
        private static readonly Table[] Tables =
        {
            new Table("folders", Id, Text("path")),
            new Table("groups", Id, Text("name"), new Column("folder_id", Value.Id, "folders"), new Column("created_utc", Value.Time)),
            new Table("students", new[] { Id, Text("number") }
                .Concat(StudentField.All.Select(f => new Column(f.Column, f.IsDate ? Value.Date : Value.Text)))
                .Concat(new[] { new Column("group_id", Value.Id, "groups"), new Column("created_utc", Value.Time), new Column("updated_utc", Value.Time), new Column("last_seen_date", Value.Date), new Column("erased_utc", Value.Time) })
                .ToArray()),
            new Table("staff", new[] { Id, Text("user_name") }.Concat(StaffField.All.Select(f => Text(f.Column)))
                .Concat(new[] { new Column("created_utc", Value.Time), new Column("updated_utc", Value.Time) }).ToArray()),
            new Table("staff_roles", new Column("staff_id", Value.Id, "staff"), Text("role")),
            new Table("staff_groups", new Column("staff_id", Value.Id, "staff"), new Column("group_id", Value.Id, "groups")),
        };

        private static readonly Table Audit = new Table(TenantRestore.AuditTable, Id, new Column("run_id", Value.Uuid), new Column("at_utc", Value.Instant),
            Text("user"), Text("machine"), Text("action"), Text("target"), Text("details"));

        /// <summary>Replaces the rows of the store on <paramref name="local"/> with the school's; returns the highest audit entry id read.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public static long Read(NpgsqlConnection server, NpgsqlTransaction transaction, int school, SqliteConnection local, SqliteTransaction localTransaction)
        {
            // Children first; the schema's root folder comes from the server too.
            foreach (var table in new[] { Audit }.Concat(Enumerable.Reverse(Tables)))
                TenantStore.Execute(local, $"DELETE FROM \"{table.Name}\";", localTransaction);
            foreach (var table in Tables.Concat(new[] { Audit }))
            {
                var names = table.Columns.Select(c => c.Name).ToList();
                // Written through SQLite's C API: every command on a server school reads the whole school.
                using (var insert = new BulkStatement(local, $"INSERT INTO \"{table.Name}\" ({string.Join(", ", names.Select(n => "\"" + n + "\""))}) VALUES ({string.Join(", ", names.Select((n, i) => "?" + (i + 1)))});"))
                using (var select = new NpgsqlCommand($"SELECT {string.Join(", ", table.Columns.Select(c => c.ServerName))} FROM amn.{table.Name} WHERE school_id = @school ORDER BY 1;", server, transaction) { CommandTimeout = StatementTimeoutSeconds })
                {
                    select.Parameters.AddWithValue("school", school);
                    using (var reader = select.ExecuteReader())
                        while (reader.Read())
                        {
                            for (var i = 0; i < names.Count; i++)
                            {
                                if (reader.IsDBNull(i)) insert.BindForNextRun(i + 1, (string)null);
                                else if (table.Columns[i].Kind == Value.Id) insert.Bind(i + 1, reader.GetInt64(i));
                                else insert.BindForNextRun(i + 1, ToLocalText(table.Columns[i].Kind, reader, i));
                            }
                            insert.Execute();
                        }
                }
            }
            if (TenantStore.Scalar(local, "SELECT id FROM folders WHERE path = '';", localTransaction) == null)
                TenantStore.Execute(local, "INSERT INTO folders (path) VALUES ('');", localTransaction);
            return Convert.ToInt64(TenantStore.Scalar(local, "SELECT coalesce(max(id), 0) FROM audit_log;", localTransaction));
        }

        /// <summary>Replaces the school's rows on the server with the store's, and adds its audit entries above <paramref name="auditFrom"/>.</summary>
        public static void Write(SqliteConnection local, SqliteTransaction localTransaction, NpgsqlConnection server, NpgsqlTransaction transaction, int school, long auditFrom)
        {
            foreach (var table in Enumerable.Reverse(Tables))
                Execute(server, transaction, $"DELETE FROM amn.{table.Name} WHERE school_id = @school;", school);
            var rows = 0L;
            foreach (var table in Tables) rows += Copy(local, localTransaction, server, transaction, school, table, "");
            Copy(local, localTransaction, server, transaction, school, Audit, "WHERE id > " + auditFrom.ToString(CultureInfo.InvariantCulture));
            if (rows >= RowsForStatistics) Execute(server, transaction, "SELECT amn.refresh_statistics();", school);
        }

        /// <summary>From how many rows on a write refreshes the planner's statistics (see PostgresSchema migration 2); a school of 2,000 pupils does not need it.</summary>
        private const long RowsForStatistics = 20000;

        /// <summary>A statement of a large school's write may take minutes on a slow server; a dead one is noticed by the connection.</summary>
        private const int StatementTimeoutSeconds = 900;

        /// <summary>Copies a table's rows (those <paramref name="where"/> selects) into the school's table; returns how many.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static long Copy(SqliteConnection local, SqliteTransaction localTransaction, NpgsqlConnection server, NpgsqlTransaction transaction, int school, Table table, string where)
        {
            var stage = "amn_stage_" + table.Name;
            var columns = table.Columns;
            var definitions = columns.Select(c => $"\"{c.Name}\" {(c.Kind == Value.Id ? "bigint" : "text")}").ToList();
            // The sequence is looked up once: as a default, pg_get_serial_sequence would run for every row.
            if (table.HasId) definitions.Add($"new_id bigint DEFAULT nextval('{Sequence(server, transaction, table)}'::regclass)");
            Execute(server, transaction, $"CREATE TEMP TABLE {stage} ({string.Join(", ", definitions)}) ON COMMIT DROP;", school);

            // Read through SQLite's C API: a school board's write copies every row of the school.
            var staged = 0L;
            using (var read = new BulkStatement(local, $"SELECT {string.Join(", ", columns.Select(c => "\"" + c.Name + "\""))} FROM \"{table.Name}\" {where};"))
            using (var copy = new BinaryCopyWriter(server.BeginRawBinaryCopy($"COPY {stage} ({string.Join(", ", columns.Select(c => "\"" + c.Name + "\""))}) FROM STDIN (FORMAT BINARY)"), StatementTimeoutSeconds))
            {
                while (read.Read())
                {
                    copy.StartRow(columns.Length);
                    for (var i = 0; i < columns.Length; i++)
                    {
                        if (read.IsNull(i)) copy.WriteNull();
                        else if (columns[i].Kind == Value.Id) copy.WriteInt64(read.Int64(i).Value);
                        else copy.WriteText(read.Utf8(i)); // an erased pupil's names are empty, not NULL
                    }
                    staged++;
                }
                copy.Complete();
            }
            // A temporary table has no statistics: without them the mapping joins of a large school can take the slow plan.
            if (staged >= RowsForStatistics) Execute(server, transaction, $"ANALYZE {stage};", school);

            var targets = new List<string> { "school_id" };
            var values = new List<string> { "@school" };
            var joins = new List<string>();
            foreach (var column in columns)
            {
                targets.Add(column.ServerName);
                if (column.Name == "id") values.Add("s.new_id");
                else if (column.References != null)
                {
                    var alias = "r" + joins.Count;
                    joins.Add($"LEFT JOIN amn_stage_{column.References} {alias} ON {alias}.id = s.\"{column.Name}\"");
                    values.Add(alias + ".new_id");
                }
                else values.Add(ServerValue(column));
            }
            return Execute(server, transaction, $"INSERT INTO amn.{table.Name} ({string.Join(", ", targets)}) SELECT {string.Join(", ", values)} FROM {stage} s {string.Join(" ", joins)};", school);
        }

        /// <summary>The sequence of the table's ids, by its qualified name.</summary>
        private static string Sequence(NpgsqlConnection server, NpgsqlTransaction transaction, Table table)
        {
            using (var command = new NpgsqlCommand("SELECT pg_get_serial_sequence(@table, 'id');", server, transaction))
            {
                command.Parameters.AddWithValue("table", "amn." + table.Name);
                return (string)command.ExecuteScalar();
            }
        }

        private static string ServerValue(Column column)
        {
            var value = $"s.\"{column.Name}\"";
            switch (column.Kind)
            {
                case Value.Date: return value + "::date";
                case Value.Time:
                case Value.Instant: return value + "::timestamptz";
                case Value.Uuid: return value + "::uuid";
                default: return value;
            }
        }

        /// <summary>A server value in the store file's form: dates yyyy-MM-dd, times UTC ISO 8601 (audit entries to the tick, as the store writes them).</summary>
        private static string ToLocalText(Value kind, NpgsqlDataReader reader, int ordinal)
        {
            switch (kind)
            {
                case Value.Date: return reader.GetDateTime(ordinal).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                case Value.Time: return reader.GetDateTime(ordinal).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                case Value.Instant: return reader.GetDateTime(ordinal).ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
                case Value.Uuid: return reader.GetGuid(ordinal).ToString();
                default: return reader.GetString(ordinal);
            }
        }

        private static int Execute(NpgsqlConnection server, NpgsqlTransaction transaction, string sql, int school)
        {
            using (var command = new NpgsqlCommand(sql, server, transaction) { CommandTimeout = StatementTimeoutSeconds })
            {
                if (sql.Contains("@school")) command.Parameters.AddWithValue("school", school);
                return command.ExecuteNonQuery();
            }
        }
    }
}
