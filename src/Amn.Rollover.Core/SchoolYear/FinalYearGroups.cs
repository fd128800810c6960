using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>
    /// Tells the exam classes, whose pupils leave every summer, from the rest: vmbo/mavo 4, havo 5,
    /// vwo 6. Without patterns a group is recognised by its name (H5a, 5havo2, V6B, 6a, M4, 4GT, TL4b);
    /// a school whose names say nothing of the kind gives wildcard patterns instead (-FinalYearGroup).
    /// </summary>
    public sealed class FinalYearGroups
    {
        private static readonly HashSet<string> Vmbo = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            { "b", "k", "t", "m", "bb", "kb", "gl", "tl", "gt", "bbl", "kbl", "gtl", "vmbo", "mavo" };
        private static readonly HashSet<string> Havo = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "h", "havo" };

        private readonly Regex[] _patterns;

        public FinalYearGroups(IEnumerable<string> patterns = null)
        {
            Patterns = patterns?.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray() ?? new string[0];
            _patterns = Patterns.Select(Wildcard).ToArray();
        }

        /// <summary>The patterns given; empty when groups are recognised by their names.</summary>
        public string[] Patterns { get; }

        public bool IsFinalYear(string group)
        {
            if (string.IsNullOrEmpty(group)) return false;
            if (_patterns.Length > 0) return _patterns.Any(p => p.IsMatch(group.Trim()));
            return IsFinalYearByName(group);
        }

        private static Regex Wildcard(string pattern)
            => new Regex("^" + Regex.Escape(pattern.Trim()).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>A year digit standing alone (4 of 4B2, not of 14) and a level written next to it.</summary>
        public static bool IsFinalYearByName(string group)
        {
            var letters = new List<string>();
            var years = new List<int>();
            for (var i = 0; i < group.Length;)
            {
                var start = i;
                if (char.IsDigit(group[i]))
                {
                    while (i < group.Length && char.IsDigit(group[i])) i++;
                    if (i - start == 1) years.Add(group[start] - '0');
                }
                else if (char.IsLetter(group[i]))
                {
                    while (i < group.Length && char.IsLetter(group[i])) i++;
                    letters.Add(group.Substring(start, i - start));
                }
                else i++;
            }
            if (years.Count == 0) return false;
            // Only vwo has a sixth year; a letter after the level is the class's own (H5a, 4Bb).
            if (years.Contains(6)) return true;
            bool Level(HashSet<string> level) => letters.Any(l => level.Contains(l) || (l.Length > 1 && level.Contains(l.Substring(0, l.Length - 1))));
            if (years.Contains(5) && Level(Havo)) return true;
            return years.Contains(4) && Level(Vmbo);
        }
    }
}
