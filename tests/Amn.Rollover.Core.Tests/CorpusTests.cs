using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Amn.Rollover.Core.Files;
using CsvHelper;
using CsvHelper.Configuration;
using ExcelDataReader;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// The reader against files nobody on this project wrote (../shared/corpus, see SOURCES.md there):
    /// every workbook cell by cell against ExcelDataReader, every CSV field by field against CsvHelper,
    /// and every file through the whole import reader, which may refuse a file only with an error of
    /// its own. Each known difference is listed, with its reason, in tests/corpus-differences.txt.
    /// </summary>
    public class CorpusTests
    {
        private static readonly string Root = FindRepositoryRoot();
        private static readonly string Corpus = Root == null ? null : Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus"));
        private static readonly string[] WorkbookExtensions = { ".xlsx", ".xlsm" };
        private static readonly string[] TextExtensions = { ".csv", ".tsv", ".txt" };

        [SkippableFact]
        public void Every_workbook_reads_as_ExcelDataReader_reads_it_or_is_listed()
        {
            SkipWithoutCorpus();
            var differences = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var listed = KnownDifferences();
            foreach (var file in Files(WorkbookExtensions))
            {
                var name = Relative(file);
                listed.TryGetValue(name, out var entry);
                var difference = CompareWorkbook(file, skipLibrary: entry.Kind == "library-skipped");
                if (difference != null) differences[name] = difference;
            }
            AssertListed(differences, listed, WorkbookExtensions);
        }

        [SkippableFact]
        public void Every_text_file_splits_as_CsvHelper_splits_it_or_is_listed()
        {
            SkipWithoutCorpus();
            var differences = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Files(TextExtensions))
            {
                var difference = CompareText(file);
                if (difference != null) differences[Relative(file)] = difference;
            }
            AssertListed(differences, KnownDifferences(), TextExtensions);
        }

        [SkippableFact]
        public void Every_file_is_read_or_refused_with_an_error_of_our_own()
        {
            SkipWithoutCorpus();
            var raw = new List<string>();
            foreach (var file in Directory.GetFiles(Corpus, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("SOURCES.md")).OrderBy(f => f, StringComparer.Ordinal))
            {
                foreach (var kind in new ImportKind?[] { null, ImportKind.Student, ImportKind.Staff })
                {
                    try
                    {
                        using var reader = ImportFileReader.Open(file, new ImportFileOptions { Kind = kind });
                        reader.Validate();
                    }
                    catch (AmnException e)
                    {
                        if (!e.Message.Contains(file)) raw.Add($"{Relative(file)}: the error does not name the file: {e.Message}");
                        if (LooksRaw(e.Message)) raw.Add($"{Relative(file)}: raw text in the error: {e.Message}");
                    }
                    catch (Exception e)
                    {
                        raw.Add($"{Relative(file)} (kind {kind?.ToString() ?? "any"}): {e.GetType().Name}: {e.Message}");
                    }
                }
            }
            Assert.True(raw.Count == 0, string.Join(Environment.NewLine, raw.Take(40)));
        }

        [SkippableFact]
        public void Every_xls_workbook_the_library_reads_is_read_also_without_the_compound_file_header()
        {
            SkipWithoutCorpus();
            var refused = new List<string>();
            int bare = 0;
            foreach (var file in Files(new[] { ".xls" }))
            {
                try
                {
                    using var stream = File.OpenRead(file);
                    _ = TextFormat.Windows1252;
                    using var library = ExcelReaderFactory.CreateBinaryReader(stream);
                    while (library.Read()) { }
                }
                catch (Exception) { continue; } // the library cannot read it either
                var head = new byte[2];
                using (var stream = File.OpenRead(file)) stream.Read(head, 0, 2);
                if (head[0] != 0xD0) bare++;
                try
                {
                    using var reader = ImportFileReader.Open(file, new ImportFileOptions { Kind = ImportKind.Student });
                    Assert.Equal(FileFormat.Xls, reader.Report.Format);
                }
                catch (AmnException e) when (e.ErrorId == "UnreadableWorkbook") { refused.Add($"{Relative(file)}: {e.Message}"); }
                catch (AmnException) { } // read, but not a pupil file: a header or kind error is fine here
            }
            Assert.True(bare > 0, "the corpus has BIFF streams without the compound-file header to try");
            Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
        }

        /// <summary>Null when our reader and ExcelDataReader agree on every worksheet; else what differs.</summary>
        /// <remarks>
        /// Strict OOXML (edr/strict/), which ExcelDataReader 3.6 cannot read, is compared with the
        /// library's reading of the transitional file of the same name. A sheet one side lacks counts as
        /// an empty sheet (chart sheets, for one, have no cells). Files that are not zip packages (.xls
        /// files named .xlsx) are left to the import-reader test.
        /// </remarks>
        private static string CompareWorkbook(string path, bool skipLibrary)
        {
            if (!IsZip(path)) return null;
            Dictionary<string, Dictionary<int, string[]>> ours;
            try { ours = OurWorkbook(path); }
            catch (AmnException e)
            {
                if (skipLibrary) return null;
                var library = LibraryWorkbook(path, out _);
                return library == null || library.Values.All(rows => rows.Count == 0) ? null : $"ours refuses it ({e.ErrorId}), the library reads it";
            }
            if (skipLibrary) return null;
            var theirs = LibraryWorkbook(path, out var libraryError);
            var transitional = TransitionalCopy(path);
            if ((theirs == null || theirs.Values.All(rows => rows.Count == 0)) && transitional != path && File.Exists(transitional))
                theirs = LibraryWorkbook(transitional, out libraryError);
            if (theirs == null) return $"library-fails: {libraryError}";
            var empty = new Dictionary<int, string[]>();
            foreach (var sheet in theirs.Keys.Union(ours.Keys))
            {
                var mine = ours.TryGetValue(sheet, out var a1) ? a1 : empty;
                var other = theirs.TryGetValue(sheet, out var b1) ? b1 : empty;
                foreach (var row in other.Keys.Union(mine.Keys).OrderBy(r => r))
                {
                    mine.TryGetValue(row, out var a);
                    other.TryGetValue(row, out var b);
                    if (!(a ?? new string[0]).SequenceEqual(b ?? new string[0]))
                        return $"sheet '{sheet}' row {row}: ours [{Show(a)}], library [{Show(b)}]";
                }
            }
            return null;
        }

        private static Dictionary<string, Dictionary<int, string[]>> OurWorkbook(string path)
        {
            var result = new Dictionary<string, Dictionary<int, string[]>>();
            List<(string Name, string Path)> sheets;
            using (var stream = File.OpenRead(path))
            using (var source = XlsxRowSource.Open(stream, path, null, out var workbook))
                sheets = workbook.Sheets;
            foreach (var (name, _) in sheets.Where(s => s.Name != null).GroupBy(s => s.Name).Select(g => g.First()))
            {
                var rows = new Dictionary<int, string[]>();
                using var stream = File.OpenRead(path);
                using (var source = XlsxRowSource.Open(stream, path, name, out _))
                    while (source != null && source.Read())
                    {
                        var cells = Trimmed(source.Cells);
                        if (cells.Length > 0) rows[source.RowNumber] = cells;
                    }
                result[name] = rows;
            }
            return result;
        }

        private static Dictionary<string, Dictionary<int, string[]>> LibraryWorkbook(string path, out string error)
        {
            error = null;
            var result = new Dictionary<string, Dictionary<int, string[]>>();
            try
            {
                using var stream = File.OpenRead(path);
                _ = TextFormat.Windows1252;
                using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
                do
                {
                    var rows = new Dictionary<int, string[]>();
                    int row = 0;
                    while (reader.Read())
                    {
                        row++;
                        var text = Trimmed(Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i)).ToArray());
                        if (text.Length > 0) rows[row] = text;
                    }
                    if (reader.Name != null && !result.ContainsKey(reader.Name)) result[reader.Name] = rows;
                } while (reader.NextResult());
                return result;
            }
            catch (Exception e)
            {
                error = e.GetType().Name;
                return null;
            }
        }

        private static bool IsZip(string path)
        {
            var head = new byte[4];
            using (var stream = File.OpenRead(path)) stream.Read(head, 0, 4);
            return head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04;
        }

        /// <summary>Null when our splitter and CsvHelper give the same rows of fields.</summary>
        private static string CompareText(string path)
        {
            var bytes = File.ReadAllBytes(path);
            using var probe = new MemoryStream(bytes);
            var (encoding, bom) = TextFormat.DetectEncoding(probe);
            var text = encoding.GetString(bytes, bom, bytes.Length - bom);
            var lines = text.Split('\n').Take(10).Select(l => l.TrimEnd('\r')).ToList();
            var delimiter = TextFormat.SniffDelimiter(lines);

            var ours = new List<string[]>();
            try
            {
                using var reader = new DelimitedTextReader(new StringReader(text), delimiter);
                while (reader.Read()) ours.Add(reader.Fields);
            }
            catch (AmnException e) { return $"ours refuses it: {e.ErrorId}"; }

            var theirs = new List<string[]>();
            var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter.ToString(), HasHeaderRecord = false, BadDataFound = null, MissingFieldFound = null, IgnoreBlankLines = true, DetectColumnCountChanges = false };
            using (var csv = new CsvParser(new StringReader(text), configuration))
                while (csv.Read()) theirs.Add(csv.Record);
            theirs = theirs.Where(r => !(r.Length == 1 && r[0].Length == 0)).ToList();

            for (int i = 0; i < Math.Max(ours.Count, theirs.Count); i++)
            {
                var a = i < ours.Count ? ours[i] : null;
                var b = i < theirs.Count ? theirs[i] : null;
                if (!(a ?? new string[0]).SequenceEqual(b ?? new string[0])) return $"record {i + 1}: ours [{Show(a)}], CsvHelper [{Show(b)}]";
            }
            return null;
        }

        private static void AssertListed(SortedDictionary<string, string> differences, Dictionary<string, (string Kind, string Reason)> listed, string[] extensions)
        {
            var problems = new List<string>();
            foreach (var (file, difference) in differences)
                if (!listed.ContainsKey(file)) problems.Add($"not listed: {file}: {difference}");
            foreach (var (file, entry) in listed)
            {
                if (!extensions.Contains(Path.GetExtension(file).ToLowerInvariant()) || entry.Kind == "library-skipped") continue;
                if (!differences.ContainsKey(file)) problems.Add($"listed but no longer different (take it off the list): {file}");
            }
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        /// <summary>tests/corpus-differences.txt: "path | kind | reason" per line; # starts a comment.</summary>
        private static Dictionary<string, (string Kind, string Reason)> KnownDifferences()
        {
            var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
            foreach (var line in File.ReadAllLines(Path.Combine(Root, "tests", "corpus-differences.txt")))
            {
                if (line.TrimStart().StartsWith("#") || line.Trim().Length == 0) continue;
                var parts = line.Split('|').Select(p => p.Trim()).ToArray();
                result[parts[0]] = (parts[1], parts.Length > 2 ? parts[2] : "");
            }
            return result;
        }

        private static bool LooksRaw(string message)
            => message.Contains("Exception") || message.Contains("   at ") || message.Contains("System.");

        private static string[] Trimmed(object[] cells)
        {
            var text = cells.Select(c => Values.CellText(c) ?? "").ToList();
            while (text.Count > 0 && text[text.Count - 1].Length == 0) text.RemoveAt(text.Count - 1);
            return text.ToArray();
        }

        /// <summary>edr/strict/X.xlsx's transitional copy edr/X.xlsx, in the platform's own separators; else the path itself.</summary>
        private static string TransitionalCopy(string path)
        {
            var folder = Path.GetDirectoryName(path);
            return Path.GetFileName(folder) == "strict" ? Path.Combine(Path.GetDirectoryName(folder), Path.GetFileName(path)) : path;
        }

        private static string Show(string[] cells) => cells == null ? "(none)" : string.Join(" | ", cells.Select(c => c.Length > 30 ? c.Substring(0, 30) + "…" : c)).Replace("\n", "\\n").Replace("\r", "\\r");

        private static IEnumerable<string> Files(string[] extensions)
            => Directory.GetFiles(Corpus, "*", SearchOption.AllDirectories)
                .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal);

        private static string Relative(string path) => Path.GetRelativePath(Corpus, path).Replace('\\', '/');

        private static void SkipWithoutCorpus()
            => Skip.If(Corpus == null || !Directory.Exists(Corpus), $"The corpus of real-world files is not there ({Corpus ?? "../shared/corpus"}); these checks did not run.");

        private static string FindRepositoryRoot()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, "Amn.Rollover.psd1"))) return folder.FullName;
            return null;
        }
    }
}
