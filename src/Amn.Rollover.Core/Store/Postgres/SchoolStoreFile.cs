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
    /// A school's rows on the board's server as the tables of an SQLite store file, and back: <see cref="Read"/>
    /// fills an empty store with the school's tables, the server's ids kept (a backup), and <see cref="Restore"/>
    /// makes the school's tables equal to a store file's, writing only the rows that differ.
    /// </summary>
    internal static class SchoolStoreFile
    {
        private enum Value { Id, Text, Date, Time, Instant, Uuid }

        private sealed class Column
        {
            public Column(string name, Value value) { Name = name; Kind = value; }
            public string Name { get; }
            public Value Kind { get; }
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
            new Table("groups", Id, Text("name"), new Column("folder_id", Value.Id), new Column("created_utc", Value.Time)),
            new Table("students", new[] { Id, Text("number") }
                .Concat(StudentField.All.Select(f => new Column(f.Column, f.IsDate ? Value.Date : Value.Text)))
                .Concat(new[] { new Column("group_id", Value.Id), new Column("created_utc", Value.Time), new Column("updated_utc", Value.Time), new Column("last_seen_date", Value.Date), new Column("erased_utc", Value.Time) })
                .ToArray()),
            new Table("staff", new[] { Id, Text("user_name") }.Concat(StaffField.All.Select(f => Text(f.Column)))
                .Concat(new[] { new Column("created_utc", Value.Time), new Column("updated_utc", Value.Time) }).ToArray()),
            new Table("staff_roles", new Column("staff_id", Value.Id), Text("role")),
            new Table("staff_groups", new Column("staff_id", Value.Id), new Column("group_id", Value.Id)),
        };

        private static readonly Table Audit = new Table(TenantRestore.AuditTable, Id, new Column("run_id", Value.Uuid), new Column("at_utc", Value.Instant),
            Text("user"), Text("machine"), Text("action"), Text("target"), Text("details"));

        /// <summary>
        /// Replaces the rows of the store on <paramref name="local"/> with those of the school's tables in <paramref name="schema"/>.
        /// A text that may be longer than a cell arrives cut to one character more than a cell holds (ServerQueries.Capped), so a
        /// value of any size costs no more memory than a cell; such a value is refused naming its table, row and column, as the
        /// readers refuse it: a backup holds the school exactly or is not made.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public static void Read(NpgsqlConnection server, NpgsqlTransaction transaction, string schema, SqliteConnection local, SqliteTransaction localTransaction, string store)
        {
            // Children first; the schema's root folder comes from the server too.
            foreach (var table in new[] { Audit }.Concat(Enumerable.Reverse(Tables)))
                TenantStore.Execute(local, $"DELETE FROM \"{table.Name}\";", localTransaction);
            foreach (var table in Tables.Concat(new[] { Audit }))
            {
                var names = table.Columns.Select(c => c.Name).ToList();
                // Written through SQLite's C API: a backup reads the whole school.
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
                                else
                                {
                                    var text = ToLocalText(table.Columns[i].Kind, reader, i);
                                    if (StoredValues.Exceeds(text))
                                    {
                                        var key = table.HasId && table.Columns[1].Kind == Value.Text && !reader.IsDBNull(1) ? reader.GetString(1) : null;
                                        throw StoredValues.TooLongAsRead(store, table.Name, StoredValues.Row(table.Name, StoredValues.Exceeds(key) ? null : key, reader.GetInt64(0)), table.Columns[i].Name, text);
                                    }
                                    insert.BindForNextRun(i + 1, text);
                                }
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

        /// <summary>A statement of a large school's write may take minutes on a slow server; a dead one is noticed by the connection.</summary>
        internal const int StatementTimeoutSeconds = 900;

        /// <summary>
        /// A restore: the school's tables in <paramref name="schema"/> made equal, but for the audit log, to those of the
        /// SQLite store on <paramref name="file"/>, row by row by id (a role or a link by itself), in the caller's server
        /// transaction. Every row of the file is staged through binary COPY in a temporary table of the school's table's
        /// columns; then the school's rows the file lacks are deleted (children first), and the file's rows are inserted
        /// or, where a value differs, updated (parents first; the references and names are checked at commit). A row the
        /// file holds unchanged is not written.
        /// </summary>
        public static void Restore(SqliteConnection file, NpgsqlConnection server, NpgsqlTransaction transaction, string schema, string store)
        {
            string Stage(Table table) => "pg_temp.amn_restore_" + table.Name; // the session's own, whatever the search path
            foreach (var table in Tables)
            {
                Execute(server, transaction, $"CREATE TEMP TABLE {Stage(table)} (LIKE {schema}.{table.Name}) ON COMMIT DROP;");
                if (Copy(file, server, $"{Stage(table)} ({Targets(table)})", table, store) > 0)
                    Execute(server, transaction, $"ANALYZE {Stage(table)};"); // without statistics the comparison of a large school can take a slow plan
            }
            foreach (var table in Enumerable.Reverse(Tables))
            {
                var sameRow = string.Join(" AND ", (table.HasId ? table.Columns.Take(1) : table.Columns).Select(c => $"r.{c.ServerName} = t.{c.ServerName}"));
                Execute(server, transaction, $"DELETE FROM {schema}.{table.Name} t WHERE NOT EXISTS (SELECT 1 FROM {Stage(table)} r WHERE {sameRow});");
            }
            foreach (var table in Tables)
            {
                var values = table.Columns.Skip(1).Select(c => c.ServerName).ToList();
                var upsert = table.HasId
                    ? $" ON CONFLICT (id) DO UPDATE SET {string.Join(", ", values.Select(c => $"{c} = EXCLUDED.{c}"))}"
                      + $" WHERE ({string.Join(", ", values.Select(c => "t." + c))}) IS DISTINCT FROM ({string.Join(", ", values.Select(c => "EXCLUDED." + c))})"
                    : " ON CONFLICT DO NOTHING";
                Execute(server, transaction, $"INSERT INTO {schema}.{table.Name} AS t ({Targets(table)}) SELECT {Targets(table)} FROM {Stage(table)}{upsert};");
            }
        }

        private static string Targets(Table table) => string.Join(", ", table.Columns.Select(c => c.ServerName));

        /// <summary>Copies every row of the table in <paramref name="local"/> into <paramref name="target"/> through binary COPY, in the server's own types.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static long Copy(SqliteConnection local, NpgsqlConnection server, string target, Table table, string store)
        {
            var columns = table.Columns;
            var copied = 0L;
            // Read through SQLite's C API: a restore copies every row.
            using (var read = new BulkStatement(local, $"SELECT {string.Join(", ", columns.Select(c => "\"" + c.Name + "\""))} FROM main.\"{table.Name}\";"))
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
                            else if (columns[i].Kind == Value.Text)
                            {
                                var text = read.Utf8(i);
                                // A value longer than a cell (a backup of one cut on reading, see Read) is refused, as the readers refuse it.
                                if (text.Length > StoredValues.MaxCharacters && Encoding.UTF8.GetCharCount(text.ToArray()) > StoredValues.MaxCharacters)
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

        /// <summary>A server value in the store file's form: dates yyyy-MM-dd, times UTC ISO 8601 (audit entries to the tick, as the store writes them).</summary>
        private static string ToLocalText(Value kind, NpgsqlDataReader reader, int ordinal)
        {
            switch (kind)
            {
                case Value.Date: return reader.GetDateTime(ordinal).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                case Value.Time: return Timestamp.Exact(reader.GetDateTime(ordinal).ToUniversalTime());
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
