using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Resources;

namespace Amn.Rollover.Core
{
    /// <summary>
    /// The texts a user reads, by key: English as the neutral language, Dutch (nl-NL) in a satellite
    /// assembly, chosen by the UI culture PowerShell runs in ($PSUICulture). Keys, error ids,
    /// property and parameter names stay English: scripts depend on them.
    /// </summary>
    public static class Messages
    {
        private static readonly ResourceManager Resources = new ResourceManager("Amn.Rollover.Core.Resources.Messages", typeof(Messages).Assembly);

        /// <summary>The text of <paramref name="key"/> in the current UI culture.</summary>
        public static string Get(string key)
            => Resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new ArgumentException($"No message '{key}'.", nameof(key));

        /// <summary>The text of <paramref name="key"/> with its {0}, {1}, ... filled in.</summary>
        public static string Format(string key, params object[] args) => string.Format(CultureInfo.CurrentCulture, Get(key), args);

        /// <summary>Every key with its text in <paramref name="culture"/> only (no fallback to English); null where that culture lacks it.</summary>
        public static IReadOnlyDictionary<string, string> In(CultureInfo culture)
        {
            var neutral = Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false);
            var own = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
            return neutral.Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => own?.GetString((string)e.Key));
        }
    }
}
