using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Amn.Rollover.Core.Export;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Tests
{
    public class ExportTests
    {
        private static readonly Student[] Pupils =
        {
            new Student { Number = "000123", FirstName = "Zoë", LastName = "Jansen", BirthDate = new DateTime(2011, 3, 14), Gender = "V", Group = "H4a", Email = "zoe@x.nl" },
            new Student { Number = "000124", FirstName = "=cmd|' /C calc'!A0", Prefix = "van der", LastName = "-Berg", Group = "H4b" },
        };

        [Theory]
        [InlineData("=SUM(A1)", "'=SUM(A1)")]
        [InlineData("+31 6", "'+31 6")]
        [InlineData("-Berg", "'-Berg")]
        [InlineData("@home", "'@home")]
        [InlineData("\tx", "'\tx")]
        [InlineData("Zoë", "Zoë")]
        [InlineData("", "")]
        public void Neutralises_cells_a_spreadsheet_would_run(string value, string written)
        {
            Assert.Equal(written, AmnImportFileWriter.NeutraliseFormula(value));
        }

        [Fact]
        public void Writes_a_csv_with_bom_amn_headers_and_day_first_dates()
        {
            using var temp = new TempFolder();
            var path = temp.File("amn.csv");
            AmnImportFileWriter.WriteStudents(path, Pupils, ',');
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes.Take(3));
            var lines = File.ReadAllLines(path, Encoding.UTF8);
            Assert.Equal(string.Join(",", AmnImportFileWriter.StudentHeaders), lines[0]);
            Assert.Equal("000123,Zoë,,Jansen,14-03-2011,V,H4a,,zoe@x.nl,", lines[1]);
            Assert.StartsWith("000124,'=cmd|' /C calc'!A0,van der,'-Berg,", lines[2]);
        }

        [Fact]
        public void Writes_an_xlsx_of_text_and_date_cells_without_formulas_that_reads_back()
        {
            using var temp = new TempFolder();
            var path = temp.File("amn.xlsx");
            AmnImportFileWriter.WriteStudents(path, Pupils, ',');
            using (var zip = ZipFile.OpenRead(path))
            {
                var sheet = new StreamReader(zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/")).Open()).ReadToEnd();
                Assert.DoesNotContain("<f>", sheet);
                Assert.Contains("<col ", sheet); // column widths
            }
            var records = ReaderTestFiles.Students(path);
            Assert.Equal(new[] { "000123", "000124" }, records.Select(r => r.Number));
            Assert.Equal(new DateTime(2011, 3, 14), records[0].BirthDate);
            Assert.Equal("=cmd|' /C calc'!A0", records[1].FirstName);
        }

        [Fact]
        public void Staff_get_one_klas_column_per_link_of_the_most_linked()
        {
            using var temp = new TempFolder();
            var path = temp.File("staff.csv");
            AmnImportFileWriter.WriteStaff(path, new[]
            {
                new Staff { UserName = "a@x.nl", LastName = "A", Roles = new[] { "mentor", "docent" }, Groups = new[] { "H4a", "H4b", "V5c" } },
                new Staff { UserName = "b@x.nl", LastName = "B", Roles = new string[0], Groups = new[] { "H4a" } },
            }, ';');
            var lines = File.ReadAllLines(path);
            Assert.Equal("gebruikersnaam;voornaam;voorvoegsel;achternaam;email;rol;klas;klas;klas", lines[0]);
            Assert.Equal("a@x.nl;;;A;;mentor, docent;H4a;H4b;V5c", lines[1]);
            var staff = ReaderTestFiles.Staff(path);
            Assert.Equal(new[] { "H4a", "H4b", "V5c" }, staff[0].Groups);
            Assert.Equal(new[] { "mentor", "docent" }, staff[0].Roles);
        }

        [Fact]
        public void Refuses_other_formats()
        {
            Assert.Equal("UnsupportedExportFormat", Assert.Throws<AmnException>(() => AmnImportFileWriter.IsXlsx("amn.xls")).ErrorId);
        }
    }
}
