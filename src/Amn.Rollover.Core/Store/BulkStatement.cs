using System.Runtime.CompilerServices;
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using Amn.Rollover.Core.Native;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// A prepared statement driven through SQLite directly, for bulk reads and writes inside a transaction
    /// of the given connection. Per row it saves the command and reader objects Microsoft.Data.Sqlite
    /// creates, which dominate the cost of 100,000 small inserts. Bindings made with <see cref="Bind(int, string)"/>
    /// persist across runs, so values that never change are bound once.
    /// </summary>
    internal sealed unsafe class BulkStatement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private readonly IntPtr _handle; // the statement's pointer; valid while this object owns _statement
        private readonly TextBuffer _runText = new TextBuffer();
        /// <summary>By parameter number: bound to NULL (as every parameter starts). Rebinding NULL is skipped: many columns stay empty row after row.</summary>
        private readonly bool[] _isNull;

        public BulkStatement(SqliteConnection connection, string sql)
        {
            _db = connection.Handle;
            Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
            _handle = _statement.DangerousGetHandle();
            _isNull = new bool[raw.sqlite3_bind_parameter_count(_statement) + 1];
            for (int i = 0; i < _isNull.Length; i++) _isNull[i] = true;
        }

        /// <summary>Binds text (null for NULL) that stays bound for every later run; SQLite keeps a copy.</summary>
        public void Bind(int index, string value)
        {
            if (value == null) { BindNull(index); return; }
            var text = _runText.Add(value.AsSpan(), out var bytes);
            Check(SqliteCalls.BindText(_handle, index, text, bytes, SqliteCalls.Transient));
            _isNull[index] = false;
        }

        /// <summary>
        /// Binds text (null for NULL) for the next <see cref="Execute"/> only: the UTF-8 bytes stay in this
        /// statement's buffer, which SQLite reads in place, and the buffer is reused after the run. Every
        /// value of a bulk write goes this way; a parameter bound like this must be bound again before each run.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        public void BindForNextRun(int index, string value)
        {
            if (value == null) BindNull(index);
            else BindForNextRun(index, value.AsSpan());
        }

        /// <inheritdoc cref="BindForNextRun(int, string)"/>
        [MethodImpl(HotPath.Optimize)]
        public void BindForNextRun(int index, ReadOnlySpan<char> value)
        {
            var text = _runText.Add(value, out var bytes);
            Check(SqliteCalls.BindText(_handle, index, text, bytes, SqliteCalls.Static));
            _isNull[index] = false;
        }

        [MethodImpl(HotPath.Optimize)]
        public void Bind(int index, long? value)
        {
            if (!value.HasValue) { BindNull(index); return; }
            Check(SqliteCalls.BindInt64(_handle, index, value.Value));
            _isNull[index] = false;
        }

        [MethodImpl(HotPath.Optimize)]
        private void BindNull(int index)
        {
            if (_isNull[index]) return;
            Check(SqliteCalls.BindNull(_handle, index));
            _isNull[index] = true;
        }

        /// <summary>Runs the statement once with the current bindings.</summary>
        [MethodImpl(HotPath.Optimize)]
        public void Execute()
        {
            var result = SqliteCalls.Step(_handle);
            SqliteCalls.Reset(_handle);
            _runText.Clear();
            if (result != raw.SQLITE_DONE && result != raw.SQLITE_ROW) Check(result);
        }

        /// <summary>The row id of the last insert on this connection.</summary>
        public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

        /// <summary>Steps a query to its next row; false when there are no more.</summary>
        [MethodImpl(HotPath.Optimize)]
        public bool Read()
        {
            var result = SqliteCalls.Step(_handle);
            if (result == raw.SQLITE_ROW) return true;
            SqliteCalls.Reset(_handle);
            if (result != raw.SQLITE_DONE) Check(result);
            return false;
        }

        // The store never keeps empty strings (an empty cell is NULL), so an empty value reads as null.

        /// <summary>A text column through a pool of shared strings (for repetitive values); null for NULL.</summary>
        [MethodImpl(HotPath.Optimize)]
        public string Text(int column, Utf8Strings pool)
        {
            var bytes = Utf8(column);
            return bytes.Length == 0 ? null : pool.Pooled(bytes);
        }

        /// <summary>A text column as a fresh string, decoded straight from SQLite's buffer; null for NULL.</summary>
        [MethodImpl(HotPath.Optimize)]
        public string UniqueText(int column)
        {
            var bytes = Utf8(column);
            return bytes.Length == 0 ? null : Utf8Strings.Decode(bytes);
        }

        /// <summary>The column's UTF-8 text in SQLite's buffer, valid until the next step (empty for NULL: ask <see cref="IsNull"/>).</summary>
        [MethodImpl(HotPath.Optimize)]
        internal ReadOnlySpan<byte> Utf8(int column)
        {
            var text = SqliteCalls.ColumnText(_handle, column); // before the length: it may convert the value to text
            return text == null ? default : new ReadOnlySpan<byte>(text, SqliteCalls.ColumnBytes(_handle, column));
        }

        public bool IsNull(int column) => SqliteCalls.ColumnType(_handle, column) == raw.SQLITE_NULL;

        public long? Int64(int column)
            => SqliteCalls.ColumnType(_handle, column) == raw.SQLITE_NULL ? (long?)null : SqliteCalls.ColumnInt64(_handle, column);

        private void Check(int result)
        {
            if (result != raw.SQLITE_OK)
                throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result);
        }

        public void Dispose()
        {
            _statement.Dispose();
            _runText.Dispose();
        }

        /// <summary>
        /// Unmanaged memory holding the UTF-8 text of one run's bindings. It grows in chunks, never by
        /// moving, because SQLite holds pointers into it until the run is over.
        /// </summary>
        private sealed class TextBuffer : IDisposable
        {
            private const int ChunkSize = 64 * 1024;
            private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
            private readonly List<(IntPtr Start, int Size)> _chunks = new List<(IntPtr, int)>();
            private int _chunk = -1;
            private int _used;

            /// <summary>Encodes <paramref name="value"/> after the text added since the last <see cref="Clear"/>.</summary>
            [MethodImpl(HotPath.Optimize)]
            public byte* Add(ReadOnlySpan<char> value, out int bytes)
            {
                var room = Utf8.GetMaxByteCount(value.Length);
                if (_chunk < 0 || _used + room > _chunks[_chunk].Size) NextChunk(room);
                var start = (byte*)_chunks[_chunk].Start + _used;
                fixed (char* chars = &MemoryMarshal.GetReference(value))
                    bytes = value.Length == 0 ? 0 : Utf8.GetBytes(chars, value.Length, start, room);
                _used += bytes;
                return start; // never null, also for "": a null pointer would bind NULL
            }

            private void NextChunk(int room)
            {
                _used = 0;
                while (++_chunk < _chunks.Count)
                    if (_chunks[_chunk].Size >= room) return;
                var size = Math.Max(ChunkSize, room);
                _chunks.Add((Marshal.AllocHGlobal(size), size));
                _chunk = _chunks.Count - 1;
            }

            public void Clear()
            {
                _chunk = _chunks.Count > 0 ? 0 : -1;
                _used = 0;
            }

            public void Dispose()
            {
                foreach (var chunk in _chunks) Marshal.FreeHGlobal(chunk.Start);
                _chunks.Clear();
                _chunk = -1;
            }
        }
    }
}
