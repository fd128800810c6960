using System.Runtime.CompilerServices;
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ExcelDataReader;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// Reads a student or staff export (CSV in any common delimiter and encoding, xlsx, xls) as
    /// validated records. <see cref="Open"/> does all the checks of the whole file (format,
    /// header row, required columns) and throws an <see cref="AmnException"/> naming the file
    /// before any record is produced; <see cref="ReadRecords"/> then streams the rows.
    /// </summary>
    public sealed class ImportFileReader : IDisposable
    {
        /// <summary>The header row is looked for within this many rows from the top.</summary>
        public const int HeaderSearchRows = 10;

        /// <summary>How many leading rows set the usual length of participant numbers (LeadingZerosLost).</summary>
        private const int NumberLengthSample = 1000;

        private readonly IRowSource _source;
        private readonly bool _date1904;
        private readonly List<object[]> _pendingRows;
        private readonly List<int> _pendingRowNumbers;
        private readonly DateTime _today = DateTime.Today;
        private readonly Dictionary<int, string> _conflicts = new Dictionary<int, string>();

        private ImportFileReader(ImportFileReport report, ColumnLayout layout, IRowSource source, bool date1904, List<object[]> pendingRows, List<int> pendingRowNumbers)
        {
            Report = report;
            Layout = layout;
            _source = source;
            source.ShareValues(layout.RepetitiveColumns(), layout.Pool);
            _date1904 = date1904;
            _pendingRows = pendingRows;
            _pendingRowNumbers = pendingRowNumbers;
        }

        /// <summary>How the file was read: format, encoding, delimiter, header row, kind and columns.</summary>
        public ImportFileReport Report { get; }
        public ColumnLayout Layout { get; }

        /// <summary>How far through the file reading is, from 0 to 1 (for progress bars).</summary>
        public double Fraction => _source.Fraction;

        public static ImportFileReader Open(string path, ImportFileOptions options = null)
        {
            options = options ?? new ImportFileOptions();
            path = System.IO.Path.GetFullPath(path);
            InputFile.EnsureNotSpecial(path);
            if (!File.Exists(path))
                throw new AmnException("FileNotFound", AmnErrorCategory.ObjectNotFound,
                    Directory.Exists(path) ? Messages.Format("PathIsFolder", path) : Messages.Format("ImportFileNotFound", path), path);

            Stream stream;
            try { stream = InputFile.OpenRead(path, 64 * 1024); }
            catch (IOException e) { throw Unreadable(path, e); }
            catch (UnauthorizedAccessException e) { throw Unreadable(path, e); }

            try
            {
                var report = new ImportFileReport { Path = path, Format = DetectFormat(stream, path) };
                IRowSource source;
                bool date1904 = false;
                if (report.Format == FileFormat.Csv)
                {
                    source = OpenCsv(stream, path, options, report);
                }
                else
                {
                    source = OpenWorkbook(stream, path, options, report, out date1904);
                    if (options.Worksheet == null)
                    {
                        try { return FindHeader(path, options, report, source, date1904); }
                        catch (AmnException e) when (e.ErrorId == "HeaderRowNotFound" || e.ErrorId == "EmptyFile")
                        {
                            stream.Dispose();
                            return OpenOtherWorksheet(path, options, report.Worksheet, e);
                        }
                    }
                }
                return FindHeader(path, options, report, source, date1904);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        /// <summary>
        /// A workbook whose first sheet has no header row (a cover sheet, notes): read the one other
        /// sheet that has one, and say so; with several, ask for -Worksheet.
        /// </summary>
        private static ImportFileReader OpenOtherWorksheet(string path, ImportFileOptions options, string firstSheet, AmnException firstFailure)
        {
            var sheets = WorksheetNames(path);
            var readable = new List<string>();
            foreach (var sheet in sheets.Where(s => s != firstSheet))
            {
                try { using (Open(path, options.WithWorksheet(sheet))) readable.Add(sheet); }
                catch (AmnException) { } // no header row, or not of the kind asked for
            }
            var list = string.Join(", ", sheets.Select(s => "'" + s + "'"));
            if (readable.Count == 1)
            {
                var reader = Open(path, options.WithWorksheet(readable[0]));
                reader.Report.WorksheetNote = Messages.Format("ReadOnlyWorksheetWithHeader", firstSheet, path, readable[0], list);
                return reader;
            }
            if (readable.Count > 1)
                throw new AmnException("WorksheetAmbiguous", AmnErrorCategory.InvalidArgument,
                    Messages.Format("WorksheetAmbiguous", firstSheet, path, string.Join(", ", readable.Select(s => "'" + s + "'"))), path);
            if (sheets.Count < 2) throw firstFailure;
            throw new AmnException(firstFailure.ErrorId, AmnErrorCategory.InvalidData,
                Messages.Format("NoWorksheetHasHeader", firstFailure.Message, string.Join(", ", sheets.Where(s => s != firstSheet).Select(s => "'" + s + "'"))), path);
        }

        /// <summary>
        /// The rows as validated records, while the file is read. Blank rows and header lines repeated
        /// inside the data are skipped. A later row with the same participant number (staff: username)
        /// fails with DuplicateNumber when its data differs, and is marked a duplicate with a warning when
        /// it is an exact repeat.
        /// </summary>
        /// <param name="trackDuplicates">
        /// False when the caller checks duplicates itself (the importers do, over all rows): saves a
        /// dictionary entry per row.
        /// </param>
        public IEnumerable<ImportRecord> ReadRecords(bool trackDuplicates = true)
        {
            var seen = new Dictionary<string, (int Signature, int Row)>(Layout.Kind == ImportKind.Staff ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            var buffer = new List<ImportRecord>();
            int? usualNumberLength = null;

            foreach (var (rowNumber, cells) in Rows())
            {
                if (IsBlank(cells) || Layout.IsRepeatedHeader(cells)) continue;
                var record = Layout.Build(rowNumber, cells, _date1904, _today);
                if (trackDuplicates) CheckDuplicate(record, seen);

                if (Layout.Kind == ImportKind.Staff) { yield return record; continue; }
                if (usualNumberLength.HasValue)
                {
                    CheckLeadingZeros((StudentRecord)record, usualNumberLength.Value);
                    yield return record;
                    continue;
                }
                buffer.Add(record);
                if (buffer.Count < NumberLengthSample) continue;
                usualNumberLength = UsualNumberLength(buffer);
                foreach (var held in buffer) { CheckLeadingZeros((StudentRecord)held, usualNumberLength.Value); yield return held; }
                buffer.Clear();
            }
            if (buffer.Count > 0)
            {
                usualNumberLength = UsualNumberLength(buffer);
                foreach (var held in buffer) { CheckLeadingZeros((StudentRecord)held, usualNumberLength.Value); yield return held; }
            }
        }

        /// <summary>How many errors and how many warnings a report lists; the rest are counted in one closing line.</summary>
        public const int ListedProblems = 10000;

        /// <summary>Reads the whole file into the report: counts and the problems (the first <see cref="ListedProblems"/> of each kind), for Test-AmnImportFile.</summary>
        public ImportFileReport Validate(Action<int, double> progress = null)
        {
            var invalidRows = new HashSet<int>();
            int moreErrors = 0, moreWarnings = 0;
            foreach (var record in ReadRecords())
            {
                Report.RowCount++;
                if (record.HasWarnings) moreWarnings += AddListed(Report.Warnings, record.Warnings);
                if (record.IsValid) Report.ValidRowCount++;
                else { invalidRows.Add(record.RowNumber); moreErrors += AddListed(Report.Errors, record.Errors); }
                progress?.Invoke(Report.RowCount, Fraction);
            }
            if (moreErrors > 0) Report.Errors.Add(new ImportProblem(0, null, null, "MoreErrors", Messages.Format("MoreErrorsNotListed", moreErrors, Report.Path)));
            if (moreWarnings > 0) Report.Warnings.Add(new ImportProblem(0, null, null, "MoreWarnings", Messages.Format("MoreWarningsNotListed", moreWarnings, Report.Path)));
            foreach (var conflict in _conflicts)
            {
                if (invalidRows.Contains(conflict.Key)) continue; // already counted as invalid
                Report.ValidRowCount--;
                Report.Errors.Add(DuplicateProblem(conflict.Key, conflict.Value));
            }
            return Report;
        }

        /// <summary>Adds problems while the list is short of <see cref="ListedProblems"/>; returns how many did not fit.</summary>
        private static int AddListed(ProblemList list, ProblemList problems)
        {
            int room = Math.Max(0, ListedProblems - list.Count);
            for (int i = 0; i < problems.Count && i < room; i++) list.Add(problems[i]);
            return Math.Max(0, problems.Count - room);
        }

        /// <summary>The DuplicateNumber error for the first of several differing rows with one key.</summary>
        public ImportProblem DuplicateProblem(int row, string key) => DuplicateKeys.ConflictFurtherOn(Layout.Kind, row, KeyColumn, key);

        /// <summary>The header of the key column: the participant number's, or the username's.</summary>
        private string KeyColumn => Layout.Columns.FirstOrDefault(c => c.Field == (Layout.Kind == ImportKind.Student ? ImportField.Number : ImportField.UserName))?.Header;

        [MethodImpl(HotPath.Optimize)]
        private void CheckDuplicate(ImportRecord record, Dictionary<string, (int Signature, int Row)> seen)
        {
            var key = record.Key;
            if (string.IsNullOrEmpty(key)) return;
            var signature = record.ContentHash();
            if (!seen.TryGetValue(key, out var first))
            {
                seen[key] = (signature, record.RowNumber);
                return;
            }
            if (first.Signature == signature)
            {
                record.IsDuplicate = true;
                record.Warnings.Add(DuplicateKeys.Repeat(record.RowNumber, first.Row, KeyColumn, key));
                return;
            }
            record.Errors.Add(DuplicateKeys.Conflict(Layout.Kind, record.RowNumber, first.Row, KeyColumn, key));
            _conflicts[first.Row] = key;
        }

        private static int UsualNumberLength(List<ImportRecord> records)
        {
            var numbers = records.Cast<StudentRecord>().Where(r => IsDigits(r.Number)).ToList();
            var usual = numbers.GroupBy(r => r.Number.Length).OrderByDescending(g => g.Count()).FirstOrDefault();
            // Too few numbers, or no clear majority, says nothing about lost zeros.
            return numbers.Count >= 3 && usual != null && usual.Count() * 2 > numbers.Count ? usual.Key : 0;
        }

        [MethodImpl(HotPath.Optimize)]
        private void CheckLeadingZeros(StudentRecord record, int usualLength)
        {
            if (usualLength == 0 || record.Number == null || record.Number.Length >= usualLength || !IsDigits(record.Number)) return;
            var column = Layout.Columns.First(c => c.Field == ImportField.Number).Header;
            record.AddWarning(column, record.Number, "LeadingZerosLost",
                Messages.Format("LeadingZerosLost", record.RowNumber, record.Number, record.Number.Length, usualLength, record.Number.PadLeft(usualLength, '0')));
        }

        private static bool IsDigits(string value)
        {
            if (string.IsNullOrEmpty(value)) return false;
            foreach (var c in value)
                if (c < '0' || c > '9') return false;
            return true;
        }

        [MethodImpl(HotPath.Optimize)]
        private static bool IsBlank(object[] cells)
        {
            foreach (var cell in cells)
                if (!string.IsNullOrEmpty(Values.CellText(cell))) return false;
            return true;
        }

        /// <summary>The raw rows: first those read while looking for the header, then the rest of the file.</summary>
        private IEnumerable<(int Row, object[] Cells)> Rows()
        {
            for (int i = 0; i < _pendingRows.Count; i++) yield return (_pendingRowNumbers[i], _pendingRows[i]);
            _pendingRows.Clear();
            _pendingRowNumbers.Clear();
            while (_source.Read()) yield return (_source.RowNumber, _source.Cells);
        }

        private static ImportFileReader FindHeader(string path, ImportFileOptions options, ImportFileReport report, IRowSource source, bool date1904)
        {
            var rows = new List<object[]>();
            var numbers = new List<int>();
            int bestIndex = -1, bestScore = 0;
            while (rows.Count < HeaderSearchRows && source.Read())
            {
                if (IsBlank(source.Cells)) continue;
                rows.Add(source.Cells);
                numbers.Add(source.RowNumber);
                var score = ColumnLayout.CountKnownHeaders(source.Cells.Select(Values.CellText), options.ColumnMap);
                if (score > bestScore) { bestScore = score; bestIndex = rows.Count - 1; }
            }
            if (rows.Count == 0)
                throw new AmnException("EmptyFile", AmnErrorCategory.InvalidData, report.Worksheet != null ? Messages.Format("EmptyWorksheet", path, report.Worksheet) : Messages.Format("EmptyFile", path), path);
            if (bestScore < 2 && report.Format == FileFormat.Csv && rows.All(r => r.Length == 1))
                foreach (var row in rows) CheckNotOneColumn(path, report, new List<string> { Values.CellText(row[0]) });
            if (bestScore < 2)
                throw new AmnException("HeaderRowNotFound", AmnErrorCategory.InvalidData,
                    Messages.Format("HeaderRowNotFound", HeaderSearchRows, report.Worksheet != null ? Messages.Format("FileAndWorksheet", path, report.Worksheet) : "'" + path + "'",
                        KnownColumnsExample(options.Kind), Preview(rows[0])), path);

            var headers = rows[bestIndex].Select(c => Values.CellText(c) ?? string.Empty).ToList();
            while (headers.Count > 0 && headers[headers.Count - 1].Length == 0) headers.RemoveAt(headers.Count - 1); // empty trailing columns
            CheckNotOneColumn(path, report, headers);

            var kind = options.Kind ?? ColumnLayout.InferKind(headers, options.ColumnMap)
                ?? throw new AmnException("KindNotRecognized", AmnErrorCategory.InvalidData,
                    Messages.Format("KindUnknown", path), path);
            if (kind == ImportKind.Staff && ColumnLayout.LooksLikeStudents(headers, options.ColumnMap))
                throw new AmnException("LooksLikeStudentFile", AmnErrorCategory.InvalidData,
                    Messages.Format("StudentFileGivenAsStaff", path), path);
            var layout = ColumnLayout.Create(headers, kind, options.Product, options.ColumnMap, $"'{path}'", options.RequireColumnMapKeys);
            report.HeaderRow = numbers[bestIndex];
            report.Kind = kind;
            report.Columns = layout.Columns;
            report.Warnings.AddRange(layout.Warnings);

            var pending = rows.Skip(bestIndex + 1).ToList();
            var pendingNumbers = numbers.Skip(bestIndex + 1).ToList();
            return new ImportFileReader(report, layout, source, date1904, pending, pendingNumbers);
        }

        private static string KnownColumnsExample(ImportKind? kind)
        {
            const string students = "deelnemersnummer/leerlingnummer/stamnummer, voornaam/roepnaam, achternaam, klas";
            const string staff = "gebruikersnaam, code, voornaam, achternaam, e-mail, rol, klas";
            return kind == ImportKind.Student ? students : kind == ImportKind.Staff ? staff : Messages.Format("KnownColumnsBoth", students, staff);
        }

        private static void CheckNotOneColumn(string path, ImportFileReport report, List<string> headers)
        {
            if (report.Format != FileFormat.Csv || headers.Count != 1) return;
            var other = TextFormat.CandidateDelimiters.Where(d => d.ToString() != report.Delimiter && TextFormat.CountOutsideQuotes(headers[0], d) > 0).ToList();
            if (other.Count == 0) return;
            throw new AmnException("SingleColumnParse", AmnErrorCategory.InvalidData,
                Messages.Format("SingleColumnParse", path, DelimiterName(report.Delimiter), headers[0], string.Join(Messages.Get("And"), other.Select(d => DelimiterName(d.ToString()))), other[0] == '\t' ? "`t" : other[0].ToString()), path);
        }

        private static string DelimiterName(string delimiter) => delimiter == "\t" ? Messages.Get("Tab") : "'" + delimiter + "'";

        private static string Preview(object[] cells)
        {
            var text = string.Join(" | ", cells.Select(Values.CellText).Where(t => !string.IsNullOrEmpty(t)).Take(8));
            return text.Length > 200 ? "'" + text.Substring(0, 200) + "...'" : "'" + text + "'";
        }

        private static FileFormat DetectFormat(Stream stream, string path)
        {
            var head = new byte[8];
            int read = stream.Read(head, 0, head.Length);
            stream.Position = 0;
            if (read >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04) return FileFormat.Xlsx;
            if (read >= 8 && head[0] == 0xD0 && head[1] == 0xCF && head[2] == 0x11 && head[3] == 0xE0) return FileFormat.Xls;
            // A bare BIFF2-BIFF8 stream without the compound-file wrapper starts with a BOF record (0x0009, 0x0209, 0x0409, 0x0809).
            if (read >= 4 && head[0] == 0x09 && (head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04 || head[1] == 0x08) && head[3] == 0x00 && head[2] >= 4 && head[2] <= 20) return FileFormat.Xls;
            var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
            if (extension == ".xlsx" || extension == ".xls" || extension == ".xlsm")
                throw new AmnException("UnreadableWorkbook", AmnErrorCategory.InvalidData, Messages.Format("NotAWorkbook", path), path);
            return FileFormat.Csv;
        }

        private static IRowSource OpenCsv(Stream stream, string path, ImportFileOptions options, ImportFileReport report)
        {
            Encoding encoding;
            int bomLength;
            if (options.Encoding != null)
            {
                encoding = TextFormat.ParseEncoding(options.Encoding);
                bomLength = TextFormat.BomLength(stream, encoding);
            }
            else
            {
                (encoding, bomLength) = TextFormat.DetectEncoding(stream);
            }
            report.Encoding = TextFormat.DisplayName(encoding);
            // Bytes the encoding cannot decode stop the read, naming the line: never a U+FFFD in a stored name.
            encoding = TextFormat.Strict(encoding);

            stream.Position = bomLength;
            char delimiter;
            if (options.Delimiter.HasValue)
            {
                delimiter = options.Delimiter.Value;
            }
            else
            {
                try { delimiter = TextFormat.SniffDelimiter(TextFormat.FirstLines(stream, encoding, HeaderSearchRows)); }
                catch (DecoderFallbackException) { throw TextFormat.UndecodableText(stream, bomLength, encoding, path); }
                stream.Position = bomLength;
            }
            report.Delimiter = delimiter.ToString();
            return new CsvRowSource(stream, bomLength, encoding, delimiter, path);
        }

        private static IRowSource OpenWorkbook(Stream stream, string path, ImportFileOptions options, ImportFileReport report, out bool date1904)
        {
            date1904 = false;
            var sheets = new List<string>();
            try
            {
                if (report.Format == FileFormat.Xlsx)
                {
                    var source = XlsxRowSource.Open(stream, path, options.Worksheet, out var workbook);
                    sheets.AddRange(workbook.Sheets.Select(s => s.Name));
                    if (source != null)
                    {
                        report.Worksheet = source.SheetName;
                        date1904 = workbook.Date1904;
                        return source;
                    }
                }
                else
                {
                    _ = TextFormat.Windows1252; // legacy .xls files need the code-page encodings
                    var reader = ExcelReaderFactory.CreateBinaryReader(stream);
                    do
                    {
                        sheets.Add(reader.Name);
                        if (options.Worksheet == null || string.Equals(reader.Name, options.Worksheet, StringComparison.OrdinalIgnoreCase))
                        {
                            report.Worksheet = reader.Name;
                            return new ExcelRowSource(reader);
                        }
                    } while (reader.NextResult());
                    reader.Dispose();
                }
            }
            // ExcelDataReader parses untrusted .xls files: any fault of its is a workbook it cannot read,
            // reported as such (the corpus test holds files that make it throw unlisted exception types).
            catch (Exception e) when (!(e is AmnException))
            {
                throw WorkbookFaults.Unreadable(path, e);
            }
            throw new AmnException("WorksheetNotFound", AmnErrorCategory.ObjectNotFound,
                Messages.Format("WorksheetNotFound", path, options.Worksheet, string.Join(", ", sheets.Select(s => "'" + s + "'"))), options.Worksheet);
        }

        /// <summary>The worksheet names of an xlsx or xls workbook (for tab completion); empty for anything else.</summary>
        public static IReadOnlyList<string> WorksheetNames(string path)
        {
            var names = new List<string>();
            try
            {
                using (var stream = InputFile.OpenRead(path))
                {
                    var format = DetectFormat(stream, path);
                    if (format == FileFormat.Csv) return names;
                    if (format == FileFormat.Xlsx)
                    {
                        using (var archive = new ZipArchive(stream, ZipArchiveMode.Read))
                            names.AddRange(XlsxRowSource.ReadWorkbook(new XlsxPackage(archive, path)).Sheets.Select(s => s.Name));
                        return names;
                    }
                    _ = TextFormat.Windows1252;
                    using (var reader = ExcelReaderFactory.CreateBinaryReader(stream))
                        do { names.Add(reader.Name); } while (reader.NextResult());
                }
            }
            catch (Exception e) when (WorkbookFaults.IsUnreadable(e)) { } // completion offers nothing for a file it cannot read
            return names;
        }

        private static AmnException Unreadable(string path, Exception e)
            => new AmnException("FileUnreadable", AmnErrorCategory.ReadError, Messages.Format("ImportFileNotReadable", path, e.Message), path, e);

        public void Dispose() => _source.Dispose();
    }
}
