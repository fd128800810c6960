using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

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
            new Table("students", Id, Text("number"), Text("first_name"), Text("prefix"), Text("last_name"), new Column("birth_date", Value.Date),
                Text("gender"), Text("crebo_number"), Text("email"), Text("user_name"), new Column("group_id", Value.Id, "groups"),
                new Column("created_utc", Value.Time), new Column("updated_utc", Value.Time), new Column("last_seen_date", Value.Date), new Column("erased_utc", Value.Time)),
            new Table("staff", Id, Text("user_name"), Text("code"), Text("first_name"), Text("prefix"), Text("last_name"), Text("email"),
                new Column("created_utc", Value.Time), new Column("updated_utc", Value.Time)),
            new Table("staff_roles", new Column("staff_id", Value.Id, "staff"), Text("role")),
            new Table("staff_groups", new Column("staff_id", Value.Id, "staff"), new Column("group_id", Value.Id, "groups")),
        };

        private static readonly Table Audit = new Table(TenantRestore.AuditTable, Id, new Column("run_id", Value.Uuid), new Column("at_utc", Value.Instant),
            Text("user"), Text("machine"), Text("action"), Text("target"), Text("details"));

        /// <summary>Replaces the rows of the store on <paramref name="local"/> with the school's; returns the highest audit entry id read.</summary>
        public static long Read(NpgsqlConnection server, NpgsqlTransaction transaction, int school, SqliteConnection local, SqliteTransaction localTransaction)
        {
            // Children first; the schema's root folder comes from the server too.
            foreach (var table in new[] { Audit }.Concat(Enumerable.Reverse(Tables)))
                TenantStore.Execute(local, $"DELETE FROM \"{table.Name}\";", localTransaction);
            foreach (var table in Tables.Concat(new[] { Audit }))
            {
                var names = table.Columns.Select(c => c.Name).ToList();
                using (var insert = local.CreateCommand())
                {
                    insert.Transaction = localTransaction;
                    insert.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", names.Select(n => "\"" + n + "\""))}) VALUES ({string.Join(", ", names.Select((n, i) => "$" + i))});";
                    var parameters = names.Select((n, i) => insert.Parameters.Add(new SqliteParameter { ParameterName = "$" + i })).ToArray();
                    insert.Prepare();
                    using (var select = new NpgsqlCommand($"SELECT {string.Join(", ", table.Columns.Select(c => c.ServerName))} FROM amn.{table.Name} WHERE school_id = @school ORDER BY 1;", server, transaction) { CommandTimeout = StatementTimeoutSeconds })
                    {
                        select.Parameters.AddWithValue("school", school);
                        using (var reader = select.ExecuteReader())
                            while (reader.Read())
                            {
                                for (var i = 0; i < parameters.Length; i++) parameters[i].Value = reader.IsDBNull(i) ? DBNull.Value : ToLocal(table.Columns[i].Kind, reader, i);
                                insert.ExecuteNonQuery();
                            }
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
        private static long Copy(SqliteConnection local, SqliteTransaction localTransaction, NpgsqlConnection server, NpgsqlTransaction transaction, int school, Table table, string where)
        {
            var stage = "amn_stage_" + table.Name;
            var columns = table.Columns;
            var definitions = columns.Select(c => $"\"{c.Name}\" {(c.Kind == Value.Id ? "bigint" : "text")}").ToList();
            if (table.HasId) definitions.Add($"new_id bigint DEFAULT nextval(pg_get_serial_sequence('amn.{table.Name}', 'id'))");
            Execute(server, transaction, $"CREATE TEMP TABLE {stage} ({string.Join(", ", definitions)}) ON COMMIT DROP;", school);

            using (var read = local.CreateCommand())
            {
                read.Transaction = localTransaction;
                read.CommandText = $"SELECT {string.Join(", ", columns.Select(c => "\"" + c.Name + "\""))} FROM \"{table.Name}\" {where};";
                using (var reader = read.ExecuteReader())
                using (var copy = server.BeginBinaryImport($"COPY {stage} ({string.Join(", ", columns.Select(c => "\"" + c.Name + "\""))}) FROM STDIN (FORMAT BINARY)"))
                {
                    copy.Timeout = TimeSpan.FromSeconds(StatementTimeoutSeconds);
                    while (reader.Read())
                    {
                        copy.StartRow();
                        for (var i = 0; i < columns.Length; i++)
                        {
                            if (reader.IsDBNull(i)) copy.WriteNull();
                            else if (columns[i].Kind == Value.Id) copy.Write(reader.GetInt64(i), NpgsqlDbType.Bigint);
                            else copy.Write(reader.GetString(i), NpgsqlDbType.Text);
                        }
                    }
                    copy.Complete();
                }
            }

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
        private static object ToLocal(Value kind, NpgsqlDataReader reader, int ordinal)
        {
            switch (kind)
            {
                case Value.Id: return reader.GetInt64(ordinal);
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
