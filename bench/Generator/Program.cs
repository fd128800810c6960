// Usage: dotnet run -c Release -- <size> <output folder>
// A fictional school board of <size> pupils, the same for every run: this year's and last year's
// student and staff exports as a Magister-style ';' Windows-1252 CSV and as xlsx.
using System.Globalization;
using System.Text;
using SpreadCheetah;

int size = int.Parse(args[0], CultureInfo.InvariantCulture);
string output = args[1];
Directory.CreateDirectory(output);
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
var cp1252 = Encoding.GetEncoding(1252);

string[] firstNames = { "Zoë", "Daniël", "Noë", "Chloë", "Joëlle", "Anaïs", "Thijs", "Sven", "Fenna", "Lotte", "Bram", "Emre", "Sem", "Julia", "Mila", "Tess", "Luuk", "Finn", "Saar", "Noah", "Yara", "Mohamed", "Aïcha", "Björn", "Renée", "Inès", "Jesse", "Daan", "Eva", "Liam" };
string[] prefixes = { "", "", "", "", "van", "de", "van der", "van den", "ter", "'t", "in 't" };
string[] lastNames = { "Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Bos", "Mulder", "Çelik", "Yılmaz", "Öztürk", "Berg", "Dijk", "Hendriks", "Dekker", "Brouwer", "Wit", "Dijkstra", "Smits", "Graaf", "Kok", "Jacobs", "Vermeulen", "Peters", "Willems", "Hoekstra", "Koster", "Prins", "Huisman", "El Amrani" };

int groupsPerYear = Math.Max(1, size / 28);
string GroupName(int g, int yearShift)
{
    // Levels and years like H4a, V5c, M2ab: unique per index.
    char level = "MHVB"[g % 4];
    int year = 1 + ((g / 4) + yearShift) % 6;
    int rest = g / 24;
    var letters = new StringBuilder();
    do { letters.Insert(0, (char)('a' + rest % 26)); rest = rest / 26 - 1; } while (rest >= 0);
    return $"{level}{year}{letters}";
}
string Ascii(string s) => new string(s.Normalize(NormalizationForm.FormD).Where(c => c < 128 && (char.IsLetterOrDigit(c))).ToArray()).ToLowerInvariant();

var rng = new Random(20260801);
var pupils = new List<string[]>(size);
for (int i = 0; i < size; i++)
{
    var first = firstNames[rng.Next(firstNames.Length)];
    var prefix = prefixes[rng.Next(prefixes.Length)];
    var last = lastNames[rng.Next(lastNames.Length)];
    var birth = new DateTime(2008, 1, 1).AddDays(rng.Next(365 * 7));
    var gender = rng.Next(100) < 48 ? "M" : rng.Next(100) < 96 ? "V" : "X";
    var number = (i + 1).ToString("D7", CultureInfo.InvariantCulture); // leading zeros, as SIS numbers often have
    var email = $"{Ascii(first)}.{Ascii(last)}{i}@leerling.example.nl";
    pupils.Add(new[] { number, first, prefix, last, birth.ToString("d-M-yyyy", CultureInfo.InvariantCulture), gender, GroupName(i / 28 % groupsPerYear, 1), email });
}
string[] studentHeader = { "stamnr", "roepnaam", "tussenv", "achternaam", "geb_datum_str", "geslacht", "klas", "email" };

void WriteCsv(string name, string[] header, IEnumerable<string[]> rows)
{
    using var writer = new StreamWriter(Path.Combine(output, name), false, cp1252, 1 << 16);
    writer.Write(string.Join(";", header));
    writer.Write("\r\n");
    foreach (var row in rows) { writer.Write(string.Join(";", row.Select(v => v.Contains(';') ? "\"" + v + "\"" : v))); writer.Write("\r\n"); }
}

async Task WriteXlsx(string name, string[] header, IEnumerable<string[]> rows)
{
    await using var stream = File.Create(Path.Combine(output, name));
    await using var book = await Spreadsheet.CreateNewAsync(stream);
    await book.StartWorksheetAsync("Export");
    await book.AddRowAsync(header.Select(h => new Cell(h)).ToArray());
    foreach (var row in rows) await book.AddRowAsync(row.Select(v => new Cell(v)).ToArray());
    await book.FinishAsync();
}

// This year: 5% of last year's pupils have left, 5% are new, everyone else moved up a year.
int leavers = size / 20;
var thisYear = pupils.Skip(leavers).ToList();
for (int i = 0; i < leavers; i++)
{
    var n = size + i + 1;
    thisYear.Add(new[] { n.ToString("D7", CultureInfo.InvariantCulture), firstNames[n % firstNames.Length], "", lastNames[n % lastNames.Length], "1-9-2014", "V", GroupName(i / 28 % groupsPerYear, 0), $"nieuw{n}@leerling.example.nl" });
}

WriteCsv("students.csv", studentHeader, pupils);
await WriteXlsx("students.xlsx", studentHeader, pupils);
// 10% changed: every tenth pupil has another group.
WriteCsv("students-changed.csv", studentHeader, pupils.Select((p, i) => i % 10 == 0 ? p.Take(6).Append(GroupName((i / 28 + 1) % groupsPerYear, 1)).Append(p[7]).ToArray() : p));
WriteCsv("rollover-students.csv", studentHeader, thisYear);
WriteCsv("last-year-students.csv", studentHeader, pupils.Select((p, i) => { var q = (string[])p.Clone(); q[6] = GroupName(i / 28 % groupsPerYear, 0); return q; }));

// Staff: about one per 12 pupils, roles mentor/docent (a few regievoerders, one applicatiebeheerder), 3-8 klas links.
int staffCount = Math.Max(1, size / 12);
var thisYearGroups = thisYear.Select(p => p[6]).Distinct().ToArray();
string[] staffHeader = { "gebruikersnaam", "afkorting", "voornaam", "tussenvoegsel", "achternaam", "rol", "klas", "klas", "klas", "klas", "klas", "klas", "klas", "klas" };
var staff = new List<string[]>();
for (int i = 0; i < staffCount; i++)
{
    var first = firstNames[rng.Next(firstNames.Length)];
    var last = lastNames[rng.Next(lastNames.Length)];
    var role = i == 0 ? "applicatiebeheerder" : i % 50 == 0 ? "regievoerder" : rng.Next(3) == 0 ? "mentor, docent" : "docent";
    var links = Enumerable.Range(0, 3 + rng.Next(6)).Select(_ => thisYearGroups[rng.Next(thisYearGroups.Length)]).Distinct().ToList();
    var row = new List<string> { $"{Ascii(first)}.{Ascii(last)}{i}@school.example.nl", $"D{i:D5}", first, "", last, role };
    row.AddRange(links);
    while (row.Count < staffHeader.Length) row.Add("");
    staff.Add(row.ToArray());
}
WriteCsv("staff.csv", staffHeader, staff);
await WriteXlsx("staff.xlsx", staffHeader, staff);
// Last year: 4% of this year's staff are new, and 4% of last year's have left since.
int departed = Math.Max(1, staffCount / 25);
var lastYearStaff = staff.Skip(departed).Select(s => s.Take(6).Concat(Enumerable.Repeat("", 8)).ToArray()).ToList();
for (int i = 0; i < departed; i++) lastYearStaff.Add(new[] { $"vertrokken{i}@school.example.nl", $"X{i:D5}", "Oud", "", "Collega", "mentor", "", "", "", "", "", "", "", "" });
WriteCsv("last-year-staff.csv", staffHeader, lastYearStaff);
Console.WriteLine($"Wrote {size} pupils and {staffCount} staff to {output}");
