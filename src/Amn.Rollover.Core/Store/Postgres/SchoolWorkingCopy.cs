using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Amn.Rollover.Core.Model;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// A school's rows on the board's server as the tables of an SQLite store, and back. <see cref="Read"/>
    /// fills an empty store with the school's tables (the server's ids kept: a row keeps its id for
    /// life). <see cref="TrackChanges"/> makes the store note every row an operation inserts, changes
    /// or deletes, and <see cref="Write"/> applies exactly those to the school's tables in the caller's
    /// server transaction: deletes by id, then the inserted and changed rows staged through binary COPY
    /// and merged by id. An unchanged row is never written.
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

        /// <summary>
        /// Replaces the rows of the store on <paramref name="local"/> with those of the school's tables in <paramref name="schema"/>.
        /// A text that may be longer than a cell arrives cut to one character more than a cell holds (ServerQueries.Capped): a value of any
        /// size costs no more memory than a cell, and the store's readers refuse it naming its table, row and
        /// column, as they refuse one in a store file. <see cref="Write"/> never writes such a cut value back.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public static void Read(NpgsqlConnection server, NpgsqlTransaction transaction, string schema, SqliteConnection local, SqliteTransaction localTransaction)
        {
            // Children first; the schema's root folder comes from the server too.
            foreach (var table in new[] { Audit }.Concat(Enumerable.Reverse(Tables)))
                TenantStore.Execute(local, $"DELETE FROM \"{table.Name}\";", localTransaction);
            foreach (var table in Tables.Concat(new[] { Audit }))
            {
                var names = table.Columns.Select(c => c.Name).ToList();
                // Written through SQLite's C API: every command on a server school reads the whole school.
                using (var insert = new BulkStatement(local, $"INSERT INTO \"{table.Name}\" ({string.Join(", ", names.Select(n => "\"" + n + "\""))}) VALUES ({string.Join(", ", names.Select((n, i) => "?" + (i + 1)))});"))
                using (var select = new NpgsqlCommand($"SELECT {string.Join(", ", table.Columns.Select(Capped))} FROM {schema}.{table.Name} ORDER BY 1;", server, transaction) { CommandTimeout = StatementTimeoutSeconds })
                {
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
        }

        /// <summary>A column as the read selects it: a text at most one character past a cell's limit, enough to tell it is too long.</summary>
        private static string Capped(Column column)
            => column.Kind == Value.Text ? ServerQueries.Capped(column.ServerName) : column.ServerName;

        /// <summary>The row being staged, named by its key (the second column) when that fits in a cell, else by its id.</summary>
        private static string RowName(Table table, BulkStatement read)
        {
            if (!table.HasId) return StoredValues.Row(table.Name, null, read.Int64(0) ?? 0);
            var key = table.Columns.Length > 1 && table.Columns[1].Kind == Value.Text ? read.UniqueText(1) : null;
            return StoredValues.Row(table.Name, StoredValues.Exceeds(key) ? null : key, read.Int64(0) ?? 0);
        }

        /// <summary>The temporary table of the rows an operation touched: a table and a row id (for the link tables, the staff member's id).</summary>
        private const string Changes = "temp.amn_changes";

        /// <summary>
        /// From here on the store on <paramref name="local"/> notes each row an insert, a real change
        /// (a value that differs) or a delete touches, in temporary triggers of this connection only.
        /// </summary>
        public static void TrackChanges(SqliteConnection local)
        {
            // A row's first note says whether the server has it: inserted first, it is new there (an id freed by a
            // delete first and taken again is noted as the server's row, and merged).
            var sql = new StringBuilder($"CREATE TEMP TABLE IF NOT EXISTS amn_changes (tbl TEXT NOT NULL, id INTEGER NOT NULL, new INTEGER NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID; DELETE FROM {Changes};");
            foreach (var table in Tables.Concat(new[] { Audit }))
            {
                var key = table.HasId ? "id" : "staff_id";
                var differs = string.Join(" OR ", table.Columns.Select(c => $"OLD.\"{c.Name}\" IS NOT NEW.\"{c.Name}\""));
                string Note(string row, int isNew) => $"INSERT OR IGNORE INTO amn_changes VALUES ('{table.Name}', {row}.{key}, {isNew});";
                sql.Append($"CREATE TEMP TRIGGER IF NOT EXISTS amn_inserted_{table.Name} AFTER INSERT ON main.\"{table.Name}\" BEGIN {Note("NEW", 1)} END;");
                sql.Append($"CREATE TEMP TRIGGER IF NOT EXISTS amn_deleted_{table.Name} AFTER DELETE ON main.\"{table.Name}\" BEGIN {Note("OLD", 0)} END;");
                sql.Append($"CREATE TEMP TRIGGER IF NOT EXISTS amn_changed_{table.Name} AFTER UPDATE ON main.\"{table.Name}\" WHEN {differs} BEGIN {Note("OLD", 0)} {Note("NEW", 0)} END;");
            }
            TenantStore.Execute(local, sql.ToString());
        }

        /// <summary>Whether the operation touched any row since <see cref="TrackChanges"/>.</summary>
        public static bool HasChanges(SqliteConnection local, SqliteTransaction localTransaction)
            => TenantStore.Scalar(local, $"SELECT 1 FROM {Changes} LIMIT 1;", localTransaction) != null;

        /// <summary>
        /// Applies the rows the operation touched to the school's tables in <paramref name="schema"/>:
        /// rows gone from the store are deleted (children first, so a name freed is free), then the rows
        /// inserted or changed are merged by id (parents first; the references are checked at commit).
        /// The audit log is only added to. Returns how many rows were written.
        /// </summary>
        public static long Write(SqliteConnection local, SqliteTransaction localTransaction, NpgsqlConnection server, NpgsqlTransaction transaction, string schema, string store)
        {
            var written = 0L;
            foreach (var table in Enumerable.Reverse(Tables))
            {
                var key = table.HasId ? "id" : "staff_id";
                var gone = Ids(local, localTransaction, table.HasId
                    ? $"SELECT id FROM {Changes} WHERE tbl = '{table.Name}' AND id NOT IN (SELECT id FROM main.\"{table.Name}\");"
                    : $"SELECT id FROM {Changes} WHERE tbl = '{table.Name}';");   // a staff member's roles or links are written whole
                if (gone.Length > 0)
                    using (var delete = new NpgsqlCommand($"DELETE FROM {schema}.{table.Name} WHERE {key} = ANY(@ids);", server, transaction) { CommandTimeout = StatementTimeoutSeconds })
                    {
                        delete.Parameters.AddWithValue("ids", gone);
                        written += delete.ExecuteNonQuery();
                    }
            }
            foreach (var table in Tables.Concat(new[] { Audit }))
                written += Merge(local, localTransaction, server, transaction, schema, table, store);
            return written;
        }

        private static long[] Ids(SqliteConnection local, SqliteTransaction localTransaction, string sql)
        {
            var ids = new List<long>();
            using (var command = local.CreateCommand())
            {
                command.Transaction = localTransaction;
                command.CommandText = sql;
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) ids.Add(reader.GetInt64(0));
            }
            return ids.ToArray();
        }

        /// <summary>A statement of a large school's write may take minutes on a slow server; a dead one is noticed by the connection.</summary>
        internal const int StatementTimeoutSeconds = 900;

        /// <summary>From how many staged rows the temporary table gets statistics: without them the merge of a large school can take a slow plan.</summary>
        private const long RowsForStatistics = 20000;

        /// <summary>
        /// Writes the table's touched rows: those the server does not have yet (and every row of a link table or
        /// the audit log) go straight into the school's table through binary COPY; changed rows are staged the same
        /// way and merged by id. Returns how many rows were written.
        /// </summary>
        private static long Merge(SqliteConnection local, SqliteTransaction localTransaction, NpgsqlConnection server, NpgsqlTransaction transaction, string schema, Table table, string store)
        {
            var key = table.HasId ? "id" : "staff_id";
            string Touched(string which) => $"WHERE \"{key}\" IN (SELECT id FROM {Changes} WHERE tbl = '{table.Name}'{which})";
            var targets = string.Join(", ", table.Columns.Select(c => c.ServerName));
            // A row of the audit log is never changed; a staff member's roles and links were deleted before.
            if (!table.HasId || table == Audit)
                return Copy(local, localTransaction, server, $"{schema}.{table.Name} ({targets})", table, Touched(""), typed: true, store);

            var written = Copy(local, localTransaction, server, $"{schema}.{table.Name} ({targets})", table, Touched(" AND new = 1"), typed: true, store);
            var changed = Touched(" AND new = 0");
            if (TenantStore.Scalar(local, $"SELECT 1 FROM main.\"{table.Name}\" {changed} LIMIT 1;", localTransaction) == null) return written;
            var stage = "amn_stage_" + table.Name;
            var columns = table.Columns;
            Execute(server, transaction, $"CREATE TEMP TABLE IF NOT EXISTS {stage} ({string.Join(", ", columns.Select(c => $"\"{c.Name}\" {(c.Kind == Value.Id ? "bigint" : "text")}"))}) ON COMMIT DROP; TRUNCATE {stage};");
            var staged = Copy(local, localTransaction, server, $"{stage} ({string.Join(", ", columns.Select(c => "\"" + c.Name + "\""))})", table, changed, typed: false, store);
            if (staged >= RowsForStatistics) Execute(server, transaction, $"ANALYZE {stage};");
            var merge = $"INSERT INTO {schema}.{table.Name} ({targets}) SELECT {string.Join(", ", columns.Select(ServerValue))} FROM {stage} s"
                        + " ON CONFLICT (id) DO UPDATE SET " + string.Join(", ", columns.Skip(1).Select(c => $"{c.ServerName} = EXCLUDED.{c.ServerName}"));
            return written + Execute(server, transaction, merge + ";");
        }

        /// <summary>
        /// Copies the table's rows that <paramref name="where"/> selects into <paramref name="target"/> through binary
        /// COPY: <paramref name="typed"/>, in the server's own types; otherwise ids as bigint and the rest as text.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static long Copy(SqliteConnection local, SqliteTransaction localTransaction, NpgsqlConnection server, string target, Table table, string where, bool typed, string store)
        {
            var columns = table.Columns;
            var copied = 0L;
            // Read through SQLite's C API: a school's first import copies every pupil.
            using (var read = new BulkStatement(local, $"SELECT {string.Join(", ", columns.Select(c => "\"" + c.Name + "\""))} FROM main.\"{table.Name}\" {where};"))
            {
                if (!read.Read()) return 0;
                using (var copy = new BinaryCopyWriter(server.BeginRawBinaryCopy($"COPY {target} FROM STDIN (FORMAT BINARY)"), StatementTimeoutSeconds))
                {
                    do
                    {
                        copy.StartRow(columns.Length);
                        for (var i = 0; i < columns.Length; i++)
                        {
                            if (read.IsNull(i)) copy.WriteNull();
                            else if (columns[i].Kind == Value.Id) copy.WriteInt64(read.Int64(i).Value);
                            else if (!typed || columns[i].Kind == Value.Text)
                            {
                                var text = read.Utf8(i);
                                // A value cut on reading (see Read) would overwrite the whole one: refused, as the readers refuse it.
                                if (text.Length > StoredValues.MaxCharacters && columns[i].Kind == Value.Text && Encoding.UTF8.GetCharCount(text.ToArray()) > StoredValues.MaxCharacters)
                                    throw StoredValues.TooLong(store, table.Name, RowName(table, read), columns[i].Name, StoredValues.MaxCharacters + 1);
                                copy.WriteText(text); // an erased pupil's names are empty, not NULL
                            }
                            else if (columns[i].Kind == Value.Date) copy.WriteDate(LocalTime(read.Utf8(i)));
                            else if (columns[i].Kind == Value.Uuid) copy.WriteUuid(Guid.Parse(Encoding.ASCII.GetString(read.Utf8(i).ToArray())));
                            else copy.WriteTimestamp(LocalTime(read.Utf8(i)));
                        }
                        copied++;
                    } while (read.Read());
                    copy.Complete();
                }
            }
            return copied;
        }

        /// <summary>
        /// A date or UTC time in the store file's form (yyyy-MM-dd, yyyy-MM-ddTHH:mm:ssZ, or ISO 8601 to the tick for
        /// the audit log), read without a string for the two forms every pupil has.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static DateTime LocalTime(ReadOnlySpan<byte> text)
        {
            if (text.Length == 10 || (text.Length == 20 && text[10] == 'T' && text[19] == 'Z'))
            {
                int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
                if (year > 0 && month > 0 && month <= 12 && day > 0 && day <= DateTime.DaysInMonth(year, month) && text[4] == '-' && text[7] == '-')
                {
                    if (text.Length == 10) return new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
                    int hour = Digits(text, 11, 2), minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
                    if (hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60)
                        return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
                }
            }
            return DateTime.Parse(Encoding.UTF8.GetString(text.ToArray()), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        }

        private static int Digits(ReadOnlySpan<byte> text, int at, int count)
        {
            var value = 0;
            for (var i = at; i < at + count; i++)
            {
                var digit = text[i] - '0';
                if (digit < 0 || digit > 9) return -1;
                value = value * 10 + digit;
            }
            return value;
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

        private static int Execute(NpgsqlConnection server, NpgsqlTransaction transaction, string sql)
        {
            using (var command = new NpgsqlCommand(sql, server, transaction) { CommandTimeout = StatementTimeoutSeconds })
                return command.ExecuteNonQuery();
        }
    }
}
