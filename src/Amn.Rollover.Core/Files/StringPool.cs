using System;
using System.Runtime.CompilerServices;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// One instance per distinct value of a repetitive field (group names, prefixes, first and last
    /// names, dates): a million-row import then keeps thousands of strings instead of millions. Values
    /// can be looked up by their characters, so a parser makes no string at all for a value seen before.
    /// Stops growing at <see cref="Capacity"/> distinct values.
    /// </summary>
    internal sealed class StringPool
    {
        public const int Capacity = 100000;

        // Open addressing over a power-of-two table, at most half full.
        private string[] _values = new string[1024];
        private int[] _hashes = new int[1024];
        private int _count;

        public string Get(string value) => value == null ? null : Get(value.AsSpan(), value);

        /// <summary>The pooled string with these characters; a new one (added while there is room) when none is pooled yet.</summary>
        [MethodImpl(HotPath.Optimize)]
        public string Get(ReadOnlySpan<char> chars, string existing = null)
        {
            int hash = Hash(chars);
            int mask = _values.Length - 1;
            int slot = hash & mask;
            for (var candidate = _values[slot]; candidate != null; candidate = _values[slot = (slot + 1) & mask])
                if (_hashes[slot] == hash && chars.SequenceEqual(candidate.AsSpan())) return candidate;

            var value = existing ?? chars.ToString();
            if (_count >= Capacity) return value;
            _values[slot] = value;
            _hashes[slot] = hash;
            if (++_count * 2 > _values.Length) Grow();
            return value;
        }

        private static int Hash(ReadOnlySpan<char> chars)
        {
            uint hash = 2166136261;
            foreach (var c in chars) hash = (hash ^ c) * 16777619;
            return (int)(hash & 0x7FFFFFFF);
        }

        private void Grow()
        {
            var values = _values;
            var hashes = _hashes;
            _values = new string[values.Length * 2];
            _hashes = new int[values.Length * 2];
            int mask = _values.Length - 1;
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] == null) continue;
                int slot = hashes[i] & mask;
                while (_values[slot] != null) slot = (slot + 1) & mask;
                _values[slot] = values[i];
                _hashes[slot] = hashes[i];
            }
        }
    }
}
