using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// Reads one worksheet of an .xlsx workbook in a single pass: cells as text, numbers (double), dates
    /// (DateTime, for date-formatted cells, on the workbook's 1900 or 1904 system) or booleans, with the
    /// row numbers Excel shows. Rows without cells are skipped.
    /// </summary>
    /// <remarks>
    /// ExcelDataReader 3.6 (the newest version served here) parses every worksheet twice, once to measure
    /// it and once to read it; this reader keeps the import of an .xlsx file within twice the time of the
    /// same data as CSV. ExcelDataReader still reads .xls workbooks and is the tests' reference for this one.
    /// </remarks>
    internal sealed class XlsxRowSource : IRowSource
    {
        private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        private const string StrictMain = "http://purl.oclc.org/ooxml/spreadsheetml/main";
        private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        private static readonly DateTime Epoch1900 = new DateTime(1899, 12, 30), Epoch1904 = new DateTime(1904, 1, 1);

        private readonly string _path;
        private readonly ZipArchive _archive;
        private readonly Stream _file;
        private readonly string[] _sharedStrings;
        private readonly NumberKind[] _numberKinds;
        private readonly bool _date1904;
        private readonly XmlReader _sheet;
        private readonly ElementWindowStream _sheetWindow;
        private ElementWindowStream _window; // of the part being read: the worksheet, or the shared strings while they load
        private List<object> _cells = new List<object>(16), _nextCells = new List<object>(16);
        private int _nextRow = -1;
        private int _lastRow;

        private XlsxRowSource(string path, Stream file, ZipArchive archive, XlsxPackage package, Workbook workbook, string sheetName, string sheetPath)
        {
            _path = path;
            SheetName = sheetName;
            _file = file;
            _archive = archive;
            _date1904 = workbook.Date1904;
            _sharedStrings = Guard(() => ReadSharedStrings(package));
            _numberKinds = Guard(() => ReadNumberKinds(package));
            _sheet = package.Open(sheetPath, false, out _sheetWindow) ?? throw new InvalidDataException(Messages.Format("WorksheetPartMissing", sheetPath));
            _window = _sheetWindow;
        }

        /// <summary>The workbook's worksheets (in Excel's order) and date system.</summary>
        public sealed class Workbook
        {
            public List<(string Name, string Path)> Sheets { get; } = new List<(string, string)>();
            public bool Date1904 { get; set; }
        }

        /// <summary>
        /// Opens the worksheet named <paramref name="worksheet"/> (any case), or the first one when it is
        /// null; null when there is no such worksheet. The source owns <paramref name="file"/> from here on.
        /// </summary>
        public static XlsxRowSource Open(Stream file, string path, string worksheet, out Workbook workbook)
        {
            ZipArchive archive = null;
            try
            {
                archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
                var package = new XlsxPackage(archive, path);
                workbook = ReadWorkbook(package);
                var sheet = workbook.Sheets.FirstOrDefault(s => worksheet == null || string.Equals(s.Name, worksheet, StringComparison.OrdinalIgnoreCase));
                if (sheet.Path == null)
                {
                    archive.Dispose();
                    return null;
                }
                return new XlsxRowSource(path, file, archive, package, workbook, sheet.Name, sheet.Path);
            }
            catch (Exception e) when (e is XmlException || e is InvalidDataException)
            {
                archive?.Dispose();
                throw WorkbookFaults.Unreadable(path, e);
            }
            catch
            {
                archive?.Dispose();
                throw;
            }
        }

        public static Workbook ReadWorkbook(XlsxPackage package)
        {
            var targets = package.WorkbookRelationships.Where(r => r.Type == "worksheet" && r.Target != null).ToDictionary(r => r.Id, r => r.Target, StringComparer.Ordinal);
            var workbook = new Workbook();
            using (var xml = package.Open(package.WorkbookPath))
                while (xml.Read())
                {
                    if (xml.NodeType != XmlNodeType.Element || !IsMain(xml)) continue; // x14:workbookPr and the like say nothing about dates
                    if (xml.LocalName == "workbookPr")
                    {
                        var value = xml.GetAttribute("date1904");
                        workbook.Date1904 = value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
                    }
                    else if (xml.LocalName == "sheet" && targets.TryGetValue(RelationshipId(xml), out var path))
                        workbook.Sheets.Add((xml.GetAttribute("name"), path));
                }
            return workbook;
        }

        private static bool IsMain(XmlReader xml) => xml.NamespaceURI == Main || xml.NamespaceURI == StrictMain;

        /// <summary>The sheet's r:id, in the transitional or the strict relationships namespace.</summary>
        private static string RelationshipId(XmlReader xml)
        {
            var id = xml.GetAttribute("id", Relationships);
            if (id != null) return id;
            for (int i = 0; i < xml.AttributeCount; i++)
            {
                xml.MoveToAttribute(i);
                if (xml.LocalName == "id" && xml.Prefix.Length > 0) { id = xml.Value; break; }
            }
            xml.MoveToElement();
            return id ?? "";
        }

        /// <summary>The worksheet's name as the workbook spells it.</summary>
        public string SheetName { get; }
        public int RowNumber { get; private set; }
        public object[] Cells { get; private set; }
        public double Fraction => _file.Length == 0 ? 1 : Math.Min(1, (double)_file.Position / _file.Length);

        /// <summary>Shared strings are shared already: one string per distinct text in the whole workbook.</summary>
        public void ShareValues(bool[] columns, StringPool pool) { }

        /// <summary>
        /// The next row with cells. Row elements that repeat a row number (some writers put each cell in
        /// a row element of its own) are merged into one row.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        public bool Read()
        {
            try
            {
                if (_nextRow < 0 && !ReadRowElement()) return false;
                var row = _nextRow;
                (_cells, _nextCells) = (_nextCells, _cells);
                _nextRow = -1;
                while (ReadRowElement())
                {
                    if (_nextRow != row) break;
                    Merge(_nextCells, _cells);
                    _nextRow = -1;
                }
                RowNumber = row;
                Cells = _cells.ToArray();
                return true;
            }
            catch (Exception e) when (e is XmlException || e is InvalidDataException || e is ElementWindowStream.WindowExceededException)
            {
                throw Fault(e, _lastRow);
            }
        }

        /// <summary>Reads the next row element that has cells into the "next" buffer; false at the end of the sheet.</summary>
        [MethodImpl(HotPath.Optimize)]
        private bool ReadRowElement()
        {
            var xml = _sheet;
            while (xml.Read())
            {
                _window.Checkpoint();
                if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "row") continue;
                var r = xml.GetAttribute("r");
                var number = r != null && int.TryParse(r, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : _lastRow + 1;
                if (number > ExcelLimits.MaxRows || number < 1)
                    throw Limit(Messages.Format("RowPastLastRow", number, ExcelLimits.MaxRows));
                _lastRow = number;
                _nextCells.Clear();
                if (xml.IsEmptyElement) continue;
                ReadCells(xml, number);
                if (_nextCells.Count == 0) continue;
                _nextRow = number;
                return true;
            }
            return false;
        }

        /// <summary>A later fragment's value takes a cell's place, as a later cell with the same reference does, unless it is empty.</summary>
        private static void Merge(List<object> from, List<object> into)
        {
            for (int i = 0; i < from.Count; i++)
            {
                if (from[i] == null || (from[i] is string text && text.Length == 0)) continue;
                while (into.Count <= i) into.Add(null);
                into[i] = from[i];
            }
        }

        /// <summary>The cells of the row the reader is on, each at its column (from its reference, else after the previous cell).</summary>
        [MethodImpl(HotPath.Optimize)]
        private void ReadCells(XmlReader xml, int row)
        {
            int depth = xml.Depth, next = 0;
            while (xml.Read() && xml.Depth > depth)
            {
                _window.Checkpoint();
                if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "c") continue;
                var reference = xml.GetAttribute("r");
                var type = xml.GetAttribute("t");
                var style = xml.GetAttribute("s");
                int column = reference != null ? ColumnIndex(reference, next) : next; // some writers leave out references
                if (column >= ExcelLimits.MaxColumns)
                    throw Limit(Messages.Format("CellPastLastColumn", row, Shorten(reference ?? ColumnName(column)), ExcelLimits.MaxColumns));
                next = column + 1;
                var value = xml.IsEmptyElement ? null : CellValue(xml, type, style, row, column);
                if (value == null) continue;
                while (_nextCells.Count < column) _nextCells.Add(null);
                if (_nextCells.Count == column) _nextCells.Add(value);
                else _nextCells[column] = value;
            }
        }

        /// <summary>The value of the cell element the reader is on; leaves the reader on its end element.</summary>
        [MethodImpl(HotPath.Optimize)]
        private object CellValue(XmlReader xml, string type, string style, int row, int column)
        {
            string raw = null, inline = null;
            int depth = xml.Depth;
            xml.Read();
            while (xml.Depth > depth) // each child is read or skipped, which moves the reader past it
            {
                if (xml.NodeType != XmlNodeType.Element) xml.Read();
                else if (xml.LocalName == "v") raw = ReadText(xml, row, column);
                else if (xml.LocalName == "is") { inline = RichText(xml, row, column); xml.Read(); }
                else xml.Skip();
            }
            switch (type)
            {
                case "s":
                    return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < _sharedStrings.Length ? _sharedStrings[index] : null;
                case "inlineStr": return inline;
                case "str": return raw == null ? null : Escapes.Decode(raw);
                case "b": return raw == null ? null : (object)(raw == "1" || string.Equals(raw, "true", StringComparison.OrdinalIgnoreCase));
                case "e": return null; // #N/A, #REF! and the like: no value
                case "d": return IsoDate(raw);
                default:
                    if (raw == null) return null;
                    if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return raw;
                    var kind = style != null && int.TryParse(style, NumberStyles.Integer, CultureInfo.InvariantCulture, out var xf) && xf >= 0 && xf < _numberKinds.Length ? _numberKinds[xf] : NumberKind.Number;
                    if (kind == NumberKind.Date && number > -657435 && number < 2958466) return FromSerial(number);
                    if (kind == NumberKind.Duration && Math.Abs(number) < 10675199) return TimeSpan.FromMilliseconds(Math.Round(number * 86400000.0));
                    return number;
            }
        }

        /// <summary>An Excel date serial as a date and time, to the millisecond as Excel keeps it.</summary>
        private DateTime FromSerial(double serial)
        {
            // The 1900 system counts a 29 February 1900 that never was (day 60): the days before it start a day later.
            var epoch = _date1904 ? Epoch1904 : serial >= 0 && serial < 60 ? Epoch1900.AddDays(1) : Epoch1900;
            return epoch.AddMilliseconds(Math.Round(serial * 86400000.0));
        }

        /// <summary>An ISO 8601 cell (t="d"); a time without a date is a time on Excel's day 0, as a serial below 1 would be.</summary>
        private static object IsoDate(string raw)
        {
            if (raw == null) return null;
            if (raw.StartsWith("P", StringComparison.Ordinal) || raw.StartsWith("-P", StringComparison.Ordinal))
            {
                try { return RoundToMillisecond(XmlConvert.ToTimeSpan(raw)); } // strict OOXML writes elapsed times as xsd:duration
                catch (FormatException) { return raw; }
            }
            var text = TrimFraction(raw);
            if (text.IndexOf('-') < 0 && TimeSpan.TryParse(text.TrimStart('T'), CultureInfo.InvariantCulture, out var time)) return Epoch1900 + RoundToMillisecond(time);
            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var iso) ? (object)new DateTime(RoundToMillisecond(iso.Ticks), iso.Kind) : raw;
        }

        private static TimeSpan RoundToMillisecond(TimeSpan time) => new TimeSpan(RoundToMillisecond(time.Ticks));

        private static long RoundToMillisecond(long ticks) => (ticks + (ticks >= 0 ? 5000 : -5000)) / 10000 * 10000;

        /// <summary>Seconds with more than the seven decimals .NET parses ("10:59:59.99999999999") cut to seven.</summary>
        private static string TrimFraction(string text)
        {
            var dot = text.LastIndexOf('.');
            if (dot < 0) return text;
            int end = dot + 1;
            while (end < text.Length && char.IsDigit(text[end])) end++;
            return end - dot - 1 <= 7 ? text : text.Substring(0, dot + 8) + text.Substring(end);
        }

        /// <summary>"A1" → 0, "ab7" → 27; a reference without column letters ("0") counts on from the previous cell.</summary>
        private static int ColumnIndex(string reference, int next)
        {
            long column = 0;
            int letters = 0;
            foreach (var c in reference)
            {
                var upper = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
                if (upper < 'A' || upper > 'Z') break;
                if (++letters > 4) return int.MaxValue; // far past XFD
                column = column * 26 + (upper - 'A' + 1);
            }
            return letters == 0 ? next : (int)(column - 1);
        }

        private static string Shorten(string text) => text == null ? "" : text.Length > 20 ? text.Substring(0, 20) + "..." : text;

        /// <summary>
        /// The text content of the element the reader is on, refused past Excel's 32,767 characters (the
        /// window stream has already stopped anything much longer). Leaves the reader after the end element.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        private string ReadText(XmlReader xml, int row, int column)
        {
            _window.Checkpoint();
            var text = xml.ReadElementContentAsString();
            if (text.Length > ExcelLimits.MaxCellCharacters) throw TooLong(row, column);
            return text;
        }

        private AmnException TooLong(int row, int column)
            => Limit(row == 0 ? Messages.Format("SharedStringTooLong", ExcelLimits.MaxCellCharacters)
                : column < 0 ? Messages.Format("CellInRowTooLong", row, ExcelLimits.MaxCellCharacters)
                : Messages.Format("CellTooLong", row, ColumnName(column), ExcelLimits.MaxCellCharacters));

        /// <summary>0 → "A", 27 → "AB".</summary>
        internal static string ColumnName(int column)
        {
            var name = "";
            for (column++; column > 0; column = (column - 1) / 26) name = (char)('A' + (column - 1) % 26) + name;
            return name;
        }

        /// <summary>
        /// The text of the shared-string item or inline string the reader is on: its t elements in order
        /// (also inside formatting runs), without phonetic runs, _xHHHH_ escapes decoded. Leaves the
        /// reader on its end element. <paramref name="row"/> is 0 for the shared strings.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        private string RichText(XmlReader xml, int row, int column)
        {
            if (xml.IsEmptyElement) return string.Empty;
            string single = null;
            StringBuilder several = null;
            int depth = xml.Depth;
            xml.Read();
            while (xml.Depth > depth)
            {
                _window.Checkpoint();
                if (xml.NodeType != XmlNodeType.Element) { xml.Read(); continue; }
                switch (xml.LocalName)
                {
                    case "t":
                        var text = ReadText(xml, row, column);
                        if (single == null) single = text;
                        else (several ?? (several = new StringBuilder(single))).Append(text);
                        if (several != null && several.Length > ExcelLimits.MaxCellCharacters) throw TooLong(row, column);
                        break;
                    case "r": xml.Read(); break; // a formatting run: its t is read on the next pass
                    default: xml.Skip(); break;  // rPr, rPh, phoneticPr
                }
            }
            return Escapes.Decode(several?.ToString() ?? single ?? string.Empty);
        }

        private string[] ReadSharedStrings(XlsxPackage package)
        {
            var strings = new List<string>();
            using (var xml = package.Open(package.SharedStringsPath, true, out _window))
                while (xml != null && xml.Read())
                {
                    _window.Checkpoint();
                    if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si") strings.Add(RichText(xml, 0, 0));
                }
            return strings.ToArray();
        }

        /// <summary>What a number in a cell of a style shows: a number, a date (and time), or an elapsed time ([h]:mm).</summary>
        private enum NumberKind : byte { Number, Date, Duration }

        /// <summary>By cell style (xf) index: what its number format shows.</summary>
        private static NumberKind[] ReadNumberKinds(XlsxPackage package)
        {
            var customFormats = new Dictionary<int, string>();
            var styles = new List<NumberKind>();
            using (var xml = package.Open(package.StylesPath))
            {
                bool inCellXfs = false;
                while (xml != null && xml.Read())
                {
                    if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "cellXfs") inCellXfs = false;
                    if (xml.NodeType != XmlNodeType.Element) continue;
                    if (xml.LocalName == "numFmt" && int.TryParse(xml.GetAttribute("numFmtId"), out var id))
                        customFormats[id] = xml.GetAttribute("formatCode") ?? "";
                    else if (xml.LocalName == "cellXfs") inCellXfs = !xml.IsEmptyElement;
                    else if (inCellXfs && xml.LocalName == "xf")
                    {
                        int.TryParse(xml.GetAttribute("numFmtId"), out var format);
                        styles.Add(customFormats.TryGetValue(format, out var code) ? Kind(code) : BuiltInKind(format));
                    }
                }
            }
            return styles.ToArray();
        }

        /// <summary>Excel's built-in date and time formats (14–22, 45–47) and the East Asian ones (27–36, 50–58); 46 is [h]:mm:ss.</summary>
        private static NumberKind BuiltInKind(int id)
        {
            if (id == 46) return NumberKind.Duration;
            return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58) ? NumberKind.Date : NumberKind.Number;
        }

        private static NumberKind Kind(string code) => !IsDateFormat(code) ? NumberKind.Number : IsElapsedFormat(code) ? NumberKind.Duration : NumberKind.Date;

        /// <summary>An elapsed-time format: [h], [m] or [s] in its first section ([h]:mm:ss), not a clock time.</summary>
        internal static bool IsElapsedFormat(string code)
        {
            var section = code.Split(';')[0].ToLowerInvariant();
            return section.Contains("[h") || section.Contains("[m") || section.Contains("[s");
        }

        /// <summary>True when a format code shows a date or time: d, m, y, h or s outside quoted text, escapes and [colour] sections.</summary>
        internal static bool IsDateFormat(string code)
        {
            var section = code.Split(';')[0];
            for (int i = 0; i < section.Length; i++)
            {
                var c = char.ToLowerInvariant(section[i]);
                switch (c)
                {
                    case '"':
                        i = section.IndexOf('"', i + 1);
                        if (i < 0) return false;
                        break;
                    case '\\':
                    case '_':
                    case '*':
                        i++;
                        break;
                    case '[':
                        var end = section.IndexOf(']', i + 1);
                        if (end < 0) return false;
                        var inside = section.Substring(i + 1, end - i - 1).ToLowerInvariant();
                        if (inside.Length > 0 && inside.All(x => x == 'h' || x == 'm' || x == 's')) return true; // [h]:mm elapsed time
                        i = end;
                        break;
                    case 'd': case 'm': case 'y': case 'h': case 's':
                        return true;
                }
            }
            return false;
        }

        /// <summary>Reading a part the worksheet needs (shared strings, styles): its faults as a clear error naming the file.</summary>
        private T Guard<T>(Func<T> read)
        {
            try { return read(); }
            catch (Exception e) when (e is XmlException || e is InvalidDataException || e is ElementWindowStream.WindowExceededException)
            {
                throw Fault(e, 0);
            }
        }

        /// <summary>A fault while reading the worksheet (at <paramref name="row"/>) or, with row 0, the shared strings.</summary>
        private AmnException Fault(Exception e, int row)
        {
            if (e is ElementWindowStream.WindowExceededException) return TooLong(row, row == 0 ? 0 : -1);
            return new AmnException("UnreadableWorkbook", AmnErrorCategory.InvalidData,
                Messages.Format("WorksheetNotReadable", _path, SheetName, WorkbookFaults.Describe(e)), _path, e);
        }

        private AmnException Limit(string what)
            => new AmnException("FileLimitExceeded", AmnErrorCategory.LimitsExceeded,
                Messages.Format("WorksheetHostile", _path, SheetName, what), _path);

        public void Dispose()
        {
            _sheet.Dispose();
            _archive.Dispose();
            _file.Dispose();
        }
    }
}
