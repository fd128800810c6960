using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Store;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    public abstract class StaffImporterTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private readonly StoreKind _kind;
        private TenantStore _tenant;

        /// <summary>The test's tenant, made on first use (so a test on the server is skipped, not failed, without one).</summary>
        private TenantStore Tenant => _tenant ??= Seed(TestStores.New(_kind, _temp));

        protected StaffImporterTests(StoreKind kind) => _kind = kind;

        private static TenantStore Seed(TenantStore store)
        {
            using var work = store.BeginWrite();
            var root = work.Edits.EnsureFolder("");
            foreach (var name in new[] { "H4a", "H4b", "V5b" }) work.Edits.InsertGroup(name, root);
            work.Commit();
            return store;
        }

        public void Dispose() => _temp.Dispose();

        private StaffImportResult Import(StaffImportOptions options, string header, params string[] rows)
        {
            var path = WriteUtf8(_temp, Guid.NewGuid().ToString("N") + ".csv", new[] { header }.Concat(rows).ToArray());
            var records = Staff(path);
            using var work = Tenant.BeginWrite();
            var plan = StaffImporter.Plan(work, records, options);
            StaffImporter.Apply(work, plan, path);
            work.Commit();
            return plan;
        }

        private Dictionary<string, StaffTable.Row> Stored() => Tenant.Read(work => work.Queries.Staff());

        private const string Header = "gebruikersnaam;afkorting;voornaam;achternaam;rol;klas;klas";

        [SkippableFact]
        public void Creates_staff_with_roles_and_links_and_skips_unknown_groups()
        {
            var result = Import(new StaffImportOptions(), Header, "j.bakker@s.nl;BAK;Jan;Bakker;docent, mentor;H4a;X9");
            Assert.Equal((1, 1), (result.Created, result.LinksAdded));
            Assert.Equal("UnknownGroup", result.Rows[0].Warnings.Single().ErrorId);
            var jan = Stored()["J.BAKKER@s.nl"].Staff;
            Assert.Equal(new[] { "mentor", "docent" }, jan.Roles);
            Assert.Equal(new[] { "H4a" }, jan.Groups);
        }

        [SkippableFact]
        public void Keeps_links_not_in_the_file_unless_exclusive()
        {
            Import(new StaffImportOptions(), Header, "j@s.nl;BAK;Jan;Bakker;docent;H4a;H4b");
            var kept = Import(new StaffImportOptions(), Header, "j@s.nl;BAK;Jan;Bakker;docent;V5b;");
            Assert.Equal("Groups: H4a, H4b -> H4a, H4b, V5b", kept.Rows[0].Changes.ToString());
            Assert.Equal(new[] { "H4a", "H4b", "V5b" }, Stored()["j@s.nl"].Staff.Groups);

            var exclusive = Import(new StaffImportOptions { Exclusive = true }, Header, "j@s.nl;BAK;Jan;Bakker;docent;V5b;");
            Assert.Equal((0, 2), (exclusive.LinksAdded, exclusive.LinksRemoved));
            Assert.Equal(new[] { "V5b" }, Stored()["j@s.nl"].Staff.Groups);
        }

        [SkippableFact]
        public void Creates_missing_groups_when_asked()
        {
            var result = Import(new StaffImportOptions { CreateMissingGroups = true }, Header, "j@s.nl;BAK;Jan;Bakker;docent;Q1;");
            Assert.Equal(new[] { "Q1" }, result.NewGroups);
            Assert.Equal(new[] { "Q1" }, Stored()["j@s.nl"].Staff.Groups);
        }

        [SkippableFact]
        public void A_username_twice_with_different_data_fails_both_rows()
        {
            var result = Import(new StaffImportOptions(), Header, "j@s.nl;BAK;Jan;Bakker;docent;;", "j@s.nl;BAK;Jan;Bakker;mentor;;", "k@s.nl;KOK;Kim;Kok;docent;;", "k@s.nl;KOK;Kim;Kok;docent;;");
            Assert.Equal(new[] { ImportAction.Failed, ImportAction.Failed, ImportAction.Created, ImportAction.Unchanged }, result.Rows.Select(r => r.Action));
            Assert.All(result.Rows.Take(2), r => Assert.Equal("DuplicateUserName", r.Errors.Single().ErrorId));
            Assert.Equal(new[] { "k@s.nl" }, Stored().Keys);
        }

        [SkippableFact]
        public void A_code_of_another_person_fails()
        {
            Import(new StaffImportOptions(), Header, "j@s.nl;BAK;Jan;Bakker;docent;;");
            var result = Import(new StaffImportOptions(), Header, "b@s.nl;bak;Bert;Bakker;docent;;");
            Assert.Equal("DuplicateCode", result.Rows[0].Errors.Single().ErrorId);
        }

        [SkippableFact]
        public void Compares_file_and_store()
        {
            Import(new StaffImportOptions(), Header, "old@s.nl;OLD;Oud;Collega;mentor;;", "stay@s.nl;STA;Blijf;Hier;docent;;");
            var file = Staff(WriteUtf8(_temp, "new.csv", Header, "STAY@s.nl;STA;Blijf;Hier;docent;;", "new@s.nl;NEW;Nieuw;Collega;docent;;"));
            var results = StaffComparison.Compare(file, Stored());
            Assert.Equal(new[] { ("stay@s.nl", StaffStatus.Existing), ("new@s.nl", StaffStatus.New), ("old@s.nl", StaffStatus.Departed) },
                results.Select(r => (r.UserName, r.Status)));
            Assert.Equal(new[] { "mentor" }, results[2].Roles);
        }

        [Theory]
        [InlineData(1, 10, false)]
        [InlineData(2, 10, true)]
        [InlineData(1, 5, true)]
        [InlineData(10, 100, false)]
        public void The_safety_limit_is_more_than_ten_percent(int affected, int total, bool exceeds)
        {
            Assert.Equal(exceeds, SafetyLimits.Exceeds(affected, total));
        }

        [SkippableFact]
        public void A_staff_member_another_session_removes_while_a_removal_waits_for_the_lock_is_reported_not_found_and_not_audited()
        {
            Import(new StaffImportOptions(), Header, "a@s.nl;A;Ann;Aa;docent;H4a;", "b@s.nl;B;Bob;Bee;docent;H4b;");
            var removal = StaffRemoval.Plan(Tenant, new[] { "a@s.nl", "b@s.nl" });
            Assert.Equal(2, removal.Found.Count);
            var first = StaffRemoval.Plan(Tenant, new[] { "a@s.nl" });
            var other = Tenant.BeginWrite();
            var removedMeanwhile = false;
            var removed = removal.Remove(removal.Found, backup: false, waiting: _ =>
            {
                if (removedMeanwhile) return;
                removedMeanwhile = true;
                other.Dispose(); // the other session's write ends; it removes a@s.nl next, before this removal gets the lock
                first.Remove(first.Found, backup: false, waiting: null);
            });
            Assert.True(removedMeanwhile);
            Assert.Equal(new[] { "b@s.nl" }, removed.Select(s => s.UserName));
            Assert.Equal(new[] { "a@s.nl" }, removal.NotFound);
            var audit = Tenant.Read(work => AuditEntry.Query(work, action: "RemoveStaff").Select(e => e.Target).OrderBy(t => t).ToList());
            Assert.Equal(new[] { "a@s.nl", "b@s.nl" }, audit);
        }

        public sealed class OnStoreFile : StaffImporterTests { public OnStoreFile() : base(StoreKind.File) { } }

        public sealed class OnServer : StaffImporterTests { public OnServer() : base(StoreKind.Server) { } }
    }
}
