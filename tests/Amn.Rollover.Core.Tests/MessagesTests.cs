using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>The message resources: every English text has a Dutch one with the same placeholders.</summary>
    public sealed class MessagesTests
    {
        private static readonly CultureInfo Dutch = new CultureInfo("nl-NL");

        /// <summary>The texts that are the same words in Dutch.</summary>
        private static readonly ISet<string> SameInDutch = new HashSet<string> { "ReportTenant", "ReportStatus", "SchoolTarget", "Tab" };

        [Fact]
        public void Every_key_has_a_Dutch_text_that_is_not_empty_and_not_the_English_one()
        {
            var english = Messages.In(CultureInfo.InvariantCulture);
            var dutch = Messages.In(Dutch);
            Assert.NotEmpty(english);
            Assert.All(english, pair =>
            {
                Assert.False(string.IsNullOrWhiteSpace(dutch[pair.Key]), $"no Dutch text for '{pair.Key}'");
                if (!SameInDutch.Contains(pair.Key)) Assert.True(pair.Value != dutch[pair.Key], $"'{pair.Key}' is English in Dutch: {pair.Value}");
            });
        }

        [Fact]
        public void A_Dutch_text_has_the_placeholders_of_its_English_one()
        {
            var dutch = Messages.In(Dutch);
            foreach (var (key, text) in Messages.In(CultureInfo.InvariantCulture).Select(p => (p.Key, p.Value)))
                Assert.True(Placeholders(text) == Placeholders(dutch[key]), $"'{key}': {Placeholders(text)} in English, {Placeholders(dutch[key])} in Dutch");
        }

        [Fact]
        public void Every_key_the_code_names_has_a_text()
        {
            var root = FindRepositoryRoot();
            Assert.NotNull(root);
            var english = Messages.In(CultureInfo.InvariantCulture);
            var calls = SourceTexts(root).SelectMany(text => Regex.Matches(text, "Messages\\]?(?:\\.|::)(Get|Format|Count)\\(").Cast<Match>()
                .Select(m => (Method: m.Groups[1].Value, Key: FirstArgument(text, m.Index + m.Length)))).ToList();
            var named = calls
                .SelectMany(c => Regex.Matches(c.Key, "[\"']([A-Za-z][A-Za-z0-9.]*)[\"']").Cast<Match>().Select(m => m.Groups[1].Value)
                    .SelectMany(key => c.Method == "Count" ? new[] { key + ".One", key + ".Other" } : new[] { key }))
                .Distinct().ToList();
            Assert.True(named.Count > 300, $"only {named.Count} keys found in the code");
            Assert.All(named, key => Assert.True(english.ContainsKey(key), $"the code names '{key}', which has no text"));
            // A key is a literal, or a choice between literals: a text passed where a key belongs is a mistake.
            Assert.All(calls.Where(c => c.Key.Contains("Messages")), c => Assert.Fail($"a text where a key belongs: Messages.{c.Method}({c.Key}, ...)"));
        }

        /// <summary>The first argument of the call whose "(" ends just before <paramref name="start"/>.</summary>
        private static string FirstArgument(string text, int start)
        {
            var depth = 0;
            char quote = '\0';
            for (var i = start; i < text.Length; i++)
            {
                var c = text[i];
                if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
                if (c == '"' || c == '\'') quote = c;
                else if (c == '(' || c == '{' || c == '[') depth++;
                else if ((c == ')' || c == '}' || c == ']') && depth-- == 0) return text.Substring(start, i - start);
                else if (c == ',' && depth == 0) return text.Substring(start, i - start);
            }
            return text.Substring(start);
        }

        [Fact]
        public void Every_text_is_named_by_the_code_and_Dutch_has_no_key_of_its_own()
        {
            var root = FindRepositoryRoot();
            Assert.NotNull(root);
            var literals = new HashSet<string>(SourceTexts(root)
                .SelectMany(text => Regex.Matches(text, "[\"']([A-Za-z0-9.]+)[\"']").Cast<Match>().Select(m => m.Groups[1].Value)));
            var english = Messages.In(CultureInfo.InvariantCulture);
            // A counted or composed key is named by its stem: "Errors" for Errors.One, "StaffFileMissesColumns" for StaffFileMissesColumns.OneForProduct.
            Assert.All(english.Keys, key => Assert.True(literals.Contains(key) || literals.Contains(key.Split('.')[0]), $"no code names the text '{key}'"));
            Assert.Empty(DutchKeys().Where(key => !english.ContainsKey(key)));
        }

        [Fact]
        public void The_UI_culture_chooses_the_language()
        {
            var before = CultureInfo.CurrentUICulture;
            try
            {
                CultureInfo.CurrentUICulture = Dutch;
                Assert.Equal("Wachten op de tenantopslag", Messages.Get("WaitingForStore"));
                CultureInfo.CurrentUICulture = new CultureInfo("en-US");
                Assert.Equal("Waiting for the tenant store", Messages.Get("WaitingForStore"));
                CultureInfo.CurrentUICulture = new CultureInfo("de-DE"); // no German: English
                Assert.Equal("Waiting for the tenant store", Messages.Get("WaitingForStore"));
            }
            finally { CultureInfo.CurrentUICulture = before; }
        }

        /// <summary>The module's code and its format views, which name texts as [Amn.Rollover.Core.Messages]::Get('Key').</summary>
        private static IEnumerable<string> SourceTexts(string root)
            => new[] { "*.cs", "*.ps1xml" }.SelectMany(pattern => Directory.GetFiles(Path.Combine(root, "src"), pattern, SearchOption.AllDirectories))
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
                .Select(File.ReadAllText);

        private static IEnumerable<string> DutchKeys()
            => new System.Resources.ResourceManager("Amn.Rollover.Core.Resources.Messages", typeof(Messages).Assembly)
                .GetResourceSet(Dutch, createIfNotExists: true, tryParents: false)
                .Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToList();

        private static string FindRepositoryRoot()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, "Amn.Rollover.psd1"))) return folder.FullName;
            return null;
        }

        private static string Placeholders(string text)
            => string.Join(",", Regex.Matches(text ?? "", @"\{(\d+)[^}]*\}").Cast<Match>().Select(m => m.Groups[1].Value).Distinct().OrderBy(n => n));
    }
}
