using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;
using CsvHelper;
using CsvHelper.Configuration;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Amn.Rollover.Core.Export
{
    /// <summary>
    /// Writes files in AMN's own import format, to upload into the AMN web program: AMN's field names
    /// as headers; CSV (UTF-8 with BOM, dates dd-MM-yyyy, formula-like cells neutralised) or xlsx
    /// (real date cells, every other value a text cell, never a formula).
    /// </summary>
    public static class AmnImportFileWriter
    {
        public static readonly string[] StudentHeaders = { "deelnemersnummer", "voornaam", "voorvoegsel", "achternaam", "geboortedatum", "geslacht", "groep", "crebonummer", "email", "gebruikersnaam" };
        public static readonly string[] StaffHeaders = { "gebruikersnaam", "voornaam", "voorvoegsel", "achternaam", "email", "rol" };

        /// <summary>Characters that make Excel and other spreadsheets read a CSV cell as a formula.</summary>
        private static readonly char[] FormulaStarts = { '=', '+', '-', '@', '\t', '\r' };

        public static void WriteStudents(string path, IEnumerable<Student> students, char delimiter)
        {
            var rows = students.Select(s => new object[] { s.Number, s.FirstName, s.Prefix, s.LastName, s.BirthDate, s.Gender, s.Group, s.CreboNumber, s.Email, s.UserName });
            Write(path, StudentHeaders, rows.ToList(), delimiter);
        }

        /// <summary>One klas column per linked group, as many as the most-linked staff member needs.</summary>
        public static void WriteStaff(string path, IReadOnlyCollection<Staff> staff, char delimiter)
        {
            var linkColumns = staff.Count == 0 ? 0 : staff.Max(s => s.Groups.Count);
            var headers = StaffHeaders.Concat(Enumerable.Repeat("klas", linkColumns)).ToArray();
            var rows = staff.Select(s => new object[] { s.UserName, s.FirstName, s.Prefix, s.LastName, s.Email, string.Join(", ", s.Roles) }
                .Concat(Enumerable.Range(0, linkColumns).Select(i => (object)(i < s.Groups.Count ? s.Groups[i] : null))).ToArray());
            Write(path, headers, rows.ToList(), delimiter);
        }

        /// <summary>The format a path asks for; anything but .csv/.txt/.xlsx is refused.</summary>
        public static bool IsXlsx(string path)
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension == ".xlsx") return true;
            if (extension == ".csv" || extension == ".txt") return false;
            throw new AmnException("UnsupportedExportFormat", AmnErrorCategory.InvalidArgument, Messages.Format("ExportNeedsCsvOrXlsx", path), path);
        }

        /// <summary>Text for a CSV cell: a leading =, +, -, @, tab or carriage return gets a ' in front, so no spreadsheet runs it.</summary>
        public static string NeutraliseFormula(string value)
            => string.IsNullOrEmpty(value) || Array.IndexOf(FormulaStarts, value[0]) < 0 ? value : "'" + value;

        private static void Write(string path, string[] headers, List<object[]> rows, char delimiter)
        {
            var xlsx = IsXlsx(path);
            OutputFile.Write(path, stream =>
            {
                if (xlsx) WriteXlsx(stream, headers, rows);
                else WriteCsv(stream, headers, rows, delimiter);
            }, "ExportNotWritten", Messages.Get("TheExport"));
        }

        private static void WriteCsv(Stream stream, string[] headers, List<object[]> rows, char delimiter)
        {
            var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter.ToString(), InjectionOptions = InjectionOptions.None };
            using (var writer = new StreamWriter(stream, new UTF8Encoding(true)))
            using (var csv = new CsvWriter(writer, configuration))
            {
                foreach (var header in headers) csv.WriteField(header);
                csv.NextRecord();
                foreach (var row in rows)
                {
                    foreach (var value in row)
                        csv.WriteField(value is DateTime date ? date.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture) : NeutraliseFormula((string)value));
                    csv.NextRecord();
                }
            }
        }

        private static void WriteXlsx(Stream stream, string[] headers, List<object[]> rows)
        {
            var book = Spreadsheet.CreateNewAsync(stream).AsTask().GetAwaiter().GetResult();
            var options = new WorksheetOptions { FrozenRows = 1 };
            for (int column = 0; column < headers.Length; column++)
            {
                var longest = Math.Max(headers[column].Length, rows.Count == 0 ? 0 : rows.Max(r => r[column] is DateTime ? 10 : ((string)r[column])?.Length ?? 0));
                options.Column(column + 1).Width = Math.Min(60, longest + 2);
            }
            book.StartWorksheetAsync("AMN", options).AsTask().GetAwaiter().GetResult();
            var bold = book.AddStyle(new Style { Font = { Bold = true } });
            var date = book.AddStyle(new Style { Format = NumberFormat.Custom("dd-mm-yyyy") });
            book.AddRowAsync(headers.Select(h => new Cell(h, bold)).ToArray()).AsTask().GetAwaiter().GetResult();
            var cells = new Cell[headers.Length];
            foreach (var row in rows)
            {
                for (int i = 0; i < row.Length; i++)
                    cells[i] = row[i] is DateTime d ? new Cell(d, date) : new Cell((string)row[i]); // text, never a formula
                book.AddRowAsync(cells).AsTask().GetAwaiter().GetResult();
            }
            book.FinishAsync().AsTask().GetAwaiter().GetResult();
            book.Dispose();
        }
    }
}
