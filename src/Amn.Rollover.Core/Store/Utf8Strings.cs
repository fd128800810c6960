using System;
using System.Runtime.CompilerServices;
using System.Text;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// Turns UTF-8 column values into strings, giving one shared instance per distinct value of a
    /// repetitive column (names, prefixes, genders, groups) through a <see cref="StringPool"/>: loading
    /// 100,000 stored pupils then allocates each common value once instead of once per row.
    /// </summary>
    internal sealed class Utf8Strings
    {
        private readonly StringPool _pool = new StringPool();
        private char[] _chars = new char[256];

        /// <summary>A fresh string (for unique values such as numbers and e-mail addresses).</summary>
        public static unsafe string Decode(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length == 0) return string.Empty;
            fixed (byte* p = bytes) return Encoding.UTF8.GetString(p, bytes.Length);
        }

        /// <summary>The shared string for these bytes; decoded into a reused buffer, so a value seen before makes no new string.</summary>
        [MethodImpl(HotPath.Optimize)]
        public unsafe string Pooled(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length == 0) return string.Empty;
            if (_chars.Length < bytes.Length) _chars = new char[bytes.Length]; // UTF-8 never has fewer bytes than UTF-16 code units
            int length;
            fixed (byte* source = bytes)
            fixed (char* target = _chars)
                length = Encoding.UTF8.GetChars(source, bytes.Length, target, _chars.Length);
            return _pool.Get(new ReadOnlySpan<char>(_chars, 0, length));
        }
    }
}
