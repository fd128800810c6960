using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Store;
using Xunit;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// Staff files that stress a server school's set-based staff writes (Postgres.ServerStaffWriter), each
    /// run on a store file and on a server school: the store file is the oracle, so both must end with the
    /// same rows, the same row outcomes and the same audit entry.
    /// </summary>
    public sealed class ServerStaffImportAttackTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private const string Header = "gebruikersnaam;code;voornaam;achternaam;rol;klas;klas";

        /// <summary>A school with groups H1, B2 and Ä1 and three staff members, then <paramref name="files"/> imported in turn.</summary>
        private List<string> Outcome(StoreKind kind, StaffImportOptions options, params string[][] files)
        {
            var store = TestStores.New(kind, _temp, "staffattack");
            foreach (var group in new[] { "H1", "B2", "Ä1" }) GroupCreation.Create(store, group, "2026-2027", null);
            var outcome = new List<string>();
            var all = new[] { new[] { "m@school.nl;MEN;Mia;Mentor;mentor, docent;H1;B2", "d@school.nl;DOC;;Docent;docent;Ä1;", "Éric@school.nl;ER;Éric;Élève;docent;;" } }.Concat(files).ToArray();
            for (var i = 0; i < all.Length; i++)
            {
                var path = WriteUtf8(_temp, $"{kind}-{i}.csv", new[] { Header }.Concat(all[i]).ToArray());
                try
                {
                    using var change = PlannedChange.Begin(TestStores.Reopen(store), Confirmation.NotAsked);
                    var plan = change.Apply(work =>
                    {
                        var planned = StaffImporter.Plan(work, Staff(path), i == 0 ? new StaffImportOptions() : options);
                        StaffImporter.Apply(work, planned, "file " + i);
                        return planned;
                    });
                    outcome.Add($"import {i}: {plan.Created} {plan.Updated} {plan.Unchanged} {plan.Failed} {plan.LinksAdded} {plan.LinksRemoved} {string.Join(",", plan.NewGroups)}");
                    outcome.AddRange(plan.Rows.Select(r => $"row {r.RowNumber}: {r.Action} +{r.LinksAdded} -{r.LinksRemoved} {string.Join(" ", r.Errors.Select(e => e.ErrorId + " " + e.Message))}"));
                }
                catch (AmnException e)
                {
                    outcome.Add($"import {i} failed: {e.ErrorId} {e.Message}");
                }
            }
            using var read = TestStores.Reopen(store).BeginRead();
            outcome.AddRange(read.Queries.Staff().Values.OrderBy(r => r.Staff.UserName, StringComparer.Ordinal)
                .Select(r => $"staff {r.Id}: {r.Staff.UserName}|{r.Staff.Code}|{r.Staff.FirstName}|{r.Staff.LastName}|{r.Staff.Email}|{string.Join(",", r.Staff.Roles)}|{string.Join(",", r.Staff.Groups.OrderBy(g => g, StringComparer.Ordinal))}"));
            outcome.AddRange(read.Queries.Groups().Select(g => $"group {g.Folder}/{g.Name} {g.StudentCount} {g.StaffCount}"));
            outcome.AddRange(read.Queries.AuditLog(null, null, "ImportStaff").Select(e => $"audit {e.Target} {e.Details}"));
            return outcome;
        }

        private void SameOnBothStores(StaffImportOptions options, params string[][] files)
        {
            var file = Outcome(StoreKind.File, options, files);
            var server = Outcome(StoreKind.Server, options, files);
            Assert.Equal(file, server);
        }

        [SkippableFact]
        public void The_same_link_twice_in_a_row_and_a_group_named_in_two_cases_end_as_on_the_store_file()
        {
            SameOnBothStores(new StaffImportOptions(),
                new[] { "n@school.nl;NEW;Nieuw;Lid;docent;B2;b2", "m@school.nl;MEN;Mia;Mentor;mentor, docent;h1;ä1", "x@school.nl;;X;Y;docent;Ä1;Ä1" });
        }

        [SkippableFact]
        public void Empty_roles_repeated_roles_and_roles_in_other_case_end_as_on_the_store_file()
        {
            SameOnBothStores(new StaffImportOptions(),
                new[] { "m@school.nl;MEN;Mia;Mentor;;H1;B2", "d@school.nl;DOC;;Docent;Docent, DOCENT, mentor;Ä1;", "n@school.nl;;N;Nieuw;;;" });
        }

        [SkippableFact]
        public void A_username_in_other_case_and_a_code_in_other_case_end_as_on_the_store_file()
        {
            SameOnBothStores(new StaffImportOptions(),
                new[] { "M@SCHOOL.NL;men;Mia;Mentor;mentor, docent;H1;B2", "éRIC@school.nl;er;Éric;Élève;docent;;" });
        }

        [SkippableFact]
        public void A_code_moved_or_swapped_between_staff_ends_as_on_the_store_file()
        {
            SameOnBothStores(new StaffImportOptions(),
                new[] { "m@school.nl;DOC;Mia;Mentor;mentor;H1;", "d@school.nl;MEN;;Docent;docent;;" },
                new[] { "m@school.nl;;Mia;Mentor;mentor;H1;", "n@school.nl;MEN;N;Nieuw;docent;;" },
                new[] { "n@school.nl;NN;N;Nieuw;docent;;", "q@school.nl;MEN;Q;Nieuw;docent;;" });
        }

        [SkippableTheory]
        [InlineData(StoreKind.File), InlineData(StoreKind.Server)]
        public void A_code_moved_to_a_colleague_in_one_file_is_moved(StoreKind kind)
        {
            var outcome = Outcome(kind, new StaffImportOptions(), new[] { "m@school.nl;MIA;Mia;Mentor;mentor;H1;", "n@school.nl;MEN;N;Nieuw;docent;;" });
            Assert.Contains("import 1: 1 1 0 0 0 0 ", outcome);
            Assert.Contains("staff 4: n@school.nl|MEN|N|Nieuw||docent|", outcome);
        }

        [SkippableTheory]
        [InlineData(StoreKind.File), InlineData(StoreKind.Server)]
        public void Codes_swapped_between_two_colleagues_in_one_file_are_swapped(StoreKind kind)
        {
            var outcome = Outcome(kind, new StaffImportOptions(), new[] { "d@school.nl;MEN;;Docent;docent;Ä1;", "m@school.nl;DOC;Mia;Mentor;mentor, docent;H1;B2" });
            Assert.Contains("import 1: 0 2 0 0 0 0 ", outcome);
            Assert.Contains(outcome, line => line.StartsWith("staff ") && line.Contains(": d@school.nl|MEN|"));
            Assert.Contains(outcome, line => line.StartsWith("staff ") && line.Contains(": m@school.nl|DOC|"));
        }

        /// <summary>
        /// Docent gives DOC up for ER, which stays Éric's: Docent's row fails, so DOC stays his and Mia cannot take it, so
        /// MEN stays Mia's and the new colleague cannot take that either. Nothing is written, on either store.
        /// </summary>
        [SkippableFact]
        public void A_code_is_moved_only_when_its_owners_row_goes_through_also_down_a_chain()
        {
            var file = Outcome(StoreKind.File, new StaffImportOptions(), new[] { "n@school.nl;MEN;N;Nieuw;docent;;", "m@school.nl;DOC;Mia;Mentor;mentor, docent;H1;B2", "d@school.nl;ER;;Docent;docent;Ä1;" });
            Assert.Contains("import 1: 0 0 0 3 0 0 ", file);
            Assert.Equal(3, file.Count(line => line.StartsWith("row ") && line.Contains("DuplicateCode")));
            Assert.Contains(file, line => line.StartsWith("row 2: Failed") && line.Contains("'MEN' stays with m@school.nl: their row 3 gives it up but fails"));
            Assert.Contains(file, line => line.StartsWith("row 4: Failed") && line.Contains("'ER' already belongs to Éric@school.nl"));
            Assert.Equal(file, Outcome(StoreKind.Server, new StaffImportOptions(), new[] { "n@school.nl;MEN;N;Nieuw;docent;;", "m@school.nl;DOC;Mia;Mentor;mentor, docent;H1;B2", "d@school.nl;ER;;Docent;docent;Ä1;" }));
        }

        [SkippableFact]
        public void Exclusive_links_removed_and_added_and_missing_groups_created_end_as_on_the_store_file()
        {
            SameOnBothStores(new StaffImportOptions { Exclusive = true, CreateMissingGroups = true },
                new[] { "m@school.nl;MEN;Mia;Mentor;mentor, docent;B2;nieuw", "d@school.nl;DOC;;Docent;docent;NIEUW;Nieuw", "Éric@school.nl;ER;Éric;Élève;docent;H1;Ä1" },
                new[] { "m@school.nl;MEN;Mia;Mentor;mentor, docent;;", "d@school.nl;DOC;;Docent;docent;H1;B2" });
        }

        [SkippableFact]
        public void Values_at_the_cell_limit_and_outside_ASCII_end_as_on_the_store_file()
        {
            var longName = new string('ë', 32767);
            SameOnBothStores(new StaffImportOptions(),
                new[] { $"l@school.nl;LANG;{longName};{new string('x', 32767)};docent;H1;", "ü@school.nl;Ü1;Ünal;Öztürk;docent;Ä1;", "m@school.nl;MEN;Mía;Méntor;mentor, docent;H1;B2" });
        }

        /// <summary>
        /// Letters that PostgreSQL's lower() folds onto another (İ onto i, ẞ onto ß) but that the module and SQLite keep
        /// apart: two staff members, codes, groups and folders, as on the store file.
        /// </summary>
        [SkippableFact]
        public void Names_that_only_the_servers_lower_folds_together_end_as_on_the_store_file()
        {
            SameOnBothStores(new StaffImportOptions { CreateMissingGroups = true },
                new[] { "İlker@school.nl;İ1;İlker;Yılmaz;docent;İ9;ẞ9", "ilker@school.nl;i1;Ilker;Yilmaz;docent;i9;ß9" });
        }

        [SkippableFact]
        public void Folders_that_only_the_servers_lower_folds_together_end_as_on_the_store_file()
        {
            var outcomes = new List<List<string>>();
            foreach (var kind in new[] { StoreKind.File, StoreKind.Server })
            {
                var store = TestStores.New(kind, _temp, "folderattack");
                var outcome = new List<string>();
                foreach (var (group, folder) in new[] { ("G1", "İstanbul"), ("G2", "istanbul"), ("G3", "Straẞe"), ("G4", "straße") })
                {
                    try { outcome.Add($"{group}: {GroupCreation.Create(TestStores.Reopen(store), group, folder, null).Created}"); }
                    catch (AmnException e) { outcome.Add($"{group}: {e.ErrorId} {e.Message}"); }
                }
                using (var read = TestStores.Reopen(store).BeginRead())
                    outcome.AddRange(read.Queries.Folders().Select(f => $"folder {f.Path} {f.GroupCount}"));
                outcomes.Add(outcome);
            }
            Assert.Equal(outcomes[0], outcomes[1]);
        }

        [SkippableFact]
        public void Ten_thousand_staff_then_the_same_file_with_a_tenth_changed_end_as_on_the_store_file()
        {
            var first = Enumerable.Range(0, 10000).Select(i => $"s{i}@school.nl;C{i};Voor{i};Achter{i};{(i % 3 == 0 ? "mentor, docent" : "docent")};{(i % 2 == 0 ? "H1" : "B2")};{(i % 5 == 0 ? "Ä1" : "")}").ToArray();
            var second = Enumerable.Range(0, 10000).Select(i => i % 10 == 0
                ? $"S{i}@school.nl;c{i};Andere{i};Achter{i};mentor;B2;H1"
                : $"s{i}@school.nl;C{i};Voor{i};Achter{i};{(i % 3 == 0 ? "mentor, docent" : "docent")};{(i % 2 == 0 ? "H1" : "B2")};{(i % 5 == 0 ? "Ä1" : "")}").ToArray();
            SameOnBothStores(new StaffImportOptions { Exclusive = true }, first, second);
        }
    }
}
