using System;
using System.Runtime.CompilerServices;
using Npgsql;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// Rows in PostgreSQL's binary COPY format, written to a raw COPY stream: a text value goes as the
    /// UTF-8 bytes it has in the store, without a string in between (a school's first import copies
    /// every pupil); bigint, date, timestamptz and uuid in their binary forms.
    /// </summary>
    internal sealed class BinaryCopyWriter : IDisposable
    {
        private static readonly byte[] Header = { (byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 255, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        private readonly NpgsqlRawCopyStream _stream;
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _length;
        private bool _complete;

        public BinaryCopyWriter(NpgsqlRawCopyStream stream, int timeoutSeconds)
        {
            _stream = stream;
            _stream.WriteTimeout = _stream.ReadTimeout = timeoutSeconds * 1000;
            Write(Header);
        }

        public void StartRow(int columns) => WriteInt16((short)columns);

        public void WriteNull() => WriteInt32(-1);

        [MethodImpl(HotPath.Optimize)]
        public void WriteInt64(long value)
        {
            WriteInt32(8);
            WriteRawInt64(value);
        }

        private void WriteRawInt64(long value)
        {
            Room(8);
            for (var shift = 56; shift >= 0; shift -= 8) _buffer[_length++] = (byte)(value >> shift);
        }

        [MethodImpl(HotPath.Optimize)]
        public void WriteText(ReadOnlySpan<byte> utf8)
        {
            WriteInt32(utf8.Length);
            Write(utf8);
        }

        /// <summary>A text as its UTF-8 bytes, encoded straight into the buffer.</summary>
        [MethodImpl(HotPath.Optimize)]
        public void WriteText(string text)
        {
            var count = System.Text.Encoding.UTF8.GetByteCount(text);
            if (count > _buffer.Length)
            {
                WriteText(System.Text.Encoding.UTF8.GetBytes(text));
                return;
            }
            WriteInt32(count);
            Room(count);
            _length += System.Text.Encoding.UTF8.GetBytes(text, 0, text.Length, _buffer, _length);
        }

        /// <summary>A date as PostgreSQL's binary date: days since 2000-01-01.</summary>
        public void WriteDate(DateTime date)
        {
            WriteInt32(4);
            WriteInt32((int)((date.Date - PostgresEpoch).Ticks / TimeSpan.TicksPerDay));
        }

        /// <summary>A UTC time as PostgreSQL's binary timestamptz: microseconds since 2000-01-01 UTC.</summary>
        [MethodImpl(HotPath.Optimize)]
        public void WriteTimestamp(DateTime utc)
        {
            WriteInt32(8);
            var ticks = utc.Ticks - PostgresEpoch.Ticks;
            var micros = ticks / 10;
            var rest = ticks % 10;
            if (rest < 0) { micros--; rest += 10; }
            // PostgreSQL rounds a fraction finer than a microsecond to the nearest, halves to even, when it parses text.
            if (rest > 5 || (rest == 5 && micros % 2 != 0)) micros++;
            WriteRawInt64(micros);
        }

        /// <summary>A uuid as its 16 bytes in the order of its text.</summary>
        public void WriteUuid(Guid uuid)
        {
            WriteInt32(16);
            var hex = uuid.ToString("N");
            Room(16);
            for (var i = 0; i < 32; i += 2) _buffer[_length++] = (byte)Convert.ToInt32(hex.Substring(i, 2), 16);
        }

        private static readonly DateTime PostgresEpoch = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        /// <summary>The trailer, then the rest of the buffer; disposing afterwards ends the COPY.</summary>
        public void Complete()
        {
            WriteInt16(-1);
            Flush();
            _complete = true;
        }

        /// <summary>Ends the COPY; without <see cref="Complete"/> (an error on the way) the server discards what it was sent.</summary>
        public void Dispose()
        {
            try
            {
                if (!_complete) _stream.Cancel();
            }
            catch (NpgsqlException) { } // the caller's error is the one to report; the transaction is rolled back anyway
            finally { _stream.Dispose(); }
        }

        private void WriteInt16(short value)
        {
            Room(2);
            _buffer[_length++] = (byte)(value >> 8);
            _buffer[_length++] = (byte)value;
        }

        private void WriteInt32(int value)
        {
            Room(4);
            _buffer[_length++] = (byte)(value >> 24);
            _buffer[_length++] = (byte)(value >> 16);
            _buffer[_length++] = (byte)(value >> 8);
            _buffer[_length++] = (byte)value;
        }

        private void Write(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > _buffer.Length)
            {
                Flush();
                _stream.Write(bytes.ToArray(), 0, bytes.Length);
                return;
            }
            Room(bytes.Length);
            bytes.CopyTo(new Span<byte>(_buffer, _length, bytes.Length));
            _length += bytes.Length;
        }

        private void Room(int bytes)
        {
            if (_length + bytes > _buffer.Length) Flush();
        }

        private void Flush()
        {
            _stream.Write(_buffer, 0, _length);
            _length = 0;
        }
    }
}
