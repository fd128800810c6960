using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Amn.Rollover.Core.Export;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;
using ExcelDataReader;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    public class XlsxRowSourceTests
    {
        /// <summary>Every non-empty row by its number, each cell as the importer sees it (its text).</summary>
        private static Dictionary<int, string[]> Ours(string path)
        {
            var rows = new Dictionary<int, string[]>();
            using var stream = File.OpenRead(path);
            using var source = XlsxRowSource.Open(stream, path, null, out _);
            while (source.Read()) rows[source.RowNumber] = Trimmed(source.Cells);
            return rows;
        }

        private static Dictionary<int, string[]> ExcelDataReaders(string path, bool date1904)
        {
            var rows = new Dictionary<int, string[]>();
            using var stream = File.OpenRead(path);
            _ = TextFormat.Windows1252; // registers the code pages ExcelDataReader asks for
            using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
            int row = 0;
            while (reader.Read())
            {
                row++;
                var cells = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i))
                    .Select(v => date1904 && v is DateTime d ? d.AddDays(1462) : v).ToArray(); // ExcelDataReader 3.6 ignores the 1904 system
                var text = Trimmed(cells);
                if (text.Length > 0) rows[row] = text;
            }
            return rows;
        }

        private static string[] Trimmed(object[] cells)
        {
            var text = cells.Select(c => Values.CellText(c) ?? "").ToList();
            while (text.Count > 0 && text[text.Count - 1].Length == 0) text.RemoveAt(text.Count - 1);
            return text.ToArray();
        }

        [Theory]
        [InlineData("students.xlsx", false)]   // ExcelJS: shared strings, cell references, date styles, title rows
        [InlineData("students-1904.xlsx", true)] // SheetJS: the 1904 date system
        [InlineData("staff.xlsx", false)]
        public void Reads_the_fixture_workbooks_as_ExcelDataReader_does(string fixture, bool date1904)
        {
            var expected = ExcelDataReaders(Fixture(fixture), date1904);
            var actual = Ours(Fixture(fixture));
            Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
            foreach (var row in expected.Keys) Assert.Equal(expected[row], actual[row]);
        }

        [Fact]
        public void Reads_a_workbook_without_cell_references_as_ExcelDataReader_does()
        {
            using var temp = new TempFolder();
            var path = temp.File("amn.xlsx"); // SpreadCheetah writes inline strings and no cell references
            var pupils = new[]
            {
                new Student { Number = "000123", FirstName = "Zoë", LastName = "Jansen", BirthDate = new DateTime(2011, 3, 14), Gender = "V", Group = "H4a" },
                new Student { Number = "000124", FirstName = "Daniël", Prefix = "van der", LastName = "Berg", Email = "d@x.nl" },
            };
            AmnImportFileWriter.WriteStudents(path, pupils, ',');
            var expected = ExcelDataReaders(path, false);
            var actual = Ours(path);
            Assert.Equal(expected.Keys, actual.Keys);
            foreach (var row in expected.Keys) Assert.Equal(expected[row], actual[row]);
            Assert.Equal("2011-03-14", actual[2][4]);
        }

        [Theory]
        [InlineData("dd-mm-yyyy", true)]
        [InlineData("yyyy\\-mm\\-dd\\ hh:mm:ss", true)]
        [InlineData("[$-413]d mmmm yyyy", true)]
        [InlineData("[h]:mm", true)]
        [InlineData("0.00", false)]
        [InlineData("\"Day\" 0", false)]
        [InlineData("[Red]#,##0;[Blue]-#,##0", false)]
        [InlineData("@", false)]
        [InlineData("General", false)]
        public void Tells_date_formats_from_number_formats(string code, bool isDate)
        {
            Assert.Equal(isDate, XlsxRowSource.IsDateFormat(code));
        }
    }
}
