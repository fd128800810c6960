using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.SchoolYear;
using Amn.Rollover.Core.Store;
using Xunit;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// A rollover on a server school as an unlucky admin runs it: a saved plan applied in another session with
    /// other session settings, a run cancelled halfway, two runs at once, a staff import between plan and apply.
    /// The store file is the oracle: each ends there as on the server.
    /// </summary>
    public sealed class ServerRolloverAttackTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private TenantStore School(StoreKind kind)
        {
            var store = TestStores.New(kind, _temp, "rolloverattack");
            var students = WriteUtf8(_temp, kind + "-l.csv", "nr;voornaam;achternaam;geboortedatum;geslacht;klas",
                "1;Zoë;de Vries;7-3-2012;V;H1", "2;Daan;Bakker;31-12-2011;M;H1", "3;Eva;Ödegaard;;;Ä1", "4;Bram;Smit;1-1-2010;M;B2", "5;Weg;Gaat;;;B2");
            using (var change = PlannedChange.Begin(store, Confirmation.NotAsked))
                change.Apply(work =>
                {
                    using var session = new StudentImportSession(work, new StudentImportOptions { Folder = "2026-2027" }, write: true);
                    foreach (var record in Students(students)) session.Add(record);
                    return session.Complete(students);
                });
            var staff = WriteUtf8(_temp, kind + "-p.csv", "gebruikersnaam;code;voornaam;achternaam;rol;klas;klas",
                "m@school.nl;MEN;Mia;Mentor;mentor, docent;H1;B2", "d@school.nl;;;Docent;docent;Ä1;", "a@school.nl;AB;Ab;Weg;docent;;");
            ImportStaff(store, staff);
            return store;
        }

        private static StaffImportResult ImportStaff(TenantStore store, string path)
        {
            using var change = PlannedChange.Begin(store, Confirmation.NotAsked);
            return change.Apply(work =>
            {
                var planned = StaffImporter.Plan(work, Staff(path), new StaffImportOptions());
                StaffImporter.Apply(work, planned, path);
                return planned;
            });
        }

        private RolloverRun NextYear(StoreKind kind)
        {
            var students = WriteUtf8(_temp, kind + "-rl.csv", "nr;voornaam;achternaam;geboortedatum;geslacht;klas",
                "1;Zoë;de Vries;7-3-2012;V;H2", "2;Daan;Bakker;31-12-2011;M;h2", "3;Eva;Ödegaard;;;Ä2", "4;Bram;Smit;1-1-2010;M;B3", "6;Nieuw;Kind;;;B3");
            var staff = WriteUtf8(_temp, kind + "-rp.csv", "gebruikersnaam;code;voornaam;achternaam;rol;klas;klas",
                "m@school.nl;MEM;Mia;Mentor;mentor;H2;B3", "d@school.nl;;;Docent;docent;Ä2;", "n@school.nl;NW;Nieuwe;Docent;docent, mentor;B3;H2");
            return RolloverRun.Read(new RolloverOptions { StudentPath = students, StaffPath = staff, Folder = "2027-2028", RemoveDepartedStaff = true,
                Limits = new RolloverLimits { MaxNewStudentsPercent = 100, MaxLeaversPercent = 100 } });
        }

        /// <summary>What the school holds, in a new session: pupils, groups, staff and the audit log's actions (ids left out, they are the store's own).</summary>
        private static List<string> Contents(TenantStore store)
        {
            using var read = TestStores.Reopen(store).BeginRead();
            var queries = read.Queries;
            var contents = new List<string>();
            contents.AddRange(queries.Students(null, null, false, null).Select(s => $"student {s.Number}|{s.Group}|{s.FirstName}|{s.LastName}|{s.BirthDate:yyyy-MM-dd}|{s.Gender}"));
            contents.AddRange(queries.Groups().Select(g => $"group {g.Folder}/{g.Name} {g.StudentCount} {g.StaffCount}"));
            contents.AddRange(queries.Staff().Values.OrderBy(r => r.Staff.UserName, StringComparer.Ordinal)
                .Select(r => $"staff {r.Staff.UserName}|{r.Staff.Code}|{r.Staff.FirstName}|{r.Staff.LastName}|{string.Join(",", r.Staff.Roles)}|{string.Join(",", r.Staff.Groups)}"));
            contents.AddRange(queries.AuditLog(null, null, null).Select(e => $"audit {e.Action}").OrderBy(a => a, StringComparer.Ordinal));
            return contents;
        }

        private static string Fingerprint(TenantStore store)
        {
            using var read = store.BeginRead();
            return read.Queries.Fingerprint();
        }

        [SkippableFact]
        public void A_saved_plans_fingerprint_is_the_same_in_a_session_with_other_settings_and_changes_with_a_hand_edit()
        {
            var store = School(StoreKind.Server);
            var before = Fingerprint(TestStores.Reopen(store));
            foreach (var options in new[] { "-c TimeZone=Pacific/Chatham -c DateStyle=SQL,DMY", "-c TimeZone=America/St_Johns -c DateStyle=German -c IntervalStyle=sql_standard -c extra_float_digits=-15 -c bytea_output=escape" })
                Assert.Equal(before, Fingerprint(TestStores.ReopenWith(store, b => b.Options = options)));
            using (var write = TestStores.ReopenWith(store, b => b.Options = "-c TimeZone=Asia/Kathmandu").BeginWrite())
                Assert.Equal(before, write.Queries.Fingerprint()); // the write that checks a saved plan hashes as the read that made it

            TestStores.HandEdit(store, null, "UPDATE staff SET code = code;"); // a write that changes no value
            Assert.Equal(before, Fingerprint(TestStores.Reopen(store)));
            TestStores.HandEdit(store, null, "UPDATE staff SET updated_utc = updated_utc + interval '1 microsecond' WHERE code = 'MEN';");
            var touched = Fingerprint(TestStores.Reopen(store));
            Assert.NotEqual(before, touched);
            TestStores.HandEdit(store, null, "UPDATE students SET last_seen_date = last_seen_date - 1 WHERE number = '1';");
            Assert.NotEqual(touched, Fingerprint(TestStores.Reopen(store)));
        }

        /// <summary>Ctrl+C in the cmdlet cancels the token: at each step's end the run stops, and the school is as before.</summary>
        [SkippableTheory]
        [InlineData("Step2"), InlineData("Step3"), InlineData("Step4")]
        public void A_rollover_cancelled_halfway_leaves_the_school_as_before_on_both_stores(string step)
        {
            var outcomes = new List<string>();
            foreach (var kind in new[] { StoreKind.File, StoreKind.Server })
            {
                var store = School(kind);
                var before = Contents(store);
                var fingerprint = Fingerprint(store);
                var run = NextYear(kind);
                using var cancel = new CancellationTokenSource();
                using (var change = PlannedChange.Begin(TestStores.Reopen(store), Confirmation.NotAsked))
                {
                    run.PlanAgainst(change.Plan);
                    var stopped = Assert.ThrowsAny<OperationCanceledException>(() =>
                        run.Apply(change, cancel.Token, (status, fraction) => { if (status == Messages.Get(step)) cancel.Cancel(); }));
                    outcomes.Add(stopped.GetType().Name);
                }
                Assert.Equal(before, Contents(store));
                Assert.Equal(fingerprint, Fingerprint(TestStores.Reopen(store)));
            }
            Assert.Equal(outcomes[0], outcomes[1]);
        }

        /// <summary>Two admins confirm a rollover at once, or one imports staff while the other's question is open: the later apply is refused on both stores.</summary>
        [SkippableTheory]
        [InlineData(false), InlineData(true)]
        public void A_change_by_another_session_between_plan_and_apply_refuses_the_rollover_on_both_stores(bool staffImport)
        {
            var outcomes = new List<List<string>>();
            foreach (var kind in new[] { StoreKind.File, StoreKind.Server })
            {
                var store = School(kind);
                var outcome = new List<string>();
                var first = NextYear(kind);
                var second = NextYear(kind);
                using (var late = PlannedChange.Begin(TestStores.Reopen(store), Confirmation.Asked))
                {
                    second.PlanAgainst(late.Plan);
                    if (staffImport)
                        outcome.Add("staff: " + ImportStaff(TestStores.Reopen(store), WriteUtf8(_temp, kind + "-extra.csv", "gebruikersnaam;achternaam;rol", "x@school.nl;Extra;docent")).Created);
                    else
                        using (var early = PlannedChange.Begin(TestStores.Reopen(store), Confirmation.Asked))
                        {
                            first.PlanAgainst(early.Plan);
                            outcome.Add("first: " + first.Apply(early).StaffRemoved.Count);
                        }
                    var refused = Assert.Throws<AmnException>(() => second.Apply(late));
                    outcome.Add("second: " + refused.ErrorId);
                }
                outcome.AddRange(Contents(store));
                outcomes.Add(outcome);
            }
            Assert.Equal(outcomes[0], outcomes[1]);
        }

        /// <summary>Another school's export: almost no pupil matches, so the run stops; the same stops on both stores.</summary>
        [SkippableFact]
        public void Another_schools_export_meets_the_same_safety_stops_on_both_stores()
        {
            var outcomes = new List<List<string>>();
            foreach (var kind in new[] { StoreKind.File, StoreKind.Server })
            {
                var store = School(kind);
                var students = WriteUtf8(_temp, kind + "-other-l.csv", new[] { "nr;voornaam;achternaam;klas" }.Concat(Enumerable.Range(100, 20).Select(i => $"{i};Ander{i};Kind;X{i % 3}")).ToArray());
                var staff = WriteUtf8(_temp, kind + "-other-p.csv", "gebruikersnaam;achternaam;rol;klas", "z@other.nl;Ander;docent;X1");
                var run = RolloverRun.Read(new RolloverOptions { StudentPath = students, StaffPath = staff, Folder = "2027-2028", RemoveDepartedStaff = true });
                using var change = PlannedChange.Begin(TestStores.Reopen(store), Confirmation.WhatIf);
                run.PlanAgainst(change.Plan);
                Assert.NotEmpty(run.Plan.SafetyStops); // the oracle stops the run, and so must the server
                var outcome = run.Plan.SafetyStops.Select(s => $"{s.Limit} {s.Parameter} {s.Percent} {s.MaximumPercent}").ToList();
                outcome.Add($"{run.Plan.StoredStudentCount} {run.Plan.Students.NotInFile.Count} {run.Plan.Staff.NotInFile.Count}");
                outcome.AddRange(Contents(store));
                outcomes.Add(outcome);
            }
            Assert.Equal(outcomes[0], outcomes[1]);
        }

        [SkippableFact]
        public void A_rollover_ends_on_the_server_as_on_the_store_file_and_a_second_run_of_the_same_files_changes_nothing_more()
        {
            var outcomes = new List<List<string>>();
            foreach (var kind in new[] { StoreKind.File, StoreKind.Server })
            {
                var store = School(kind);
                var outcome = new List<string>();
                for (var i = 0; i < 2; i++)
                {
                    var run = NextYear(kind);
                    using var change = PlannedChange.Begin(TestStores.Reopen(store), Confirmation.NotAsked);
                    run.PlanAgainst(change.Plan);
                    var result = run.Apply(change);
                    outcome.Add($"run {i}: {run.Plan.GroupsToRemove.Count} {run.Plan.GroupsToCreate.Count} {run.Plan.Students.Moved.Count} {run.Plan.Staff.Created.Count} {run.Plan.LinksToCreate.Count} {result.StaffRemoved.Count} {string.Join(",", run.Plan.SafetyStops.Select(s => s.Limit))}");
                }
                outcome.AddRange(Contents(store));
                outcomes.Add(outcome);
            }
            Assert.Equal(outcomes[0], outcomes[1]);
        }
    }
}
