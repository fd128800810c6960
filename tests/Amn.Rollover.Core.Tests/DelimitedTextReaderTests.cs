using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Amn.Rollover.Core.Files;
using CsvHelper;
using CsvHelper.Configuration;

namespace Amn.Rollover.Core.Tests
{
    public class DelimitedTextReaderTests
    {
        /// <summary>Hands out text a few characters at a time, so rows and line breaks fall across every buffer boundary.</summary>
        private sealed class TrickleReader : TextReader
        {
            private readonly string _text;
            private readonly Random _random;
            private int _position;
            public TrickleReader(string text, int seed) { _text = text; _random = new Random(seed); }
            public override int Read(char[] buffer, int index, int count)
            {
                int n = Math.Min(Math.Min(count, _random.Next(1, 8)), _text.Length - _position);
                _text.CopyTo(_position, buffer, index, n);
                _position += n;
                return n;
            }
        }

        private static List<(int Row, string[] Fields)> Parse(TextReader text, char delimiter = ';')
        {
            var rows = new List<(int, string[])>();
            using var reader = new DelimitedTextReader(text, delimiter);
            while (reader.Read()) rows.Add((reader.RowNumber, reader.Fields));
            return rows;
        }

        [Theory]
        [InlineData("\n")]
        [InlineData("\r\n")]
        [InlineData("\r")]
        public void Empty_lines_are_skipped_without_being_held_however_many_there_are(string lineBreak)
        {
            const int emptyLines = 4_000_000; // 4 to 8 million characters
            var text = new StringReader(new StringBuilder().Insert(0, lineBreak, emptyLines).Append("a;b\n").ToString());
            using var reader = new DelimitedTextReader(text, ';');
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.True(reader.Read());
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(new[] { "a", "b" }, reader.Fields);
            Assert.Equal(emptyLines + 1, reader.RowNumber);
            Assert.False(reader.Read());
            Assert.True(allocated < 1024 * 1024, $"{allocated:N0} bytes allocated to skip {emptyLines:N0} empty lines"); // the 128 KB buffer, not the text
        }

        [Theory]
        [InlineData("a;b;c\r\n1;2;3\r\n", new[] { "a|b|c", "1|2|3" })]
        [InlineData("a;b\n\n1;2", new[] { "a|b", "1|2" })]                       // empty line skipped, no final line break
        [InlineData("a;b\r\r1;2\r", new[] { "a|b", "1|2" })]                     // old Mac line ends
        [InlineData("\"x;y\";\"say \"\"hi\"\"\"\n", new[] { "x;y|say \"hi\"" })] // delimiter and quotes inside quotes
        [InlineData("1;\"two\nlines\";3\n", new[] { "1|two\nlines|3" })]
        [InlineData("o\"neil;\"ab\"cd;;\n", new[] { "o\"neil|abcd||" })]         // stray quotes are text; empty fields kept
        [InlineData(";;\n", new[] { "||" })]
        public void Splits_rows_and_fields(string text, string[] expected)
        {
            Assert.Equal(expected, Parse(new StringReader(text)).Select(r => string.Join("|", r.Fields)));
        }

        [Fact]
        public void Row_numbers_count_the_lines_before_the_row_including_those_inside_quotes()
        {
            var rows = Parse(new StringReader("h1;h2\r\n\r\n1;\"a\r\nb\nc\"\r\n2;x\n\n\n3;y"));
            Assert.Equal(new[] { 1, 3, 6, 9 }, rows.Select(r => r.Row));
        }

        [Fact]
        public void Agrees_with_CsvHelper_on_generated_text_read_a_few_characters_at_a_time()
        {
            var random = new Random(42);
            var text = new StringBuilder();
            var expectedRows = new List<int>();
            int line = 1;
            string[] pieces = { "Zoë", "van der", "", "\"quoted; with delimiter\"", "\"two\r\nlines\"", "\"say \"\"hi\"\"\"", "12345", "a b", "\"\"" };
            for (int row = 0; row < 3000; row++)
            {
                if (random.Next(20) == 0) { text.Append("\r\n"); line++; } // an empty line
                expectedRows.Add(line);
                var fields = Enumerable.Range(0, 1 + random.Next(8)).Select(_ => pieces[random.Next(pieces.Length)]).ToList();
                if (fields.All(f => f.Length == 0)) fields.Add("x"); // CsvHelper also reads a lone empty field as a blank line
                var rowText = string.Join(";", fields);
                text.Append(rowText).Append(random.Next(2) == 0 ? "\r\n" : "\n");
                line += 1 + rowText.Count(c => c == '\n');
            }

            var ours = Parse(new TrickleReader(text.ToString(), 7));
            var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = ";", HasHeaderRecord = false, BadDataFound = null, MissingFieldFound = null, IgnoreBlankLines = true };
            var theirs = new List<string[]>();
            using (var parser = new CsvParser(new StringReader(text.ToString()), configuration))
                while (parser.Read()) theirs.Add(parser.Record);

