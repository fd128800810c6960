using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// Turns UTF-8 column values into strings, giving one shared instance per distinct value of a
    /// repetitive column (names, prefixes, genders, groups): loading 100,000 stored pupils then
    /// decodes and allocates each common value once instead of once per row.
    /// </summary>
    internal sealed class Utf8Strings
    {
        private const int Capacity = 50000;
        private readonly Dictionary<int, List<string>> _byHash = new Dictionary<int, List<string>>();
        private int _count;

        /// <summary>A fresh string (for unique values such as numbers and e-mail addresses).</summary>
        public static unsafe string Decode(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length == 0) return string.Empty;
            fixed (byte* p = bytes) return Encoding.UTF8.GetString(p, bytes.Length);
        }

        /// <summary>The shared string for these bytes, decoded the first time they are seen.</summary>
        [MethodImpl(HotPath.Optimize)]
        public string Pooled(ReadOnlySpan<byte> bytes)
        {
            int hash = unchecked((int)2166136261);
            foreach (var b in bytes) hash = unchecked((hash ^ b) * 16777619);
            if (_byHash.TryGetValue(hash, out var candidates))
                foreach (var candidate in candidates)
                    if (SameText(candidate, bytes)) return candidate;
            var value = Decode(bytes);
            if (_count >= Capacity) return value;
            if (candidates == null) _byHash[hash] = candidates = new List<string>(1);
            candidates.Add(value);
            _count++;
            return value;
        }

        /// <summary>True when the string's UTF-8 form is these bytes (ASCII compared in place; anything else decoded).</summary>
        [MethodImpl(HotPath.Optimize)]
        private static bool SameText(string text, ReadOnlySpan<byte> bytes)
        {
            if (text.Length == bytes.Length)
            {
                bool ascii = true;
                for (int i = 0; i < bytes.Length; i++)
                {
                    if (bytes[i] >= 0x80) { ascii = false; break; }
                    if (text[i] != bytes[i]) return false;
                }
                if (ascii) return true;
            }
            return text == Decode(bytes);
        }
    }
}
