using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.SchoolYear;
using Amn.Rollover.Core.Store;
using Store = Amn.Rollover.Core.Store;
using Xunit;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// A server school answers queries and makes one-row changes in PostgreSQL on its own tables
    /// (Postgres.ServerQueries, Postgres.ServerEdits). The store file's SQLite is the oracle: the same
    /// school on both stores gives the same answers, in the same order.
    /// </summary>
    public sealed class ServerQueriesTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>
        /// Names that sort differently under other rules: case (SQLite's NOCASE folds ASCII letters only),
        /// letters outside ASCII, a pupil without a group, a staff member without a first name, leading zeros.
        /// </summary>
        private TenantStore School(StoreKind kind)
        {
            var store = TestStores.New(kind, _temp, "queries");
            var students = WriteUtf8(_temp, kind + "-l.csv", "nr;voornaam;tussenvoegsel;achternaam;geboortedatum;geslacht;klas;email",
                "000123;Zoë;;de Vries;7-3-2012;V;h1;zoe@school.nl",
                "2;Daan;van der;De Vries;31-12-2011;M;H1;",
                "3;Eva;;Ödegaard;;;Ä1;",
                "4;eva;;Zeeman;;X;a1;eva@school.nl",
                "5;Bram;;bakker;1-1-2010;M;B2;",
                "6;Anna;;Bakker;;;;",
                "7;Weg;;Gaat;;;B2;");
            var staff = WriteUtf8(_temp, kind + "-p.csv", "gebruikersnaam;code;voornaam;achternaam;rol;klas;klas",
                "m@school.nl;MEN;Mia;Mentor;mentor, docent;h1;B2", "D@school.nl;;;docent;docent;Ä1;", "a@school.nl;AB;Ab;Docent;docent;;");
            Import(store, students, "2026-2027/Havo");
            using (var change = PlannedChange.Begin(store, Confirmation.NotAsked))
                change.Apply(work =>
                {
                    StaffImporter.Apply(work, StaffImporter.Plan(work, Staff(staff), new StaffImportOptions()), staff);
                    return true;
                });
            // Changed, moved, new in a new group; a new number twice with other data (both fail, their group is dropped); a stored number twice likewise (written back).
            var again = WriteUtf8(_temp, kind + "-l2.csv", "nr;voornaam;tussenvoegsel;achternaam;geboortedatum;geslacht;klas;email",
                "2;Daan;van der;De Vries-Bos;31-12-2011;M;H1;", "5;Bram;;bakker;1-1-2010;M;Nieuw1;", "8;Nina;;Nieuw;2-2-2012;V;Z9;",
                "9;Een;;Dubbel;;;Dup;", "4;eva;;Zeeman;;X;A1;eva@school.nl", "9;Twee;;Dubbel;;;Dup;", "4;Ander;;Kind;;;A1;");
            Import(store, again, null);
            GroupCreation.Create(store, "leeg", "Archief", null);
            GroupCreation.Create(store, "Leeg2", "archief/Oud", null);
            using (var change = PlannedChange.Begin(store, Confirmation.NotAsked))
                StudentEraser.Erase(change, Guid.NewGuid(), StudentEraser.Find(change.Plan, new[] { "7" }).Values.ToList());
            return store;
        }

        private readonly List<string> _imports = new List<string>();

        /// <summary>Through the import cmdlet's own session, which writes a server school in its own SQL.</summary>
        private void Import(TenantStore store, string file, string folder)
        {
            using var change = PlannedChange.Begin(store, Confirmation.NotAsked);
            var result = change.Apply(work =>
            {
                using var session = new StudentImportSession(work, new StudentImportOptions { Folder = folder }, write: true);
                foreach (var record in Students(file)) session.Add(record);
                return session.Complete(file);
            });
            _imports.Add($"{result.Created} {result.Updated} {result.Moved} {result.Unchanged} {result.Failed} {string.Join(",", result.NewGroups)}");
        }

        private static string Describe(Student s)
            => string.Join("|", new[] { s.Number, s.Group, s.LastSeen?.ToString("yyyy-MM-dd") }.Concat(StudentField.All.Select(f => f.StoreText(s))));

        private static List<string> Answers(TenantStore store)
        {
            using var work = store.BeginRead();
            var queries = work.Queries;
            var answers = new List<string>();
            void Add(string what, IEnumerable<string> lines) => answers.AddRange(lines.Select(line => what + ": " + line));
            Add("all", queries.Students(null, null, false, null).Select(Describe));
            Add("numbers", queries.Students(new[] { "2", "000123", "7", "nope" }, null, false, null).Select(Describe));
            Add("groups", queries.Students(null, new[] { "H1", "ä1", "B2" }, false, null).Select(Describe));
            Add("without group", queries.Students(null, null, true, null).Select(Describe));
            Add("not seen", queries.Students(null, null, false, DateTime.Today.AddDays(1)).Select(Describe));
            Add("leading zeros", new[] { queries.NumberWithLeadingZeros("123") ?? "-", queries.NumberWithLeadingZeros("2") ?? "-" });
            Add("group list", queries.Groups().Select(g => $"{g.Folder}/{g.Name} {g.StudentCount} {g.StaffCount}"));
            Add("folders", queries.Folders().Select(f => $"{f.Path} {f.GroupCount}"));
            Add("group names", queries.GroupIds().Keys.OrderBy(n => n, StringComparer.Ordinal));
            Add("find group", new[] { "H1", "LEEG", "ä1", "Ä1", "none" }.Select(n => queries.FindGroup(n) is Group g ? $"{g.Name} in {g.Folder}, {g.StudentCount} {g.StaffCount}" : "-"));
            Add("folder exists", new[] { "ARCHIEF/oud", "archief", "Havo", " 2026-2027\\havo " }.Select(p => queries.FolderExists(p).ToString()));
            Add("staff", queries.Staff().Values.Select(r => $"{r.Staff.UserName}|{r.Staff.Code}|{r.Staff.FirstName}|{r.Staff.LastName}|{string.Join(",", r.Staff.Roles)}|{string.Join(",", r.Staff.Groups)}"));
            Add("audit", queries.AuditLog(null, null, "newGROUP").Select(e => $"{e.Action} {e.Target} {e.Details}"));
            Add("audit since", queries.AuditLog(null, DateTime.Now.AddHours(-1), null).Select(e => e.Action));
            Add("erasure", queries.ErasureCandidates(new[] { "7", "3", "nope" }).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value.Group} {c.Value.Erased.HasValue}"));
            var counts = queries.Counts();
            Add("counts", new[] { $"{counts.Students} {counts.Groups} {counts.Staff}" });
            return answers;
        }

        [SkippableFact]
        public void A_server_school_answers_every_query_as_the_store_file_does_in_the_same_order()
        {
            var file = Answers(School(StoreKind.File));
            var server = School(StoreKind.Server);
            Assert.Equal(_imports.Take(2), _imports.Skip(2));
            Assert.Equal("1 1 1 0 4 Nieuw1,Z9", _imports[1]);
            Assert.Equal(file, Answers(server));
            Assert.Contains("find group: h1 in 2026-2027/Havo, 2 1", file); // a check of the oracle itself: SQLite's answers are as they should be
            Assert.Contains("all: 6||", string.Join("\n", file));
        }

        [SkippableFact]
        public void One_row_commands_on_a_server_school_read_and_write_only_their_own_rows()
        {
            var store = TestStores.Reopen(School(StoreKind.Server)); // a new session: nothing of the school kept in memory
            store.BusyTimeout = TimeSpan.FromSeconds(1);
            // Whatever reads the whole school waits for this lock, and gives up after the busy timeout.
            using (TestStores.HoldLock(store, "staff", "ACCESS EXCLUSIVE"))
            {
                using (var read = store.BeginRead())
                {
                    Assert.Equal("Zoë", Store.Students.Query(read, new[] { "000123" }).Single().FirstName);
                    Assert.Equal(8, Groups.List(read).Count);
                    Assert.Contains("leeg", Groups.Names(read));
                }
                Assert.True(GroupCreation.Create(store, "Nieuw", "2026-2027", null).Created);
                using (var change = PlannedChange.Begin(store, Confirmation.NotAsked))
                    Assert.Single(StudentEraser.Erase(change, Guid.NewGuid(), StudentEraser.Find(change.Plan, new[] { "5" }).Values.ToList()));

                Import(store, WriteUtf8(_temp, "tien.csv", "nr;voornaam;achternaam;klas", "10;Tien;Kind;H1"), null);

                // The check of the check: a backup, which reads the whole school, does wait for the lock.
                var busy = Assert.Throws<AmnException>(() => store.Backup(_temp.File("whole.db")));
                Assert.Equal("TenantBusy", busy.ErrorId);
            }
            var fresh = TestStores.Reopen(store);
            using var after = fresh.BeginRead();
            Assert.Equal(new[] { "Nieuw" }, Groups.List(after).Where(g => g.Name == "Nieuw").Select(g => g.Name));
            Assert.Empty(Store.Students.Query(after, new[] { "5" }));
            Assert.Equal("h1", Store.Students.Query(after, new[] { "10" }).Single().Group);
            Assert.Equal(2, AuditEntry.Query(after, action: "EraseStudent").Count());
        }

        /// <summary>
        /// A restore on a server school makes the school equal to the backup by id and writes only the rows that differ:
        /// counted by the restore's own transaction id (the xmin of its audit entry) on every row of every table.
        /// </summary>
        [SkippableFact]
        public void A_restore_on_a_server_school_writes_only_the_rows_that_differ_from_the_backup()
        {
            var store = School(StoreKind.Server);
            string Fingerprint() => TestStores.Reopen(store).Read(work => work.Queries.Fingerprint());
            var backup = store.Backup(_temp.File("voor.db"));
            var backedUp = Fingerprint();
            object Owner(string sql) => TestStores.HandEdit(store, "-", sql);
            Owner("UPDATE students SET first_name = 'Ander' WHERE number = '2';" +
                  "DELETE FROM staff_groups WHERE group_id = (SELECT id FROM groups WHERE name = 'B2');" +
                  "UPDATE groups SET name = 'Hernoemd' WHERE name = 'leeg';" +
                  "INSERT INTO students (id, number, first_name, last_name, created_utc, updated_utc) SELECT max(id) + 1, '99', 'Na', 'Backup', now(), now() FROM students;");
            Assert.NotEqual(backedUp, Fingerprint());

            Assert.Empty(TestStores.Reopen(store).Restore(backup));

            Assert.Equal(backedUp, Fingerprint());
            var written = (string)Owner(@"WITH restore AS (SELECT xmin AS id FROM audit_log WHERE action = 'RestoreTenant')
                SELECT string_agg(t || ' ' || n, ', ' ORDER BY t) FROM (
                    SELECT 'folders' AS t, count(*) AS n FROM folders WHERE xmin = (SELECT id FROM restore) UNION ALL
                    SELECT 'groups', count(*) FROM groups WHERE xmin = (SELECT id FROM restore) UNION ALL
                    SELECT 'staff', count(*) FROM staff WHERE xmin = (SELECT id FROM restore) UNION ALL
                    SELECT 'staff_groups', count(*) FROM staff_groups WHERE xmin = (SELECT id FROM restore) UNION ALL
                    SELECT 'staff_roles', count(*) FROM staff_roles WHERE xmin = (SELECT id FROM restore) UNION ALL
                    SELECT 'students', count(*) FROM students WHERE xmin = (SELECT id FROM restore)) c;");
            // Pupil 2 and group 'leeg' written back, the link of B2 inserted again, pupil 99 deleted; nothing else touched.
            Assert.Equal("folders 0, groups 1, staff 0, staff_groups 1, staff_roles 0, students 1", written);
            Assert.Equal(0L, Owner("SELECT count(*) FROM students WHERE number = '99';"));
        }

        /// <summary>Next year on the school: pupils moved, one new, one left; the mentor's code changed, a teacher new, one departed.</summary>
        private RolloverResult Rollover(TenantStore store)
        {
            var students = WriteUtf8(_temp, "rollover-l.csv", "nr;voornaam;tussenvoegsel;achternaam;geboortedatum;geslacht;klas;email",
                "000123;Zoë;;de Vries;7-3-2012;V;H2;zoe@school.nl", "2;Daan;van der;De Vries-Bos;31-12-2011;M;h2;", "3;Eva;;Ödegaard;;;Ä2;",
                "4;eva;;Zeeman;;X;A2;eva@school.nl", "8;Nina;;Nieuw;2-2-2012;V;Z9;", "11;Elf;;Nieuwkomer;;;H2;");
            var staff = WriteUtf8(_temp, "rollover-p.csv", "gebruikersnaam;code;voornaam;achternaam;rol;klas;klas",
                "m@school.nl;MEM;Mia;Mentor;mentor;H2;Z9", "D@school.nl;;;docent;docent;Ä2;", "n@school.nl;NW;Nieuwe;Docent;docent, mentor;A2;H2");
            var run = RolloverRun.Read(new RolloverOptions { StudentPath = students, StaffPath = staff, Folder = "2027-2028", RemoveDepartedStaff = true,
                Limits = new RolloverLimits { MaxNewStudentsPercent = 100, MaxLeaversPercent = 100 } });
            using var change = PlannedChange.Begin(store, Confirmation.NotAsked);
            run.PlanAgainst(change.Plan);
            return run.Apply(change);
        }

        [SkippableFact]
        public void A_rollover_on_a_server_school_works_in_the_servers_own_SQL_and_ends_as_on_the_store_file()
        {
            var file = School(StoreKind.File);
            Rollover(file);
            var server = TestStores.Reopen(School(StoreKind.Server));
            string Fingerprint(TenantStore store) { using var read = TestStores.Reopen(store).BeginRead(); return read.Queries.Fingerprint(); }
            var before = Fingerprint(server);
            Assert.Equal(before, Fingerprint(server)); // what a saved plan records is the same in every session while the school is
            var result = Rollover(server);
            Assert.NotEqual(before, Fingerprint(server));
            Assert.Equal(new[] { "a@school.nl" }, result.StaffRemoved.Select(s => s.UserName));
            var expected = Answers(file);
            Assert.Equal(expected, Answers(TestStores.Reopen(server)));
            // The oracle itself: the store file was rolled over as it should be.
            Assert.Contains("staff: m@school.nl|MEM|Mia|Mentor|mentor|H2,Z9", expected);
            Assert.Contains("staff: n@school.nl|NW|Nieuwe|Docent|mentor,docent|A2,H2", expected);
            Assert.Contains("group list: 2027-2028/H2 3 2", expected);
        }

        [SkippableFact]
        public void A_staff_import_on_a_server_school_reads_and_writes_no_pupil()
        {
            var store = TestStores.Reopen(School(StoreKind.Server));
            store.BusyTimeout = TimeSpan.FromSeconds(1);
            var staff = WriteUtf8(_temp, "meer-p.csv", "gebruikersnaam;code;voornaam;achternaam;rol;klas", "m@school.nl;MEN;Mia;Mentor;mentor;Z9", "x@school.nl;XX;Ex;Tra;docent;B2");
            // Whatever reads the whole school waits for this lock, and gives up after the busy timeout.
            using (TestStores.HoldLock(store, "students", "ACCESS EXCLUSIVE"))
            using (var change = PlannedChange.Begin(store, Confirmation.NotAsked))
            {
                var plan = change.Apply(work =>
                {
                    var planned = StaffImporter.Plan(work, Staff(staff), new StaffImportOptions { Exclusive = true });
                    StaffImporter.Apply(work, planned, staff);
                    return planned;
                });
                Assert.Equal((1, 1, 2, 2), (plan.Created, plan.Updated, plan.LinksAdded, plan.LinksRemoved));
            }
            using var read = TestStores.Reopen(store).BeginRead();
            var stored = StaffTable.LoadAll(read);
            Assert.Equal(new[] { "Z9" }, stored["M@school.nl"].Staff.Groups);
            Assert.Equal(new[] { "mentor" }, stored["m@school.nl"].Staff.Roles);
            Assert.Equal(("XX", "docent", "B2"), (stored["x@school.nl"].Staff.Code, stored["x@school.nl"].Staff.Roles.Single(), stored["x@school.nl"].Staff.Groups.Single()));
        }
    }
}