            Assert.Equal(theirs.Count, ours.Count);
            for (int i = 0; i < theirs.Count; i++) Assert.Equal(theirs[i], ours[i].Fields);
            Assert.Equal(expectedRows, ours.Select(r => r.Row));
        }

        [Fact]
        public void Values_of_shared_columns_are_one_string_per_distinct_value()
        {
            using var reader = new DelimitedTextReader(new StringReader("1;Jansen;\"Jansen\"\n2;Jansen;x\n3;de Vries;Jansen\n"), ';');
            var pool = new StringPool();
            reader.ShareValues(new[] { false, true }, pool);
            var rows = new List<string[]>();
            while (reader.Read()) rows.Add(reader.Fields);
            Assert.Equal(new[] { "Jansen", "Jansen", "de Vries" }, rows.Select(r => r[1]));
            Assert.Same(rows[0][1], rows[1][1]);
            Assert.Same(pool.Get("de Vries"), rows[2][1]);
            Assert.Equal("Jansen", rows[0][2]); // not a shared column (and quoted): its own string
            Assert.NotSame(rows[0][1], rows[2][2]);
        }

        [Fact]
        public void The_pool_finds_values_by_their_characters_and_keeps_growing_correctly()
        {
            var pool = new StringPool();
            var values = Enumerable.Range(0, 5000).Select(i => "name" + i).ToList();
            var first = values.Select(v => pool.Get(v)).ToList();
            for (int i = 0; i < values.Count; i++)
                Assert.Same(first[i], pool.Get(("x" + values[i]).AsSpan(1)));
            Assert.Null(pool.Get((string)null));
        }

        [Fact]
        public void A_row_longer_than_the_buffer_is_read_whole()
        {
            var longField = new string('x', 32_000); // just within Excel's 32,767 characters
            var many = string.Join(";", Enumerable.Range(0, 3000).Select(i => "field" + i.ToString("D20")));
            var rows = Parse(new StringReader($"a;b\n1;\"{longField}\";3\n{many}\n4;5;6"));
            Assert.Equal(new[] { 1, 2, 3, 4 }, rows.Select(r => r.Row));
            Assert.Equal(longField, rows[1].Fields[1]);
            Assert.Equal(3000, rows[2].Fields.Length);
            Assert.Equal(new[] { "4", "5", "6" }, rows[3].Fields);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_field_longer_than_Excel_allows_is_refused_naming_row_and_column(bool quoted)
        {
            var huge = new string('x', 40_000);
            var text = $"a;b\n1;2\n3;{(quoted ? "\"" + huge + "\"" : huge)}\n";
            var error = Assert.Throws<AmnException>(() => Parse(new StringReader(text)));
            Assert.Equal("FileLimitExceeded", error.ErrorId);
            Assert.Contains("row 3, column 2", error.Message);
        }

        [Fact]
        public void A_row_of_more_columns_than_Excel_allows_is_refused()
        {
            var error = Assert.Throws<AmnException>(() => Parse(new StringReader("a;b\n" + new string(';', 20_000) + "\n")));
            Assert.Equal("FileLimitExceeded", error.ErrorId);
            Assert.Contains("row 2", error.Message);
        }

        [Fact]
        public void An_unclosed_quote_is_refused_naming_the_row_where_it_opened()
        {
            var error = Assert.Throws<AmnException>(() => Parse(new StringReader("nr;naam;klas\n1;Jan;H1\n2;\"Piet;H2\n3;Kees;H3\n")));
            Assert.Equal("UnclosedQuote", error.ErrorId);
            Assert.Contains("column 2 of row 3", error.Message);
        }
    }
}
