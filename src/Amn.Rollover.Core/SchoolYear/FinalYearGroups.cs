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

        /// <summary>
        /// The year is the first digit standing alone (4 of 4B2, not of 14 or 2026). The level is the
        /// letters just before it (H5a, TL4b, havo 5b, Klas H5a), else a level written after it: a level
        /// word (4GT, 5havo2), letters followed by the class number (4B2, 4M-1), or a level with the
        /// class letter after it (4Bb). A single letter ending the name after the year is the class's
        /// own (H4b, 4b, 1A), never a level. Without a level only a sixth year tells: only vwo has one.
        /// </summary>
        public static bool IsFinalYearByName(string group)
        {
            var tokens = Tokens(group ?? "");
            var at = tokens.FindIndex(t => t.Length == 1 && char.IsDigit(t[0]));
            if (at < 0) return false;
            var year = tokens[at][0] - '0';
            var level = LevelBefore(tokens, at) ?? LevelAfter(tokens, at);
            switch (level)
            {
                case null: return year == 6;
                case Level.Vwo: return year == 6;
                case Level.Havo: return year == 5;
                case Level.Vmbo: return year == 4;
                default: return false;
            }
        }

        private enum Level { Vmbo, Havo, Vwo }

        private static readonly Dictionary<string, Level> Levels = new Dictionary<string, Level>(StringComparer.OrdinalIgnoreCase)
        {
            ["b"] = Level.Vmbo, ["k"] = Level.Vmbo, ["t"] = Level.Vmbo, ["m"] = Level.Vmbo, ["bb"] = Level.Vmbo, ["kb"] = Level.Vmbo,
            ["gl"] = Level.Vmbo, ["tl"] = Level.Vmbo, ["gt"] = Level.Vmbo, ["bbl"] = Level.Vmbo, ["kbl"] = Level.Vmbo, ["gtl"] = Level.Vmbo,
            ["vmbo"] = Level.Vmbo, ["mavo"] = Level.Vmbo,
            ["h"] = Level.Havo, ["havo"] = Level.Havo,
            ["v"] = Level.Vwo, ["vwo"] = Level.Vwo, ["a"] = Level.Vwo, ["ath"] = Level.Vwo, ["atheneum"] = Level.Vwo,
            ["g"] = Level.Vwo, ["gym"] = Level.Vwo, ["gymnasium"] = Level.Vwo,
        };

        /// <summary>Runs of letters and runs of digits; separators (space, -, _, /, .) only split them.</summary>
        private static List<string> Tokens(string group)
        {
            var tokens = new List<string>();
            for (var i = 0; i < group.Length;)
            {
                var start = i;
                if (char.IsDigit(group[i])) { while (i < group.Length && char.IsDigit(group[i])) i++; }
                else if (char.IsLetter(group[i])) { while (i < group.Length && char.IsLetter(group[i])) i++; }
                else { i++; continue; }
                tokens.Add(group.Substring(start, i - start));
            }
            return tokens;
        }

        /// <summary>"vmbo-b 4": the last of the letter words before the year that names a level, read from the year backwards.</summary>
        private static Level? LevelBefore(List<string> tokens, int year)
        {
            for (var i = year - 1; i >= 0 && char.IsLetter(tokens[i][0]); i--)
                if (Levels.TryGetValue(tokens[i], out var level)) return level;
            return null;
        }

        private static Level? LevelAfter(List<string> tokens, int year)
        {
            if (year + 1 >= tokens.Count || !char.IsLetter(tokens[year + 1][0])) return null;
            var word = tokens[year + 1];
            var classNumberFollows = year + 2 < tokens.Count && char.IsDigit(tokens[year + 2][0]);
            if (word.Length == 1 && !classNumberFollows) return null; // H4b's b, 1A's A: the class letter
            if (Levels.TryGetValue(word, out var level)) return level;
            // 4Bb, 5Ha: a level, then the class letter
            if (word.Length > 1 && Levels.TryGetValue(word.Substring(0, word.Length - 1), out level)) return level;
            return null;
        }
    }
}
