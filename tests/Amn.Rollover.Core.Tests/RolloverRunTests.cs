using System;
using System.IO;
using System.Linq;
using System.Threading;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.SchoolYear;
using Amn.Rollover.Core.Store;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>The rollover through Core, planned and applied on a tenant of either store.</summary>
    public abstract class RolloverRunTests : IDisposable
    {
        private const string StudentHeader = "nr;voornaam;achternaam;geboortedatum;klas";
        private readonly TempFolder _temp = new TempFolder();
        private readonly StoreKind _kind;
        private TenantStore _tenant;

        protected RolloverRunTests(StoreKind kind) => _kind = kind;

        public void Dispose() => _temp.Dispose();

        /// <summary>Last year: four pupils in H3a and H3b, one mentor of H3a.</summary>
        private TenantStore Tenant
        {
            get
            {
                if (_tenant != null) return _tenant;
                _tenant = TestStores.New(_kind, _temp);
                var students = WriteUtf8(_temp, "vorig.csv", StudentHeader, "001;Zoë;Jansen;1-2-2011;H3a", "002;Daniël;Berg;3-4-2010;H3a", "003;Emre;Çelik;5-6-2011;H3b", "004;Anna;Smit;7-8-2010;H3b");
                using var work = _tenant.BeginWrite();
                var plan = StudentImporter.Plan(work.Queries, Students(students), new StudentImportOptions());
                StudentImporter.Apply(work.Edits, plan, students);
                var staff = WriteUtf8(_temp, "personeel-vorig.csv", "gebruikersnaam;achternaam;rol;klas", "j.bakker@school.nl;Bakker;mentor;H3a");
                StaffImporter.Apply(work, StaffImporter.Plan(work, Staff(staff), new StaffImportOptions()), staff);
                work.Commit();
                return _tenant;
            }
        }

        /// <summary>This year: the four moved up (004 now in H4a too), one new pupil, the mentor now of H4a and H4b.</summary>
        private RolloverRun ThisYear()
        {
            var students = WriteUtf8(_temp, "leerlingen.csv", StudentHeader, "001;Zoë;Jansen;1-2-2011;H4a", "002;Daniël;Berg;3-4-2010;H4a", "003;Emre;Çelik;5-6-2011;H4b", "004;Anna;Smit;7-8-2010;H4a", "005;Noa;Visser;9-10-2011;H4b");
            var staff = WriteUtf8(_temp, "personeel.csv", "gebruikersnaam;achternaam;rol;klas;klas", "j.bakker@school.nl;Bakker;mentor;H4a;H4b");
            return RolloverRun.Read(new RolloverOptions { StudentPath = students, StaffPath = staff, Limits = new RolloverLimits { MaxNewStudentsPercent = 100, MaxLeaversPercent = 100 } });
        }

        [SkippableFact]
        public void Applied_it_replaces_the_groups_moves_the_pupils_and_links_the_staff_in_one_commit()
        {
            var tenant = Tenant;
            var run = ThisYear();
            RolloverResult result;
            using (var change = PlannedChange.Begin(tenant, Confirmation.NotAsked))
            {
                run.PlanAgainst(change.Plan);
                Assert.Equal(new[] { "H3a", "H3b" }, run.Plan.GroupsToRemove.OrderBy(g => g));
                Assert.Equal((1, 4), (run.Plan.Students.Created.Count, run.Plan.Students.Moved.Count));
                result = run.Apply(change);
            }
            Assert.True(File.Exists(result.BackupPath));
            using var read = tenant.BeginRead();
            Assert.Equal(new[] { "H4a", "H4b" }, Groups.List(read).Select(g => g.Name));
            Assert.Equal(new[] { ("001", "H4a"), ("002", "H4a"), ("003", "H4b"), ("004", "H4a"), ("005", "H4b") },
                         Store.Students.Query(read).OrderBy(s => s.Number).Select(s => (s.Number, s.Group)));
            Assert.Equal(new[] { "H4a", "H4b" }, StaffTable.LoadAll(read)["j.bakker@school.nl"].Staff.Groups.OrderBy(g => g));
            Assert.Equal(run.RunId, AuditEntry.Query(read, action: "Rollover").Single().RunId);
        }

        [SkippableFact]
        public void Planned_in_a_read_or_cancelled_halfway_it_changes_nothing()
        {
            var tenant = Tenant;
            var before = Dump(tenant);
            using (var read = tenant.BeginRead())
            {
                var run = ThisYear();
                run.PlanAgainst(read);
                Assert.Throws<InvalidOperationException>(() => read.Commit());
            }
            Assert.Equal(before, Dump(tenant));

            using (var change = PlannedChange.Begin(tenant, Confirmation.NotAsked))
            using (var cancel = new CancellationTokenSource())
            {
                var run = ThisYear();
                run.PlanAgainst(change.Plan);
                Assert.ThrowsAny<OperationCanceledException>(() => run.Apply(change, cancel.Token, (status, fraction) => { if (fraction > 0.1) cancel.Cancel(); }));
            }
            Assert.Equal(before, Dump(tenant));

            using (var whatIf = PlannedChange.Begin(tenant, Confirmation.WhatIf))
            {
                var run = ThisYear();
                run.PlanAgainst(whatIf.Plan);
                Assert.Throws<InvalidOperationException>(() => run.Apply(whatIf));
            }
            Assert.Equal(before, Dump(tenant));
        }

        /// <summary>
        /// A rollover the admin is asked about: planned on a read, so another session can write while the question is
        /// open (a prompt may stay open for minutes); applied under the lock only when no one changed the tenant since
        /// the plan, with the automatic backup taken inside the lock.
        /// </summary>
        [SkippableFact]
        public void Asked_it_holds_no_lock_while_the_question_is_open_and_applies_only_what_was_planned()
        {
            var tenant = Tenant;
            tenant.BusyTimeout = TimeSpan.FromSeconds(2);
            RolloverResult result;
            using (var change = PlannedChange.Begin(tenant, Confirmation.Asked))
            {
                var run = ThisYear();
                run.PlanAgainst(change.Plan);
                // The question is open: another session's write goes through at once.
                using (var other = tenant.BeginWrite()) other.Commit();
                result = run.Apply(change);
            }
            Assert.Equal(new[] { ("001", "H4a"), ("005", "H4b") }, tenant.Read(work => Store.Students.Query(work).Where(s => s.Number == "001" || s.Number == "005").OrderBy(s => s.Number).Select(s => (s.Number, s.Group)).ToArray()));
            Assert.True(File.Exists(result.BackupPath));

            string Pupils() => tenant.Read(work => string.Join(",", Store.Students.Query(work).OrderBy(s => s.Number).Select(s => s.Number + " " + s.Group)));
            var before = Pupils();
            using (var change = PlannedChange.Begin(tenant, Confirmation.Asked))
            {
                var run = ThisYear();
                run.PlanAgainst(change.Plan);
                // Someone changes the tenant while the admin reads the plan: what was confirmed may no longer hold.
                GroupCreation.Create(tenant, "Extra", null, null);
                var changed = Assert.Throws<AmnException>(() => run.Apply(change));
                Assert.Equal("TenantChangedWhileAsked", changed.ErrorId);
                Assert.Contains(tenant.Path, changed.Message);
            }
            Assert.Equal(before, Pupils());
            Assert.Contains("Extra", tenant.Read(work => Groups.List(work).Select(g => g.Name).ToArray()));
            Assert.Single(tenant.Read(work => AuditEntry.Query(work, action: "Rollover").ToArray()));
        }

        [SkippableFact]
        public void A_code_of_a_departing_teacher_is_free_for_the_one_who_takes_it_over_when_departed_staff_are_removed()
        {
            // A teacher who leaves had the code JAN; this year's file gives it to the new teacher who takes over.
            var tenant = Tenant;
            var departing = WriteUtf8(_temp, "vertrekt.csv", "gebruikersnaam;code;achternaam;rol;klas", "oud@school.nl;JAN;Oud;docent;H3b");
            using (var change = PlannedChange.Begin(tenant, Confirmation.NotAsked))
                change.Apply(work => { StaffImporter.Apply(work, StaffImporter.Plan(work, Staff(departing), new StaffImportOptions()), departing); return true; });
            var students = WriteUtf8(_temp, "leerlingen-jan.csv", StudentHeader, "001;Zoë;Jansen;1-2-2011;H4a", "002;Daniël;Berg;3-4-2010;H4a", "003;Emre;Çelik;5-6-2011;H4b", "004;Anna;Smit;7-8-2010;H4b");
            var staff = WriteUtf8(_temp, "personeel-jan.csv", "gebruikersnaam;code;achternaam;rol;klas", "j.bakker@school.nl;;Bakker;mentor;H4a", "nieuw@school.nl;jan;Nieuw;mentor;H4b");
            RolloverRun Run(bool removeDeparted) => RolloverRun.Read(new RolloverOptions
            {
                StudentPath = students, StaffPath = staff, RemoveDepartedStaff = removeDeparted,
                Limits = new RolloverLimits { MaxNewStudentsPercent = 100, MaxLeaversPercent = 100 },
            });

            // Kept, the departing teacher keeps the code: the new one's row is refused.
            var kept = Run(removeDeparted: false);
            using (var read = tenant.BeginRead()) kept.PlanAgainst(read);
            Assert.Equal("DuplicateCode", kept.Plan.Errors.Single().ErrorId);

            var run = Run(removeDeparted: true);
            using (var change = PlannedChange.Begin(tenant, Confirmation.NotAsked))
            {
                run.PlanAgainst(change.Plan);
                Assert.Empty(run.Plan.Errors);
                Assert.Equal(new[] { "oud@school.nl" }, run.Apply(change).StaffRemoved.Select(s => s.UserName));
            }
            var stored = tenant.Read(work => StaffTable.LoadAll(work));
            Assert.Equal(new[] { "j.bakker@school.nl", "nieuw@school.nl" }, stored.Keys.OrderBy(k => k));
            Assert.Equal(("jan", "H4b"), (stored["nieuw@school.nl"].Staff.Code, stored["nieuw@school.nl"].Staff.Groups.Single()));
        }

        /// <summary>The tenant's pupils, groups, staff links and audit log by their natural keys, read in a read of its own.</summary>
        private static string Dump(TenantStore tenant) => tenant.Read(work =>
            string.Join("\n", Store.Students.Query(work).OrderBy(s => s.Number).Select(s => $"{s.Number} {s.FullName} {s.BirthDate:yyyy-MM-dd} {s.Group}")) + "\n" +
            string.Join(",", Groups.List(work).Select(g => $"{g.Folder}/{g.Name}:{g.StudentCount}:{g.StaffCount}")) + "\n" +
            string.Join(",", StaffTable.LoadAll(work).Values.Select(r => $"{r.Staff.UserName}={string.Join("+", r.Staff.Groups)}")) + "\n" +
            string.Join(",", AuditEntry.Query(work).Select(e => e.Action)));

        public sealed class OnStoreFile : RolloverRunTests { public OnStoreFile() : base(StoreKind.File) { } }

        public sealed class OnServer : RolloverRunTests { public OnServer() : base(StoreKind.Server) { } }
    }
}
