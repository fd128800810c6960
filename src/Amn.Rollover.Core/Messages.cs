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

        /// <summary>The languages the module has texts in: English, the neutral language, and Dutch.</summary>
        public static IReadOnlyList<string> Languages { get; } = new[] { "en-US", "nl-NL" };

        /// <summary>
        /// Runs what follows in <paramref name="culture"/> (texts, numbers and dates) until disposed;
        /// nothing changes when it is null.
        /// </summary>
        public static IDisposable UseCulture(CultureInfo culture) => culture == null ? null : new CultureScope(culture);

        private sealed class CultureScope : IDisposable
        {
            private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
            private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

            public CultureScope(CultureInfo culture)
            {
                CultureInfo.CurrentCulture = culture;
                CultureInfo.CurrentUICulture = culture;
            }

            public void Dispose()
            {
                CultureInfo.CurrentCulture = _culture;
                CultureInfo.CurrentUICulture = _uiCulture;
            }
        }

        /// <summary>The text of <paramref name="key"/> in the current UI culture.</summary>
        public static string Get(string key)
            => Resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new ArgumentException($"No message '{key}'.", nameof(key));

        /// <summary>The text of <paramref name="key"/> with its {0}, {1}, ... filled in.</summary>
        public static string Format(string key, params object[] args) => string.Format(CultureInfo.CurrentCulture, Get(key), args);

        /// <summary>A counted text: <paramref name="key"/>.One for 1, <paramref name="key"/>.Other for any other number, with the number as {0}.</summary>
        /// <summary>The first ten names, comma-separated, and how many more there are.</summary>
        public static string Shorten(IReadOnlyList<string> names) => string.Join(", ", names.Take(10)) + (names.Count > 10 ? Format("AndMore", names.Count - 10) : "");

        public static string Count(string key, int n) => Format(key + (n == 1 ? ".One" : ".Other"), n);

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
