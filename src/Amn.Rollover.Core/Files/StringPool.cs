using System;
using System.Collections.Generic;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// One instance per distinct value of a repetitive field (group names, prefixes, first and last
    /// names): a million-row import then keeps thousands of strings instead of millions, and the
    /// parser's copies die young. Stops growing at <see cref="Capacity"/> distinct values.
    /// </summary>
    internal sealed class StringPool
    {
        public const int Capacity = 100000;

        private readonly Dictionary<string, string> _values = new Dictionary<string, string>(StringComparer.Ordinal);

        public string Get(string value)
        {
            if (value == null) return null;
            if (_values.TryGetValue(value, out var pooled)) return pooled;
            if (_values.Count < Capacity) _values[value] = value;
            return value;
        }
    }
}
