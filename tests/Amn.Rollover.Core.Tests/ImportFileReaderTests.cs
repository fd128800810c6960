using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Amn.Rollover.Core.Files;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    public class CsvFormatTests
    {
        [Theory]
        [InlineData(";")]
        [InlineData(",")]
        [InlineData("\t")]
        [InlineData("|")]
        public void Sniffs_the_delimiter_from_the_header_line(string delimiter)
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv",
                string.Join(delimiter, "Stamnummer", "Roepnaam", "Achternaam", "Klas"),
                string.Join(delimiter, "001", "Jan", "\"Jansen" + (delimiter == "," ? ";" : ",") + " Sr.\"", "H4a"));
            var (report, records) = Read(path);
            Assert.Equal(delimiter, report.Delimiter);
            var student = Assert.IsType<StudentRecord>(Assert.Single(records));
            Assert.Equal("001", student.Number);
            Assert.Equal("Jansen" + (delimiter == "," ? ";" : ",") + " Sr.", student.LastName);
            Assert.Equal("H4a", student.Group);
        }

        [Fact]
        public void Quotes_are_respected_when_sniffing()
        {
            using var temp = new TempFolder();
            // Three semicolons inside one quoted header, two real commas: the delimiter is the comma.
            var path = WriteUtf8(temp, "l.csv", "\"Naam;met;drie;puntkommas\",Stamnummer,Roepnaam,Achternaam", "x,1,Jan,Smit");
            Assert.Equal(",", Read(path).Report.Delimiter);
        }

        [Fact]
        public void A_list_of_groups_in_one_cell_does_not_outvote_the_delimiter_of_every_line()
        {
            var lines = new[]
            {
                "gebruikersnaam;voornaam;achternaam;rol;klas",
                "m1@school.nl;Mia;Mentor;mentor;H4a",
                "d1@school.nl;Anna;Docent;docent;M1a, M2a, M3a, M4a, H1a, H2a, H3a",
                "d2@school.nl;Bert;Docent;docent;H4a, H5a, V1a, V2a, V3a, V4a, V5a, V6a",
            };
            Assert.Equal(';', TextFormat.SniffDelimiter(lines));
        }

        [Fact]
        public void Delimiter_parameter_overrides_the_sniffing()
        {
            using var temp = new TempFolder();
            // More semicolons than commas, yet the file is comma-separated with semicolons inside its values.
            var path = WriteUtf8(temp, "l.csv", "Stamnummer,Roepnaam,Achternaam,Notitie;a;b;c;d", "1,Jan,Smit,x;y;z;w;v");
            Assert.Equal(';', TextFormat.SniffDelimiter(File.ReadLines(path).Take(1)));
            var records = Students(path, new ImportFileOptions { Delimiter = ',' });
            Assert.Equal(("1", "Smit"), (records[0].Number, records[0].LastName));
        }

        [Fact]
        public void A_file_that_parses_as_one_column_is_an_error()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "Stamnummer;Roepnaam;Achternaam", "1;Jan;Smit");
            var error = Assert.Throws<AmnException>(() => ImportFileReader.Open(path, new ImportFileOptions { Delimiter = ',' }));
            Assert.Equal("SingleColumnParse", error.ErrorId);
            Assert.Contains(path, error.Message);
        }

        [Fact]
        public void A_single_column_read_of_a_recognisable_header_names_the_right_delimiter()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "Titel: export", "Stamnummer;Roepnaam;Achternaam", "1;Jan;Smit");
            var error = Assert.Throws<AmnException>(() => ImportFileReader.Open(path, new ImportFileOptions { Delimiter = '|' }));
            Assert.Equal("SingleColumnParse", error.ErrorId);
            Assert.Contains("-Delimiter ';'", error.Message);
        }

        public static TheoryData<string, bool> Encodings => new TheoryData<string, bool>
        {
            { "utf-8", true }, { "utf-8", false }, { "utf-16LE", true }, { "utf-16BE", true }, { "windows-1252", false },
        };

        [Theory]
        [MemberData(nameof(Encodings))]
        public void Reads_every_encoding_with_diacritics_intact_and_no_bom_in_the_header(string encodingName, bool bom)
        {
            using var temp = new TempFolder();
            var encoding = TextFormat.ParseEncoding(encodingName);
            var path = WriteCsv(temp, "l.csv", "Stamnummer;Roepnaam;Tussenv;Achternaam\r\n1;Zoë;;Jansen\r\n2;Daniël;van;Çelik\r\n", encoding, bom);
            var (report, records) = Read(path);
            Assert.Equal(encodingName, report.Encoding);
            Assert.Equal("Stamnummer", report.Columns[0].Header);
            Assert.Equal(ImportField.Number, report.Columns[0].Field);
            var students = records.Cast<StudentRecord>().ToArray();
            Assert.Equal(new[] { "Zoë", "Daniël" }, students.Select(s => s.FirstName));
            Assert.Equal("Çelik", students[1].LastName);
        }

        [Fact]
        public void Windows1252_accents_late_in_a_large_file_are_still_detected()
        {
            using var temp = new TempFolder();
            var text = new StringBuilder("Stamnummer;Roepnaam;Achternaam\r\n");
            for (int i = 0; i < 20000; i++) text.Append(i).Append(";Jan;Smit\r\n");
            text.Append("99999;Zoë;Jansen\r\n");
            var path = WriteCsv(temp, "l.csv", text.ToString(), TextFormat.Windows1252, bom: false);
            var records = Students(path);
            Assert.Equal("Zoë", records.Last().FirstName);
        }

        [Fact]
        public void Encoding_parameter_overrides_the_detection()
        {
            using var temp = new TempFolder();
            var path = WriteCsv(temp, "l.csv", "Stamnummer;Roepnaam;Achternaam\r\n1;Zoë;Smit\r\n", new UTF8Encoding(false), bom: false);
            var (report, records) = Read(path, new ImportFileOptions { Encoding = "windows-1252" });
            Assert.Equal("windows-1252", report.Encoding);
            Assert.Equal("ZoÃ«", ((StudentRecord)records[0]).FirstName);
        }

        [Fact]
        public void Row_numbers_are_lines_as_a_text_editor_shows_them()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv",
                "Leerlingen export 2026",          // 1: title
                "",                                // 2
                "Stamnummer;Roepnaam;Achternaam;Klas", // 3: header
                "1;Jan;\"Smit\nde Tweede\";H4a",   // 4-5: a quoted newline
                "",                                // 6
                "2;Piet;Jansen;H4b",               // 7
                "Stamnummer;Roepnaam;Achternaam;Klas", // 8: repeated header
                "3;Kees;Bakker;H4c");              // 9
            var (report, records) = Read(path);
            Assert.Equal(3, report.HeaderRow);
            Assert.Equal(new[] { 4, 7, 9 }, records.Select(r => r.RowNumber));
        }

        [Fact]
        public void Empty_trailing_columns_and_blank_rows_are_ignored()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "Stamnummer;Roepnaam;Achternaam;;;", "1;Jan;Smit;;;", ";;;;;", "2;Piet;Jansen;;;");
            var (report, records) = Read(path);
            Assert.Equal(3, report.Columns.Count);
            Assert.Equal(2, records.Length);
            Assert.All(records, r => Assert.True(r.IsValid));
        }
    }

    public class WorkbookTests
    {
        [Fact]
        public void Reads_an_xlsx_below_its_title_rows_with_ids_as_integer_text_and_dates()
        {
            var (report, records) = Read(Fixture("students.xlsx"));
            Assert.Equal(FileFormat.Xlsx, report.Format);
            Assert.Equal("Leerlingen", report.Worksheet);
            Assert.Equal(3, report.HeaderRow);
            Assert.Equal(8, report.Columns.Count); // the empty trailing header column is dropped
            var students = records.Cast<StudentRecord>().ToArray();
            Assert.Equal(new[] { 4, 5, 6, 9 }, students.Select(s => s.RowNumber));
            Assert.Equal(new[] { "123456", "2024000123", "001234", "123457" }, students.Select(s => s.Number));
            Assert.Equal(new DateTime(2011, 3, 14), students[0].BirthDate);
            Assert.Equal(new DateTime(2010, 12, 31), students[1].BirthDate);
            Assert.Equal(new DateTime(2010, 10, 1), students[2].BirthDate); // serial 40452 in a General cell
            Assert.Equal(new DateTime(2011, 1, 1), students[3].BirthDate);
            Assert.Equal(new[] { "V", "M", "M", "V" }, students.Select(s => s.Gender));
            Assert.Equal("van der", students[1].Prefix);
            Assert.Equal("Çelik", students[2].LastName);
            Assert.Null(students[3].Email);
            Assert.All(students, s => Assert.True(s.IsValid, s.Errors.ToString()));
        }

        [Fact]
        public void Picks_a_worksheet_by_name_and_infers_staff()
        {
            var (report, records) = Read(Fixture("students.xlsx"), new ImportFileOptions { Worksheet = "personeel" });
            Assert.Equal("Personeel", report.Worksheet);
            Assert.Equal(ImportKind.Staff, report.Kind);
            var staff = Assert.IsType<StaffRecord>(Assert.Single(records));
            Assert.Equal(new[] { "H4a", "H4b" }, staff.Groups);
        }

        [Fact]
        public void Lists_worksheet_names_for_completion_and_none_for_a_damaged_workbook()
        {
            Assert.Equal(new[] { "Leerlingen", "Personeel" }, ImportFileReader.WorksheetNames(Fixture("students.xlsx")));
            Assert.Empty(ImportFileReader.WorksheetNames(Fixture("damaged.xlsx")));
        }

        [Fact]
        public void Names_the_worksheets_when_the_one_asked_for_is_missing()
        {
            var error = Assert.Throws<AmnException>(() => ImportFileReader.Open(Fixture("students.xlsx"), new ImportFileOptions { Worksheet = "Blad9" }));
            Assert.Equal("WorksheetNotFound", error.ErrorId);
            Assert.Contains("'Leerlingen', 'Personeel'", error.Message);
        }

        [Fact]
        public void Honours_the_1904_date_system()
        {
            var students = Students(Fixture("students-1904.xlsx"));
            Assert.Equal(new DateTime(2010, 1, 1), students[0].BirthDate); // date cell 38717 (1904) = 40179 (1900)
            Assert.Equal(new DateTime(2010, 1, 2), students[1].BirthDate); // bare serial 38718
        }

        [Fact]
        public void Reads_a_legacy_xls_workbook()
        {
            var (report, records) = Read(Fixture("students.xls"));
            Assert.Equal(FileFormat.Xls, report.Format);
            var students = records.Cast<StudentRecord>().ToArray();
            Assert.Equal(new[] { "98765", "0456" }, students.Select(s => s.Number));
            Assert.Equal(new DateTime(2010, 1, 1), students[0].BirthDate);
            Assert.Equal(new DateTime(2010, 3, 2), students[1].BirthDate);
            Assert.Equal(new[] { "M", "V" }, students.Select(s => s.Gender));
            Assert.Equal("Öztürk", students[1].LastName);
            Assert.Equal("w1a", students[0].Group);
        }

        [Fact]
        public void Reads_staff_with_repeated_klas_columns_role_lists_and_email_as_username()
        {
            var staff = Staff(Fixture("staff.xlsx"));
            Assert.Equal("j.bakker@school.example.nl", staff[0].UserName);
            Assert.Equal("BAK", staff[0].Code);
            Assert.Equal(new[] { "mentor", "docent" }, staff[0].Roles);
            Assert.Equal(new[] { "H4a", "H4b" }, staff[0].Groups);
            Assert.Equal("e.devries@school.example.nl", staff[1].UserName); // no username: the e-mail serves
            Assert.Equal(new[] { "V5b", "V5c" }, staff[1].Groups);
            Assert.All(staff, s => Assert.True(s.IsValid, s.Errors.ToString()));
        }

        [Fact]
        public void A_damaged_workbook_is_an_error_naming_the_file()
        {
            var error = Assert.Throws<AmnException>(() => Read(Fixture("damaged.xlsx")));
            Assert.Equal("UnreadableWorkbook", error.ErrorId);
            Assert.Contains("damaged.xlsx", error.Message);
        }

        [Fact]
        public void A_csv_renamed_to_xlsx_is_an_error_naming_the_file()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "leerlingen.xlsx", "Stamnummer;Roepnaam;Achternaam");
            Assert.Equal("UnreadableWorkbook", Assert.Throws<AmnException>(() => ImportFileReader.Open(path)).ErrorId);
        }
    }

    public class FileProblemTests
    {
        [Fact]
        public void A_missing_file_is_an_error_naming_it()
        {
            var error = Assert.Throws<AmnException>(() => ImportFileReader.Open("/nonexistent/leerlingen.csv"));
            Assert.Equal("FileNotFound", error.ErrorId);
            Assert.Contains("leerlingen.csv", error.Message);
        }

        [Fact]
        public void An_empty_file_is_an_error_and_a_header_only_file_has_no_rows()
        {
            using var temp = new TempFolder();
            var empty = WriteUtf8(temp, "leeg.csv");
            Assert.Equal("EmptyFile", Assert.Throws<AmnException>(() => ImportFileReader.Open(empty)).ErrorId);
            var headerOnly = WriteUtf8(temp, "kop.csv", "Stamnummer;Roepnaam;Achternaam");
            using var reader = ImportFileReader.Open(headerOnly);
            Assert.Empty(reader.ReadRecords());
        }

        [Fact]
        public void Excels_sep_hint_line_is_skipped_like_a_title()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "sep=;", "Stamnummer;Roepnaam;Achternaam", "1;Jan;Smit");
            var (report, records) = Read(path);
            Assert.Equal((";", 2), (report.Delimiter, report.HeaderRow));
            Assert.Equal("Jan", ((StudentRecord)Assert.Single(records)).FirstName);
        }

        [Fact]
        public void No_recognisable_header_row_is_an_error()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "a;b;c", "1;2;3");
            var error = Assert.Throws<AmnException>(() => ImportFileReader.Open(path));
            Assert.Equal("HeaderRowNotFound", error.ErrorId);
            Assert.Contains(path, error.Message);
        }

        [Fact]
        public void A_missing_required_column_is_an_error_naming_the_file_and_column()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "Stamnummer;Roepnaam;Klas", "1;Jan;H4a");
            var error = Assert.Throws<AmnException>(() => ImportFileReader.Open(path));
            Assert.Equal("RequiredColumnMissing", error.ErrorId);
            Assert.Contains(path, error.Message);
            Assert.Contains("'achternaam'", error.Message);
        }

        [Fact]
        public void A_product_adds_required_columns()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "Stamnummer;Roepnaam;Achternaam;Geboortedatum", "1;Jan;Smit;1-1-2010");
            var error = Assert.Throws<AmnException>(() => ImportFileReader.Open(path, new ImportFileOptions { Product = AmnProduct.Talentscan }));
            Assert.Contains("'geslacht', 'crebonummer'", error.Message);
            Assert.Contains("Talentscan", error.Message);
        }
    }

    public class HeaderRecognitionTests
    {
        [Theory]
        [InlineData("stamnr;roepnaam;tussenv;achternaam;geb_datum_str;geslacht;klas", "H4a")]                             // Magister
        [InlineData("Leerlingnummer;Roepnaam;Voorvoegsel;Achternaam;Geboortedatum;Geslacht;Stamgroep", "H4a")]             // Somtoday
        [InlineData("Nummer;Roepnaam;Voorvoegsel;Achternaam;Geboortedatum;Geslacht;Plaatsingsgroep (naam);E-mail", "H4a")] // Eduarte
        [InlineData("leerlingNummer;roepNaam;tussenvoegsel;achternaam;geboortedatum;geslacht;groep", "H4a")]               // ParnasSys
        [InlineData("identifier;givenName;middleName;familyName;birthDate;sex;class", "H4a")]                                // OneRoster-like
        public void Recognises_the_headers_of_each_sis(string header, string group)
        {
            using var temp = new TempFolder();
            var values = "4711;Jan;van;Dijk;2010-05-01;1;" + group + (header.Count(c => c == ';') == 7 ? ";jan@example.nl" : "");
            var path = WriteUtf8(temp, "l.csv", header, values);
            var (report, records) = Read(path);
            Assert.Equal(ImportKind.Student, report.Kind);
            var student = (StudentRecord)Assert.Single(records);
            Assert.Equal("4711", student.Number);
            Assert.Equal("Jan", student.FirstName);
            Assert.Equal("Dijk", student.LastName);
            Assert.Equal(new DateTime(2010, 5, 1), student.BirthDate);
            Assert.Equal("M", student.Gender);
            Assert.Equal(group, student.Group);
        }

        [Fact]
        public void ColumnMap_overrides_and_ignores_columns()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "Leerling ID;Roepnaam;Achternaam;Klas;Oude klas", "77;Jan;Smit;H4a;H3a");
            var (report, records) = Read(path, new ImportFileOptions
            {
                ColumnMap = new System.Collections.Generic.Dictionary<string, string> { ["Leerling ID"] = "deelnemersnummer", ["Klas"] = "Negeren", ["Oude klas"] = "Group" },
            });
            var student = (StudentRecord)Assert.Single(records);
            Assert.Equal("77", student.Number);
            Assert.Equal("H3a", student.Group);
            Assert.Equal(ImportField.Ignored, report.Columns[3].Field);
        }

        [Fact]
        public void ColumnMap_with_an_unknown_field_or_header_is_an_error()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "Stamnummer;Roepnaam;Achternaam", "1;Jan;Smit");
            Assert.Equal("InvalidColumnMap", Assert.Throws<AmnException>(() => ImportFileReader.Open(path, new ImportFileOptions { ColumnMap = new System.Collections.Generic.Dictionary<string, string> { ["Roepnaam"] = "bijnaam" } })).ErrorId);
            Assert.Equal("ColumnMapHeaderNotFound", Assert.Throws<AmnException>(() => ImportFileReader.Open(path, new ImportFileOptions { ColumnMap = new System.Collections.Generic.Dictionary<string, string> { ["Leerling ID"] = "deelnemersnummer" } })).ErrorId);
        }

        [Theory]
        [InlineData("E-mail adres", "emailadres")]
        [InlineData(" Geb. Datum ", "gebdatum")]
        [InlineData("stamnr_str", "stamnrstr")]
        [InlineData("Crebo- / elementcode", "creboelementcode")]
        public void Normalises_headers_without_case_spaces_dots_underscores_and_hyphens(string header, string normalized)
        {
            Assert.Equal(normalized, HeaderNames.Normalize(header));
        }

        [Fact]
        public void Uses_official_first_names_only_without_a_call_name()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "Stamnummer;Voornamen;Achternaam", "1;Johannes Petrus;Smit");
            Assert.Equal("Johannes", Students(path)[0].FirstName);
        }
    }

    public class ValueTests
    {
        [Theory]
        [InlineData("jan.de.vries@school.example.nl", true)]
        [InlineData("a@b.nl", true)]
        [InlineData("o'brien+test@school-x.nl", true)]
        [InlineData("a@b", false)]
        [InlineData("a@b.c", false)]
        [InlineData("a b@c.nl", false)]
        [InlineData("a@@b.nl", false)]
        [InlineData("@b.nl", false)]
        [InlineData("a@.nl", false)]
        [InlineData("jsmit", false)]
        [InlineData("a@b.n_l", false)]
        public void Recognises_email_addresses(string value, bool valid)
        {
            Assert.Equal(valid, Values.IsEmailAddress(value));
        }

        [Theory]
        [InlineData("29-2-2012", 2012, 2, 29)]
        [InlineData("2012-02-29", 2012, 2, 29)]
        [InlineData("1.12.2009", 2009, 12, 1)]
        public void Parses_the_common_date_shapes(string text, int year, int month, int day)
        {
            Assert.Equal(new DateTime(year, month, day), Values.ParseDate(text, false, new DateTime(2026, 1, 1), out var reason));
            Assert.Null(reason);
        }

        [Theory]
        [InlineData("29-2-2011")]
        [InlineData("0000-01-01")]
        [InlineData("12-13-2010")]
        [InlineData("1-1-10")]
        public void Rejects_impossible_date_shapes(string text)
        {
            Assert.Null(Values.ParseDate(text, false, new DateTime(2026, 1, 1), out var reason));
            Assert.NotNull(reason);
        }

        private static StudentRecord One(string header, string row, ImportFileOptions options = null)
        {
            using var temp = new TempFolder();
            return Students(WriteUtf8(temp, "l.csv", header, row), options).Single();
        }

        [Theory]
        [InlineData("M", "M")] [InlineData("man", "M")] [InlineData("Jongen", "M")] [InlineData("male", "M")] [InlineData("1", "M")]
        [InlineData("V", "V")] [InlineData("vrouw", "V")] [InlineData("MEISJE", "V")] [InlineData("female", "V")] [InlineData("2", "V")]
        [InlineData("X", "X")] [InlineData("O", "X")] [InlineData("0", "X")] [InlineData("9", "X")] [InlineData("onbekend", "X")]
        public void Normalises_gender(string value, string expected)
        {
            Assert.Equal(expected, One("nr;voornaam;achternaam;geslacht", $"1;Jan;Smit;{value}").Gender);
        }

        [Theory]
        [InlineData("2010-03-14")] [InlineData("14-3-2010")] [InlineData("14/03/2010")] [InlineData("14.3.2010")] [InlineData("14-03-2010 00:00:00")] [InlineData("40251")]
        public void Parses_dates_day_first(string value)
        {
            Assert.Equal(new DateTime(2010, 3, 14), One("nr;voornaam;achternaam;geboortedatum", $"1;Jan;Smit;{value}").BirthDate);
        }

        [Theory]
        [InlineData("31-02-2010", "is not a date")]
        [InlineData("morgen", "is not a date")]
        [InlineData("01-01-1850", "plausible")]
        [InlineData("01-01-2999", "plausible")]
        public void Impossible_and_implausible_dates_are_row_errors(string value, string reason)
        {
            var record = One("nr;voornaam;achternaam;Geb.datum", $"1;Jan;Smit;{value}");
            var error = Assert.Single(record.Errors);
            Assert.Equal("InvalidDate", error.ErrorId);
            Assert.Equal((2, "Geb.datum", value), (error.Row.Value, error.Column, error.Value));
            Assert.Contains(reason, error.Message);
        }

        [Fact]
        public void Invalid_gender_email_and_username_are_row_errors_with_their_value()
        {
            var record = One("nr;voornaam;achternaam;geslacht;email;gebruikersnaam", "1;Jan;Smit;Q;jan(at)school.nl;jsmit");
            Assert.Equal(new[] { "InvalidGender", "InvalidEmail", "InvalidUserName" }, record.Errors.Select(e => e.ErrorId));
            Assert.Equal(new[] { "Q", "jan(at)school.nl", "jsmit" }, record.Errors.Select(e => e.Value));
        }

        [Fact]
        public void Empty_required_fields_are_row_errors()
        {
            var record = One("nr;voornaam;tussenvoegsel;achternaam", "1;;van;");
            Assert.Equal(new[] { "MissingRequiredField", "MissingRequiredField" }, record.Errors.Select(e => e.ErrorId));
            Assert.Equal(new[] { "voornaam", "achternaam" }, record.Errors.Select(e => e.Column));
        }

        [Fact]
        public void Loopbaanleren_requires_a_username_in_every_row()
        {
            var record = One("nr;voornaam;achternaam;geboortedatum;gebruikersnaam", "1;Jan;Smit;1-1-2010;", new ImportFileOptions { Product = AmnProduct.Loopbaanleren });
            Assert.Equal("MissingRequiredField", Assert.Single(record.Errors).ErrorId);
        }

        [Fact]
        public void Values_are_trimmed_and_diacritics_kept()
        {
            var record = One("nr;voornaam;achternaam;klas", "  007 ;  Zoë\u00a0;  Çelik ; H4a ");
            Assert.Equal(("007", "Zoë", "Çelik", "H4a"), (record.Number, record.FirstName, record.LastName, record.Group));
        }

        [Fact]
        public void Unknown_roles_are_row_errors()
        {
            using var temp = new TempFolder();
            var staff = Staff(WriteUtf8(temp, "p.csv", "gebruikersnaam;achternaam;rol", "a@school.nl;Smit;mentor;", "b@school.nl;Jansen;conciërge"));
            Assert.True(staff[0].IsValid);
            var error = Assert.Single(staff[1].Errors);
            Assert.Equal(("UnknownRole", "conciërge", 3), (error.ErrorId, error.Value, error.Row.Value));
        }

        [Fact]
        public void A_staff_username_must_be_an_email_address()
        {
            using var temp = new TempFolder();
            var staff = Staff(WriteUtf8(temp, "p.csv", "gebruikersnaam;achternaam", "BAK;Bakker"));
            Assert.Equal("InvalidUserName", Assert.Single(staff[0].Errors).ErrorId);
        }
    }

    public class DuplicateAndZeroTests
    {
        [Fact]
        public void Identical_rows_collapse_with_a_warning_and_differing_rows_all_fail()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "nr;voornaam;achternaam", "1;Jan;Smit", "1;Jan;Smit", "2;Piet;Jansen", "2;Kees;Jansen");
            using var reader = ImportFileReader.Open(path);
            var report = reader.Validate();
            Assert.Equal(4, report.RowCount);
            Assert.Equal(2, report.ValidRowCount);
            Assert.Equal("DuplicateRow", Assert.Single(report.Warnings).ErrorId);
            Assert.Equal(new[] { 5, 4 }, report.Errors.Where(e => e.ErrorId == "DuplicateNumber").Select(e => e.Row.Value));
        }

        [Fact]
        public void Warns_when_excel_seems_to_have_removed_leading_zeros()
        {
            using var temp = new TempFolder();
            var path = WriteUtf8(temp, "l.csv", "nr;voornaam;achternaam", "012345;A;B", "012346;A;B", "12347;A;B", "012348;A;B");
            var records = Students(path);
            var warning = Assert.Single(records.SelectMany(r => r.Warnings));
            Assert.Equal(("LeadingZerosLost", 4, "12347"), (warning.ErrorId, warning.Row.Value, warning.Value));
            Assert.Equal("12347", records[2].Number); // never changed
        }
    }

    public class StreamingTests
    {
        [Fact]
        public void The_first_record_arrives_before_the_rest_of_the_file_is_parsed()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            using var temp = new TempFolder();
            var text = new StringBuilder("nr;voornaam;achternaam\n");
            for (int i = 0; i < 100000; i++) text.Append(i.ToString("D6")).Append(";Jan;Smit\n");
            var path = WriteCsv(temp, "big.csv", text.ToString(), new UTF8Encoding(false), bom: false);

            using var reader = ImportFileReader.Open(path);
            using var records = reader.ReadRecords().GetEnumerator();
            Assert.True(records.MoveNext());
            // Cut the file short behind the reader's back: a reader that had parsed everything already
            // would still produce all 100,000 rows.
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) stream.SetLength(200_000);
            int count = 1;
            while (records.MoveNext()) count++;
            Assert.True(count < 50000, $"read {count} records");
        }
    }
}
