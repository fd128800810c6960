using System.Runtime.CompilerServices;
using System;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// A prepared statement driven through SQLitePCL directly, for bulk reads and writes inside a transaction
    /// of the given connection. Per row it saves the command and reader objects Microsoft.Data.Sqlite
    /// creates, which dominate the cost of 100,000 small inserts. Bindings persist across rows, so
    /// values that never change are bound once.
    /// </summary>
    internal sealed class BulkStatement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;

        public BulkStatement(SqliteConnection connection, string sql)
        {
            _db = connection.Handle;
            Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        }

        [MethodImpl(HotPath.Optimize)]
        public void Bind(int index, string value)
        {
            // UTF-16 straight from the string: SQLite converts it, with no managed allocation per value.
            Check(value == null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));
        }

        /// <summary>Binds text from a span, such as a reused buffer; SQLite copies it.</summary>
        [MethodImpl(HotPath.Optimize)]
        public void Bind(int index, ReadOnlySpan<char> value) => Check(raw.sqlite3_bind_text16(_statement, index, value));

        [MethodImpl(HotPath.Optimize)]
        public void Bind(int index, long? value)
        {
            Check(value.HasValue ? raw.sqlite3_bind_int64(_statement, index, value.Value) : raw.sqlite3_bind_null(_statement, index));
        }

        /// <summary>Runs the statement once with the current bindings.</summary>
        [MethodImpl(HotPath.Optimize)]
        public void Execute()
        {
            var result = raw.sqlite3_step(_statement);
            raw.sqlite3_reset(_statement);
            if (result != raw.SQLITE_DONE && result != raw.SQLITE_ROW) Check(result);
        }

        /// <summary>The row id of the last insert on this connection.</summary>
        public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

        /// <summary>Steps a query to its next row; false when there are no more.</summary>
        [MethodImpl(HotPath.Optimize)]
        public bool Read()
        {
            var result = raw.sqlite3_step(_statement);
            if (result == raw.SQLITE_ROW) return true;
            raw.sqlite3_reset(_statement);
            if (result != raw.SQLITE_DONE) Check(result);
            return false;
        }

        // The store never keeps empty strings (an empty cell is NULL), so an empty value reads as null:
        // one call into SQLite per column instead of two, for columns read 100,000 times.

        /// <summary>A text column through a pool of shared strings (for repetitive values); null for NULL.</summary>
        [MethodImpl(HotPath.Optimize)]
        public string Text(int column, Utf8Strings pool)
        {
            var bytes = raw.sqlite3_column_blob(_statement, column);
            return bytes.Length == 0 ? null : pool.Pooled(bytes);
        }

        /// <summary>A text column as a fresh string, decoded straight from SQLite's buffer; null for NULL.</summary>
        [MethodImpl(HotPath.Optimize)]
        public string UniqueText(int column)
        {
            var bytes = raw.sqlite3_column_blob(_statement, column);
            return bytes.Length == 0 ? null : Utf8Strings.Decode(bytes);
        }

        public long? Int64(int column)
            => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? (long?)null : raw.sqlite3_column_int64(_statement, column);

        private void Check(int result)
        {
            if (result != raw.SQLITE_OK)
                throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result);
        }

        public void Dispose() => _statement.Dispose();
    }
}
