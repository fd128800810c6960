using System;
using System.Collections.Generic;
using System.Globalization;
using Amn.Rollover.Core.Files;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// What comes back from a store is held to the limit of what goes in: a value at most a cell long
    /// (32,767 characters). The module never writes a longer one, so a longer one was put there by hand
    /// or by another program, and it is refused naming the table, the row and the column, before a
    /// value of any size can fill the memory of every command that reads it.
    /// </summary>
    internal static class StoredValues
    {
        public const int MaxCharacters = ExcelLimits.MaxCellCharacters;

        /// <summary>
        /// SQLite's own limit on a value or a row, set on every connection to a store: far above any row
        /// the module writes (13 text columns of 32,767 characters of 3 bytes each are 1.3 MB), so SQLite
        /// refuses a giant before a byte of it reaches managed memory. Below it, <see cref="Check"/> is exact.
        /// </summary>
        public const int SqliteLengthLimit = 4 * 1024 * 1024;

        private const int SqliteLimitLength = 0, SqliteTooBig = 18;

        /// <summary>The key column that names a row in messages, by table.</summary>
        private static readonly Dictionary<string, string> Keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["students"] = "number", ["groups"] = "name", ["folders"] = "path", ["staff"] = "user_name",
        };

        /// <summary>The names of the stores connections belong to: a server school's backup is named by the school, not by its file.</summary>
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SqliteConnection, string> StoreNames = new System.Runtime.CompilerServices.ConditionalWeakTable<SqliteConnection, string>();

        /// <summary>Sets SQLite's length limit on a connection to the store named <paramref name="store"/>.</summary>
        public static void LimitLength(SqliteConnection connection, string store)
        {
            SQLitePCL.raw.sqlite3_limit(connection.Handle, SqliteLimitLength, SqliteLengthLimit);
            StoreNames.Remove(connection);
            StoreNames.Add(connection, store);
        }

        private static string StoreName(SqliteConnection connection) => StoreNames.TryGetValue(connection, out var name) ? name : connection.DataSource;

        public static bool IsTooBig(SqliteException e) => e.SqliteErrorCode == SqliteTooBig;

        /// <summary>Whether a value read from a store is longer than a cell: then TooLong is the error.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public static bool Exceeds(string value) => value != null && value.Length > MaxCharacters;

        public static AmnException TooLong(SqliteConnection connection, string table, string row, string column, int characters)
            => TooLong(StoreName(connection), table, row, column, characters);

        /// <summary>
        /// A server school's text that <see cref="Exceeds"/> the limit, as ServerQueries.Capped read it, refused: a text cut
        /// there holds a cell's limit plus one characters (code points, each one or two UTF-16 characters), and of such a
        /// text all that is known is "that many or more"; any other text arrived whole and is as long as it is.
        /// </summary>
        public static AmnException TooLongAsRead(string store, string table, string row, string column, string text)
        {
            var codePoints = 0;
            for (var i = 0; i < text.Length; i++, codePoints++)
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            return TooLong(store, table, row, column, codePoints == MaxCharacters + 1
                ? Messages.Format("StoredValueMoreCharacters", MaxCharacters + 1) : Messages.Format("StoredValueCharacters", text.Length));
        }

        /// <summary>A server school's text arrives cut one character past the limit (see <see cref="Postgres.SchoolStoreFile"/>): then all that is known is "that many or more".</summary>
        public static AmnException TooLong(string store, string table, string row, string column, int characters)
            => TooLong(store, table, row, column, characters == MaxCharacters + 1
                ? Messages.Format("StoredValueMoreCharacters", characters) : Messages.Format("StoredValueCharacters", characters));

        /// <summary>A text column of a row read from a store, checked; the row is named by <paramref name="key"/> when it has one that fits, else by <paramref name="id"/>.</summary>
        public static string Text(SqliteDataReader reader, int ordinal, SqliteConnection connection, string table, string column, string key, long id)
        {
            if (reader.IsDBNull(ordinal)) return null;
            var text = reader.GetString(ordinal);
            if (Exceeds(text)) throw TooLong(StoreName(connection), table, Row(table, Exceeds(key) ? null : key, id), column, text.Length);
            return text;
        }

        /// <summary>"the row with number '002'", or "row id 7" when the key itself is what is wrong.</summary>
        public static string Row(string table, string key, long id)
            => key != null && Keys.TryGetValue(table, out var column) ? Messages.Format("BackupRowByKey", column, key) : Messages.Format("BackupRowById", id);

        public static AmnException TooLong(string store, string table, string row, string column, string size)
            => new AmnException("StoredValueTooLong", AmnErrorCategory.InvalidData,
                Messages.Format("StoredValueTooLong", store, table, row, column, size, MaxCharacters), store);

        /// <summary>
        /// After SQLite refused a value as too big: the first value in the store file over the limit, found by
        /// its length alone (octet_length reads no content), as the StoredValueTooLong error; null when none is.
        /// </summary>
        public static AmnException FindTooBig(string path)
        {
            try
            {
                using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
                {
                    connection.Open();
                    LimitLength(connection, path);
                    foreach (var table in Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY rowid;"))
                        foreach (var column in Strings(connection, $"SELECT name FROM pragma_table_info('{table.Replace("'", "''")}') ORDER BY cid;"))
                        {
                            using (var command = connection.CreateCommand())
                            {
                                Keys.TryGetValue(table, out var key);
                                var keyText = key == null ? "NULL" : $"CASE WHEN octet_length(\"{key}\") <= {MaxCharacters} THEN \"{key}\" END";
                                command.CommandText = $"SELECT rowid, {keyText}, octet_length(\"{column}\") FROM \"{table}\" WHERE octet_length(\"{column}\") > {SqliteLengthLimit} LIMIT 1;";
                                using (var reader = command.ExecuteReader())
                                    if (reader.Read())
                                        return TooLong(path, table, Row(table, reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(0)), column,
                                            Messages.Format("StoredValueBytes", reader.GetInt64(2)));
                            }
                        }
                }
            }
            catch (SqliteException) { } // the caller's own translation stands
            return null;
        }

        private static List<string> Strings(SqliteConnection connection, string sql)
        {
            var result = new List<string>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = sql;
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) result.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture));
            }
            return result;
        }
    }
}
