using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;
using Amn.Rollover.Core.Importing;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    public abstract class StudentImporterTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private readonly StoreKind _kind;
        private TenantStore _tenant;

        /// <summary>The test's tenant, made on first use (so a test on the server is skipped, not failed, without one).</summary>
        private TenantStore Tenant => _tenant ??= TestStores.New(_kind, _temp);

        protected StudentImporterTests(StoreKind kind) => _kind = kind;

        public void Dispose() => _temp.Dispose();

        private StudentImportResult Import(string header, IEnumerable<string> rows, StudentImportOptions options = null, bool apply = true)
        {
            var path = WriteUtf8(_temp, Guid.NewGuid().ToString("N") + ".csv", new[] { header }.Concat(rows).ToArray());
            var records = Students(path);
            using var work = Tenant.BeginWrite();
            var plan = StudentImporter.Plan(work.Queries, records, options ?? new StudentImportOptions());
            if (!apply) return plan;
            StudentImporter.Apply(work.Edits, plan, path);
            work.Commit();
            return plan;
        }

        private List<Student> Stored() => StoredIn(Tenant);

        private const string Header = "nr;voornaam;tussenvoegsel;achternaam;geboortedatum;klas;email";

        [SkippableFact]
        public void Creates_students_and_their_groups_in_the_folder()
        {
            var result = Import(Header, new[] { "001;Zoë;;Jansen;1-2-2011;H4a;zoe@x.nl", "002;Daniël;van der;Berg;;H4b;" }, new StudentImportOptions { Folder = "2026-2027\\Havo" });
            Assert.Equal((2, 0, 0, 0, 2), (result.Created, result.Updated, result.Unchanged, result.Failed, result.GroupsCreated));
            var stored = Stored();
            Assert.Equal(new[] { "001", "002" }, stored.Select(s => s.Number));
            Assert.Equal("Daniël van der Berg", stored[1].FullName);
            Assert.Equal("Zoë Jansen", stored[0].FullName);
            Assert.All(Tenant.Read(work => Groups.List(work)), g => Assert.Equal("2026-2027/Havo", g.Folder));
            Assert.True(Tenant.Read(work => Folders.Exists(work, "2026-2027"))); // the parent folder exists too
        }

        [SkippableFact]
        public void Reimport_is_unchanged_and_changes_are_listed()
        {
            Import(Header, new[] { "001;Zoë;;Jansen;1-2-2011;H3a;zoe@x.nl" });
            var same = Import(Header, new[] { "001;Zoë;;Jansen;1-2-2011;h3A;zoe@x.nl" });
            Assert.Equal(1, same.Unchanged);
            Assert.Equal(0, same.GroupsCreated); // h3A is the existing group H3a

            var moved = Import(Header, new[] { "001;Zoë;;Jansen;1-2-2011;H4a;" });
            var row = Assert.Single(moved.Rows);
            Assert.Equal(ImportAction.Moved, row.Action); // another group: Moved, whatever else changes
            Assert.Equal(1, moved.Moved);
            Assert.Equal(0, moved.Updated);
            Assert.Equal(new[] { "Email", "Group" }, row.Changes.Select(c => c.Field));
            Assert.Equal("Email: zoe@x.nl -> (empty), Group: H3a -> H4a", row.Changes.ToString());
            var stored = Assert.Single(Stored());
            Assert.Null(stored.Email); // an empty cell clears an optional field
            Assert.Equal("H4a", stored.Group);
        }

        [SkippableFact]
        public void Columns_the_file_lacks_keep_their_stored_values()
        {
            Import(Header, new[] { "001;Zoë;;Jansen;1-2-2011;H3a;zoe@x.nl" });
            var result = Import("nr;voornaam;achternaam;klas", new[] { "001;Zoë;Jansen;H4a" });
            Assert.Equal("Group: H3a -> H4a", result.Rows[0].Changes.ToString());
            var stored = Assert.Single(Stored());
            Assert.Equal(("zoe@x.nl", new DateTime(2011, 2, 1)), (stored.Email, stored.BirthDate.Value));
        }

        [SkippableFact]
        public void A_number_of_another_person_fails_unless_allowed()
        {
            Import(Header, new[] { "001;Zoë;;Jansen;1-2-2011;H3a;" });
            var reused = Import(Header, new[] { "001;Piet;;Jansen;5-5-2012;H4a;" });
            var error = Assert.Single(reused.Rows[0].Errors);
            Assert.Equal("NumberReused", error.ErrorId);
            Assert.Contains("Zoë Jansen", error.Message);
            Assert.Equal("Zoë", Assert.Single(Stored()).FirstName);

            var allowed = Import(Header, new[] { "001;Piet;;Jansen;5-5-2012;H4a;" }, new StudentImportOptions { AllowIdentityChange = true });
            Assert.Equal(1, allowed.Moved);
            Assert.Equal("Piet", Assert.Single(Stored()).FirstName);
        }

        [SkippableFact]
        public void The_error_log_holds_rows_that_fail_in_the_plan_with_their_values()
        {
            Import(Header, new[] { "001;Zoë;;Jansen;1-2-2011;H3a;" });
            var path = WriteUtf8(_temp, "reused.csv", Header + ";opmerking", "001;Piet;;Bakker;5-5-2012;H4a;;niet meer", "002;31-02-2010;;Kok;31-02-2010;H4a;;x");
            var records = Students(path);
            using var work = Tenant.BeginWrite();
            var plan = StudentImporter.Plan(work.Queries, records, new StudentImportOptions());
            var log = _temp.File("fouten.csv");
            ErrorLog.Write(log, plan.FailedRows(), ';');
            var lines = File.ReadAllLines(log);
            Assert.Equal("nr;voornaam;tussenvoegsel;achternaam;geboortedatum;klas;email;opmerking;ErrorId;Column;Value;Message", lines[0]);
            // Failed in the plan: rebuilt from the record (an ignored column stays empty).
            Assert.StartsWith("001;Piet;;Bakker;05-05-2012;H4a;;;NumberReused;nr;001;", lines[1]);
            // Failed while read: the cells as they were.
            Assert.StartsWith("002;31-02-2010;;Kok;31-02-2010;H4a;;x;InvalidDate;", lines[2]);
        }

        private StudentImportResult Stream(params string[] rows) => Stream(Tenant, rows).result;

        private (StudentImportResult result, TenantStore store) Stream(TenantStore store, params string[] rows)
        {
            var path = WriteUtf8(_temp, Guid.NewGuid().ToString("N") + ".csv", new[] { Header }.Concat(rows).ToArray());
            var records = Students(path);
            using var work = store.BeginWrite();
            StudentImportResult result;
            using (var session = new StudentImportSession(work, new StudentImportOptions(), write: true))
            {
                foreach (var record in records) session.Add(record);
                result = session.Complete(path);
            }
            work.Commit();
            return (result, store);
        }

        private static List<Student> StoredIn(TenantStore store) => store.Read(work => Store.Students.Query(work).ToList());

        [SkippableFact]
        public void Writing_while_reading_undoes_a_new_pupil_whose_number_comes_back_with_other_data()
        {
            var result = Stream("001;A;;B;;Q1;", "002;C;;D;;H1;", "001;A;;B;;Q1;", "001;X;;B;;Q1;");
            Assert.Equal(new[] { ImportAction.Failed, ImportAction.Created, ImportAction.Failed, ImportAction.Failed }, result.Rows.Select(r => r.Action));
            Assert.Equal((1, 0, 0, 3), (result.Created, result.Updated, result.Unchanged, result.Failed));
            Assert.Equal(new[] { "002" }, Stored().Select(s => s.Number));
            // Q1 was only wanted by the undone rows: it is not left behind.
            Assert.Equal(new[] { "H1" }, result.NewGroups);
            Assert.Equal(new[] { "H1" }, Tenant.Read(work => Groups.List(work)).Select(g => g.Name));
        }

        [SkippableFact]
        public void Writing_while_reading_restores_an_updated_pupil_whose_number_comes_back_with_other_data()
        {
            Import(Header, new[] { "003;Zoë;;Jansen;1-2-2011;H3a;zoe@x.nl" });
            var result = Stream("003;Zoë;;Jansen;1-2-2011;H4a;zoe@x.nl", "003;Zoë;;Jansen-Smit;1-2-2011;H4b;zoe@x.nl");
            Assert.Equal((0, 0, 2), (result.Created, result.Updated, result.Failed));
            var stored = Assert.Single(Stored());
            Assert.Equal(("H3a", "Jansen", "zoe@x.nl"), (stored.Group, stored.LastName, stored.Email));
            Assert.Empty(result.NewGroups);
        }

        [SkippableFact]
        public void Writing_while_reading_ends_as_planning_first_would()
        {
            Import(Header, new[] { "010;Old;;Pupil;1-1-2010;H1;", "011;Other;;Pupil;2-2-2010;H1;" });
            var rows = new[] { "010;Old;;Pupil;1-1-2010;H2;", "011;Someone;;Else;3-3-2011;H2;", "012;New;;Pupil;;H3;", "012;New;;Pupil;;H3;", "013;A;;B;31-02-2010;H3;", "014;C;;D;;H3;", "014;E;;D;;H3;" };
            var path = WriteUtf8(_temp, "p.csv", new[] { Header }.Concat(rows).ToArray());
            StudentImportResult planned;
            using (var read = Tenant.BeginRead())
                planned = StudentImporter.Plan(read.Queries, Students(path), new StudentImportOptions());
            var streamed = Stream(rows);
            Assert.Equal(planned.Rows.Select(r => (r.Number, r.Action, r.Errors.Select(e => e.ErrorId).FirstOrDefault())),
                         streamed.Rows.Select(r => (r.Number, r.Action, r.Errors.Select(e => e.ErrorId).FirstOrDefault())));
            Assert.Equal(planned.NewGroups, streamed.NewGroups);
            Assert.Equal(new[] { "010", "011", "012" }, Stored().Select(s => s.Number).OrderBy(n => n));
        }

        /// <summary>37 rows: two full multi-row inserts and 5 rows written one by one; names and e-mails vary per row.</summary>
        private static string[] ManyRows(int count = 37) => Enumerable.Range(1, count)
            .Select(i => $"{i:000};{(i % 3 == 0 ? "Zoë" : "Daniël")}{i};{(i % 4 == 0 ? "van der" : "")};Kılıç{i};{i % 28 + 1}-{i % 12 + 1}-2011;H{i % 5};{(i % 2 == 0 ? $"p{i}@x.nl" : "")}")
            .ToArray();

        [SkippableFact]
        public void Batched_inserts_store_every_field_of_every_row()
        {
            var rows = ManyRows();
            var planned = Import(Header, rows);
            Assert.Equal(37, planned.Created);
            var streamedStore = TestStores.New(_kind, _temp, "streamed");
            var expected = Students(WriteUtf8(_temp, "many.csv", new[] { Header }.Concat(rows).ToArray()));
            foreach (var stored in new[] { Stored(), StoredIn(Stream(streamedStore, rows).store) })
            {
                Assert.Equal(expected.Length, stored.Count);
                foreach (var (record, student) in expected.Zip(stored.OrderBy(s => s.Number), (r, s) => (r, s)))
                    Assert.Equal((record.Number, record.FirstName, record.Prefix, record.LastName, record.BirthDate, record.Group, record.Email),
                                 (student.Number, student.FirstName, student.Prefix, student.LastName, student.BirthDate, student.Group, student.Email));
            }
        }

        [SkippableFact]
        public void A_number_that_comes_back_undoes_a_pupil_still_waiting_in_a_batch_or_already_written()
        {
            var rows = ManyRows().ToList();
            rows.Insert(10, "003;Other;;Person;;H1;"); // row 3 is still waiting for a full batch
            rows.Add("005;Someone;;Else;;H1;");        // row 5 went out with the first batch
            var result = Stream(rows.ToArray());
            Assert.Equal((35, 4), (result.Created, result.Failed));
            var numbers = Stored().Select(s => s.Number).ToList();
            Assert.Equal(35, numbers.Count);
            Assert.DoesNotContain("003", numbers);
            Assert.DoesNotContain("005", numbers);
            Assert.Contains("037", numbers);
        }

        [SkippableFact]
        public void Planning_does_not_change_the_input_records()
        {
            Import(Header, new[] { "001;Zoë;;Jansen;1-2-2011;H3a;" });
            var path = WriteUtf8(_temp, "again.csv", Header, "001;Piet;;Jansen;5-5-2012;H4a;");
            var records = Students(path);
            using var work = Tenant.BeginWrite();
            var preview = StudentImporter.Plan(work.Queries, records, new StudentImportOptions());
            Assert.Equal("NumberReused", preview.Rows[0].Errors.Single().ErrorId);
            Assert.Empty(records[0].Errors); // so the same records can be planned again, now allowed
            var real = StudentImporter.Plan(work.Queries, records, new StudentImportOptions { AllowIdentityChange = true });
            Assert.Equal(ImportAction.Moved, real.Rows[0].Action);
        }

        [SkippableFact]
        public void Without_birth_dates_only_two_different_names_mean_another_person()
        {
            Import("nr;voornaam;achternaam", new[] { "001;Zoë;Jansen", "002;Jan;Smit" });
            var result = Import("nr;voornaam;achternaam", new[] { "001;Zoey;Jansen", "002;Piet;Bakker" });
            Assert.Equal(ImportAction.Updated, result.Rows[0].Action); // a corrected first name
            Assert.Equal("NumberReused", Assert.Single(result.Rows[1].Errors).ErrorId);
        }

        [SkippableFact]
        public void Duplicates_in_the_input_count_once_or_fail_together()
        {
            var result = Import(Header, new[] { "001;A;;B;;H1;", "001;A;;B;;H1;", "002;C;;D;;H1;", "002;E;;D;;H1;" });
            Assert.Equal(new[] { ImportAction.Created, ImportAction.Unchanged, ImportAction.Failed, ImportAction.Failed }, result.Rows.Select(r => r.Action));
            Assert.Equal("DuplicateRow", result.Rows[1].Warnings.Single().ErrorId);
            Assert.All(result.Rows.Skip(2), r => Assert.Equal("DuplicateNumber", r.Errors.Single().ErrorId));
            Assert.Equal(new[] { "001" }, Stored().Select(s => s.Number));
        }

        [SkippableFact]
        public void Invalid_rows_fail_and_valid_rows_are_stored()
        {
            var result = Import(Header, new[] { "001;A;;B;31-02-2010;H1;", "002;C;;D;;H1;" });
            Assert.Equal((1, 1), (result.Created, result.Failed));
            Assert.Equal("InvalidDate", result.Rows[0].Errors.Single().ErrorId);
            Assert.Equal(new[] { "002" }, Stored().Select(s => s.Number));
        }

        [SkippableFact]
        public void A_plan_that_is_not_applied_leaves_the_store_identical()
        {
            Import(Header, new[] { "001;A;;B;;H1;" });
            var before = Snapshot();
            var plan = Import(Header, new[] { "001;A;;B;;H2;", "002;C;;D;;H3;" }, apply: false);
            Assert.Equal((1, 1, 2), (plan.Created, plan.Moved, plan.GroupsCreated));
            Assert.Equal(before, Snapshot());
        }

        /// <summary>The store file's bytes; on the server, every row of the school with its audit log (read as its admin).</summary>
        private string Snapshot() => _kind == StoreKind.File
            ? Convert.ToBase64String(File.ReadAllBytes(Tenant.Path))
            : Tenant.Read(work => work.Queries.Fingerprint()) + "/" + StoreSql.Scalar(Tenant, "SELECT count(*) || '/' || max(id) FROM audit_log");

        [SkippableFact]
        public void A_cancelled_apply_rolls_back_everything()
        {
            var rows = Enumerable.Range(0, 5000).Select(i => $"{i:D6};A;;B;;H{i % 10};").ToArray();
            var path = WriteUtf8(_temp, "big.csv", new[] { Header }.Concat(rows).ToArray());
            var records = Students(path);
            using (var work = Tenant.BeginWrite())
            {
                var plan = StudentImporter.Plan(work.Queries, records, new StudentImportOptions());
                using var cancel = new CancellationTokenSource();
                Assert.Throws<OperationCanceledException>(() => StudentImporter.Apply(work.Edits, plan, path, cancel.Token, (done, total) => cancel.Cancel()));
            }
            Assert.Empty(Stored());
            Assert.Equal(0L, Tenant.GetInfo().GroupCount);
        }

        [SkippableFact]
        public void Writes_one_audit_entry_per_import()
        {
            var result = Import(Header, new[] { "001;A;;B;;H1;", "002;C;;D;31-02-2010;H1;" });
            var entry = Assert.Single(Tenant.Read(work => AuditEntry.Query(work).ToList()));
            Assert.Equal(("ImportStudents", result.RunId), (entry.Action, entry.RunId));
            Assert.Equal("created=1; updated=0; moved=0; unchanged=0; failed=1; groupsCreated=1", entry.Details);
            Assert.Equal(Environment.UserName, entry.User.Split('\\').Last());
        }

        public sealed class OnStoreFile : StudentImporterTests { public OnStoreFile() : base(StoreKind.File) { } }

        public sealed class OnServer : StudentImporterTests { public OnServer() : base(StoreKind.Server) { } }
    }
}
