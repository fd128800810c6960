using System.Runtime.CompilerServices;
using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Files
{
    /// <summary>One source column: where it is, its header as written, and the field it feeds.</summary>
    public sealed class ImportColumn
    {
        public ImportColumn(int index, string header, ImportField field)
        {
            Index = index;
            Header = header;
            Field = field;
        }

        public int Index { get; }
        public string Header { get; }
        public ImportField Field { get; internal set; }

        public override string ToString() => $"{Header} -> {Field}";
    }

    /// <summary>
    /// How the columns of one source (a file's header row, or the property names of piped objects)
    /// map onto a record, and the builder that turns a row of cells into a validated record.
    /// </summary>
    public sealed class ColumnLayout
    {
        private readonly ImportColumn[] _columns;
        private readonly ImportColumn[] _fieldColumns;
        private readonly Dictionary<ImportField, ImportColumn> _single = new Dictionary<ImportField, ImportColumn>();
        /// <summary>The column index of each single-column field, -1 when absent: looked up for every cell of every row.</summary>
        private readonly int[] _index = Enumerable.Repeat(-1, Enum.GetValues(typeof(ImportField)).Length).ToArray();
        private ImportField[] _required;
        /// <summary>For a pupil's file, the description of each required field (null for the number), looked up once, not per row.</summary>
        private StudentField[] _requiredStudentFields;
        /// <summary>Shared strings for the repetitive fields; the row source may fill cells from it directly.</summary>
        internal StringPool Pool { get; } = new StringPool();
        private readonly ImportColumn[] _groupColumns;
        private readonly string[] _headers;

        /// <summary>Fields whose values repeat across a student file: one string per distinct value is enough.</summary>
        private static readonly ImportField[] RepetitiveFields =
            { ImportField.FirstName, ImportField.Prefix, ImportField.LastName, ImportField.Group, ImportField.CreboNumber, ImportField.Gender, ImportField.BirthDate };

        private ColumnLayout(ImportKind kind, AmnProduct product, ImportColumn[] columns, ProblemList warnings)
        {
            Kind = kind;
            Product = product;
            _columns = columns;
            Warnings = warnings;
            _headers = columns.Select(c => c.Header).ToArray();
            foreach (var column in columns.Where(c => c.Field != ImportField.Ignored && c.Field != ImportField.Groups))
            {
                _single[column.Field] = column;
                _index[(int)column.Field] = column.Index;
            }
            _required = RequiredFields().ToArray();
            _requiredStudentFields = _required.Select(f => f == ImportField.Number ? null : StudentField.For(f)).ToArray();
            _groupColumns = columns.Where(c => c.Field == ImportField.Groups).ToArray();
            _fieldColumns = columns.Where(c => c.Field != ImportField.Ignored).ToArray();
            PresentFields = new HashSet<ImportField>(_fieldColumns.Select(c => c.Field == ImportField.FirstNames ? ImportField.FirstName : c.Field));
        }

        public ImportKind Kind { get; }
        public AmnProduct Product { get; }
        public IReadOnlyList<ImportColumn> Columns => _columns;
        public ProblemList Warnings { get; }
        public ISet<ImportField> PresentFields { get; }

        /// <summary>Counts how many headers of a row are recognisable, to find the header row.</summary>
        public static int CountKnownHeaders(IEnumerable<string> headers, IDictionary<string, string> columnMap)
        {
            var mapped = MapKeys(columnMap);
            return headers.Count(h => HeaderNames.IsKnown(h) || (h != null && mapped.ContainsKey(h.Trim())));
        }

        /// <summary>The kind a header row suggests: a participant number means students; otherwise roles, codes or usernames mean staff.</summary>
        public static ImportKind? InferKind(IReadOnlyList<string> headers, IDictionary<string, string> columnMap)
        {
            var fields = headers.Select(h => Map(h, ImportKind.Student, MapKeys(columnMap))).ToList();
            if (fields.Contains(ImportField.Number)) return ImportKind.Student;
            var staffFields = headers.Select(h => Map(h, ImportKind.Staff, MapKeys(columnMap))).ToList();
            if (staffFields.Contains(ImportField.Code) || staffFields.Contains(ImportField.Roles) || staffFields.Contains(ImportField.UserName) || staffFields.Contains(ImportField.Email))
                return ImportKind.Staff;
            return null;
        }

        /// <summary>
        /// True for headers of a pupil export (participant number plus birth date or gender, and no
        /// staff role or code column): reading such a file as staff would create a staff member per pupil.
        /// </summary>
        public static bool LooksLikeStudents(IReadOnlyList<string> headers, IDictionary<string, string> columnMap)
        {
            var map = MapKeys(columnMap);
            var student = headers.Select(h => Map(h, ImportKind.Student, map)).ToList();
            var staff = headers.Select(h => Map(h, ImportKind.Staff, map)).ToList();
            return student.Contains(ImportField.Number)
                   && (student.Contains(ImportField.BirthDate) || student.Contains(ImportField.Gender))
                   && !staff.Contains(ImportField.Roles) && !staff.Contains(ImportField.Code);
        }

        /// <summary>
        /// Maps headers onto fields and checks that the required columns are there. Throws an
        /// <see cref="AmnException"/> naming the source when a required column is missing or a
        /// -ColumnMap entry is wrong.
        /// </summary>
        public static ColumnLayout Create(IReadOnlyList<string> headers, ImportKind kind, AmnProduct product, IDictionary<string, string> columnMap, string source, bool requireMapKeys = true)
        {
            var map = MapKeys(columnMap);
            if (requireMapKeys)
            {
                foreach (var key in map.Keys)
                {
                    if (!headers.Any(h => string.Equals(h?.Trim(), key, StringComparison.OrdinalIgnoreCase)))
                        throw new AmnException("ColumnMapHeaderNotFound", AmnErrorCategory.InvalidArgument,
                            Messages.Format("ColumnMapColumnMissing", source, key, string.Join(", ", headers.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => "'" + h + "'"))), key);
                }
            }

            var warnings = new ProblemList();
            var columns = new ImportColumn[headers.Count];
            var taken = new Dictionary<ImportField, ImportColumn>();
            for (int i = 0; i < headers.Count; i++)
            {
                var header = headers[i]?.Trim() ?? string.Empty;
                var field = Map(header, kind, map);
                if (field == ImportField.Groups && kind == ImportKind.Student) field = ImportField.Group;
                if (field == ImportField.Group && kind == ImportKind.Staff) field = ImportField.Groups;
                if (field != ImportField.Ignored && field != ImportField.Groups && taken.TryGetValue(field, out var first))
                {
                    warnings.Add(new ImportProblem(null, header, null, "DuplicateColumn",
                        Messages.Format("ColumnFeedsSameField", source, header, field, first.Header)));
                    field = ImportField.Ignored;
                }
                columns[i] = new ImportColumn(i, header, field);
                if (field != ImportField.Ignored && field != ImportField.Groups) taken[field] = columns[i];
            }
            // Official first names only stand in for a missing call name.
            if (taken.ContainsKey(ImportField.FirstName) && taken.TryGetValue(ImportField.FirstNames, out var officialNames))
                officialNames.Field = ImportField.Ignored;

            var layout = new ColumnLayout(kind, product, columns, warnings);
            var missing = layout.RequiredFields().Where(f => !layout.PresentFields.Contains(f)
                && !(kind == ImportKind.Staff && f == ImportField.UserName && layout.PresentFields.Contains(ImportField.Email))).ToList();
            if (missing.Count > 0)
            {
                var names = string.Join(", ", missing.Select(f => "'" + HeaderNames.AmnName(f) + "'"));
                var key = (kind == ImportKind.Student ? "StudentFileMissesColumns" : "StaffFileMissesColumns") + (missing.Count == 1 ? ".One" : ".Other")
                    + (product == AmnProduct.None ? "" : "ForProduct");
                throw new AmnException("RequiredColumnMissing", AmnErrorCategory.InvalidData,
                    Messages.Format(key, source, names, product, string.Join(", ", headers.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => "'" + h.Trim() + "'")), HeaderNames.AmnName(missing[0])),
                    source);
            }
            return layout;
        }

        /// <summary>The fields that must have a value in every row.</summary>
        public IEnumerable<ImportField> RequiredFields()
        {
            if (Kind == ImportKind.Staff)
            {
                yield return ImportField.UserName;
                yield return ImportField.LastName;
                yield break;
            }
            yield return ImportField.Number;
            yield return ImportField.FirstName;
            yield return ImportField.LastName;
            if (Product == AmnProduct.Talentscan)
            {
                yield return ImportField.BirthDate;
                yield return ImportField.Gender;
                yield return ImportField.CreboNumber;
            }
            else if (Product == AmnProduct.Loopbaanleren)
            {
                yield return ImportField.BirthDate;
                yield return ImportField.UserName;
            }
        }

        /// <summary>
        /// A column's value for the error log: the cell as read when the record kept its row, else the
        /// record's normalised value for the field the column feeds (ignored columns stay empty).
        /// </summary>
        internal string LogText(ImportRecord record, ImportColumn column)
        {
            if (record.SourceValues != null) return column.Index < record.SourceValues.Length ? Values.CellText(record.SourceValues[column.Index]) : null;
            switch (record)
            {
                case StudentRecord s:
                    if (column.Field == ImportField.Number) return s.Number;
                    if (column.Field == ImportField.Group) return s.Group;
                    return StudentField.For(column.Field)?.DisplayText(s);
                case StaffRecord p:
                    switch (column.Field)
                    {
                        case ImportField.UserName: return p.UserName;
                        case ImportField.Roles: return string.Join(", ", p.Roles);
                        case ImportField.Groups:
                            var k = Array.IndexOf(_groupColumns, column);
                            return k == _groupColumns.Length - 1 ? string.Join(", ", p.Groups.Skip(k)) : k < p.Groups.Count ? p.Groups[k] : null;
                        default: return StaffField.For(column.Field)?.Get(p);
                    }
            }
            return null;
        }

        /// <summary>By cell index: true for the columns of <see cref="RepetitiveFields"/> (student files only).</summary>
        internal bool[] RepetitiveColumns()
        {
            var columns = new bool[_index.Max() + 1];
            if (Kind == ImportKind.Student)
                foreach (var field in RepetitiveFields)
                    if (_index[(int)field] >= 0) columns[_index[(int)field]] = true;
            return columns;
        }

        /// <summary>True when every non-empty cell repeats its column's header: a header line inside the data.</summary>
        [MethodImpl(HotPath.Optimize)]
        public bool IsRepeatedHeader(object[] cells)
        {
            bool any = false;
            for (int i = 0; i < cells.Length && i < _headers.Length; i++)
            {
                var text = Values.CellText(cells[i]);
                if (string.IsNullOrEmpty(text)) continue;
                if (!string.Equals(text, _headers[i], StringComparison.OrdinalIgnoreCase)) return false;
                any = true;
            }
            return any;
        }

        /// <summary>Builds and validates the record of one row.</summary>
        [MethodImpl(HotPath.Optimize)]
        public ImportRecord Build(int rowNumber, object[] cells, bool date1904, DateTime today)
        {
            ImportRecord record = Kind == ImportKind.Student ? (ImportRecord)BuildStudent(rowNumber, cells, date1904, today) : BuildStaff(rowNumber, cells);
            record.Layout = this;
            if (!record.IsValid) record.SourceValues = cells; // as read, for the error log; never written to
            record.PresentFields = PresentFields;
            return record;
        }

        /// <summary>
        /// For rows that arrive as text already decoded (piped from Import-Csv): a value with U+FFFD or
        /// the marks of UTF-8 read as Windows-1252 ("JoÃ«lle") is a row error, since the file was read
        /// with the wrong encoding before it reached the cmdlet. <paramref name="pathReadsFiles"/>: the
        /// cmdlet's -Path reads such a file itself (an import's does, Export-AmnImportFile's writes one).
        /// </summary>
        public void CheckPipedText(ImportRecord record, object[] cells, bool pathReadsFiles)
        {
            foreach (var column in Columns)
            {
                if (column.Index >= cells.Length || !(cells[column.Index] is string text) || !Values.LooksMisdecoded(text)) continue;
                record.AddError(column.Header, text, "WrongEncoding",
                    Messages.Format(text.IndexOf('\uFFFD') >= 0 ? "PipedReplacementCharacter" : "PipedUtf8AsWindows1252", record.RowNumber, column.Header, text)
                    + (pathReadsFiles ? Messages.Get("PipedEncodingReadFromPath") : ""));
                record.SourceValues = cells;
                return;
            }
        }

        [MethodImpl(HotPath.Optimize)]
        private StudentRecord BuildStudent(int rowNumber, object[] cells, bool date1904, DateTime today)
        {
            var record = new StudentRecord { RowNumber = rowNumber };
            record.Number = Text(record, cells, ImportField.Number);
            record.FirstName = Pool.Get(Text(record, cells, ImportField.FirstName) ?? FirstWord(Text(record, cells, ImportField.FirstNames)));
            record.Prefix = Pool.Get(Text(record, cells, ImportField.Prefix));
            record.LastName = Pool.Get(Text(record, cells, ImportField.LastName));
            record.Group = Pool.Get(Values.GroupName(Text(record, cells, ImportField.Group)));
            record.CreboNumber = Pool.Get(Text(record, cells, ImportField.CreboNumber));
            record.Email = Text(record, cells, ImportField.Email);
            record.UserName = Text(record, cells, ImportField.UserName);

            if (_single.TryGetValue(ImportField.BirthDate, out var dateColumn))
            {
                var cell = Cell(cells, dateColumn);
                record.BirthDate = Values.ParseDate(cell, date1904, today, out var reason);
                if (reason != null)
                    record.AddError(dateColumn.Header, Values.CellText(cell), "InvalidDate", Messages.Format("CellProblem", rowNumber, dateColumn.Header, Values.CellText(cell), reason));
            }
            var genderText = Text(record, cells, ImportField.Gender);
            if (genderText != null)
            {
                record.Gender = Values.NormalizeGender(genderText);
                if (record.Gender == null)
                    record.AddError(Header(ImportField.Gender), genderText, "InvalidGender", Messages.Format("InvalidGender", rowNumber, Header(ImportField.Gender), genderText));
            }
            CheckEmail(record, ImportField.Email, record.Email, "InvalidEmail", "NotAnEmailAddress");
            CheckEmail(record, ImportField.UserName, record.UserName, "InvalidUserName", "NotAUserName");
            for (int i = 0; i < _required.Length; i++)
            {
                var field = _requiredStudentFields[i];
                if (field == null ? record.Number == null : !field.HasValue(record)) AddMissing(record, _required[i]);
            }
            return record;
        }

        [MethodImpl(HotPath.Optimize)]
        private StaffRecord BuildStaff(int rowNumber, object[] cells)
        {
            var record = new StaffRecord { RowNumber = rowNumber };
            record.Email = Text(record, cells, ImportField.Email);
            var userName = Text(record, cells, ImportField.UserName);
            record.UserName = userName ?? record.Email;
            record.Code = Text(record, cells, ImportField.Code);
            record.FirstName = Text(record, cells, ImportField.FirstName) ?? FirstWord(Text(record, cells, ImportField.FirstNames));
            record.Prefix = Text(record, cells, ImportField.Prefix);
            record.LastName = Text(record, cells, ImportField.LastName);

            var roleText = Text(record, cells, ImportField.Roles);
            var roles = new List<string>();
            foreach (var part in Values.SplitList(roleText))
            {
                var role = Values.NormalizeRole(part);
                if (role == null)
                    record.AddError(Header(ImportField.Roles), part, "UnknownRole", Messages.Format("UnknownRole", rowNumber, Header(ImportField.Roles), part, string.Join(", ", Values.KnownRoles)));
                else if (!roles.Contains(role)) roles.Add(role);
            }
            record.Roles = roles.ToArray();

            var groups = new List<string>();
            foreach (var column in _groupColumns)
            {
                var text = Values.CellText(Cell(cells, column));
                if (string.IsNullOrEmpty(text)) continue;
                Values.Nfc(text, out var control);
                if (control != null) { InvalidCharacter(record, column.Header, text, control.Value); continue; }
                foreach (var group in Values.SplitList(text))
                    if (!groups.Any(g => string.Equals(g, group, StringComparison.OrdinalIgnoreCase))) groups.Add(group);
            }
            record.Groups = groups.ToArray();

            CheckEmail(record, ImportField.Email, record.Email, "InvalidEmail", "NotAnEmailAddress");
            var userNameColumn = _single.ContainsKey(ImportField.UserName) && userName != null ? ImportField.UserName : ImportField.Email;
            if (userNameColumn == ImportField.UserName || record.Email == null || Values.IsEmailAddress(record.Email))
                CheckEmail(record, userNameColumn, record.UserName, "InvalidUserName", "NotAUserName");
            if (record.UserName == null) AddMissing(record, ImportField.UserName);
            if (record.LastName == null) AddMissing(record, ImportField.LastName);
            return record;
        }

        private void CheckEmail(ImportRecord record, ImportField field, string value, string errorId, string problemKey)
        {
            if (value == null || Values.IsEmailAddress(value)) return;
            var header = Header(field);
            record.AddError(header, value, errorId, Messages.Format("CellProblem", record.RowNumber, header, value, Messages.Get(problemKey)));
        }

        private void AddMissing(ImportRecord record, ImportField field)
        {
            var header = Header(field) ?? HeaderNames.AmnName(field);
            if (record.Errors.Any(e => e.Column == header)) return; // already reported as invalid
            var forProduct = Product != AmnProduct.None && field != ImportField.Number && field != ImportField.FirstName && field != ImportField.LastName && Kind == ImportKind.Student;
            record.AddError(header, null, "MissingRequiredField", Messages.Format(forProduct ? "RequiredFieldEmptyForProduct" : "RequiredFieldEmpty", record.RowNumber, header, HeaderNames.AmnName(field), Product));
        }

        private string Header(ImportField field)
        {
            if (_single.TryGetValue(field, out var column)) return column.Header;
            if (field == ImportField.FirstName && _single.TryGetValue(ImportField.FirstNames, out column)) return column.Header;
            if (field == ImportField.UserName && _single.TryGetValue(ImportField.Email, out column)) return column.Header;
            return null;
        }

        /// <summary>The text of a field's cell in NFC, or null when empty; a control character or half a surrogate pair in it is a row error (InvalidCharacter).</summary>
        [MethodImpl(HotPath.Optimize)]
        private string Text(ImportRecord record, object[] cells, ImportField field)
        {
            var index = _index[(int)field];
            if (index < 0 || index >= cells.Length) return null;
            var text = Values.CellText(cells[index]);
            if (string.IsNullOrEmpty(text)) return null;
            text = Values.Nfc(text, out var control);
            if (control != null) InvalidCharacter(record, _headers[index], text, control.Value);
            return text;
        }

        private static void InvalidCharacter(ImportRecord record, string header, string text, char control)
            => record.AddError(header, text, "InvalidCharacter",
                Messages.Format(char.IsSurrogate(control) ? "HalfSurrogatePair" : "ControlCharacter", record.RowNumber, header, (int)control));

        private static object Cell(object[] cells, ImportColumn column) => column.Index < cells.Length ? cells[column.Index] : null;

        private static string FirstWord(string names)
        {
            if (names == null) return null;
            var space = names.IndexOf(' ');
            return space < 0 ? names : names.Substring(0, space);
        }

        private static ImportField Map(string header, ImportKind kind, Dictionary<string, ImportField> map)
        {
            if (header != null && map.TryGetValue(header.Trim(), out var mapped)) return mapped;
            return HeaderNames.Recognize(header, kind);
        }

        private static Dictionary<string, ImportField> MapKeys(IDictionary<string, string> columnMap)
        {
            var result = new Dictionary<string, ImportField>(StringComparer.OrdinalIgnoreCase);
            if (columnMap == null) return result;
            foreach (var entry in columnMap)
            {
                var field = HeaderNames.ParseFieldName(entry.Value);
                if (field == null)
                    throw new AmnException("InvalidColumnMap", AmnErrorCategory.InvalidArgument,
                        Messages.Format("ColumnMapNotAField", entry.Key, entry.Value), entry.Key);
                result[entry.Key.Trim()] = field.Value;
            }
            return result;
        }
    }
}
