using System;
using System.Linq;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Store;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    public abstract class GroupRemovalTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private readonly StoreKind _kind;
        private TenantStore _tenant;

        /// <summary>The test's tenant, made on first use (so a test on the server is skipped, not failed, without one).</summary>
        private TenantStore Tenant => _tenant ??= Seed(TestStores.New(_kind, _temp));

        protected GroupRemovalTests(StoreKind kind) => _kind = kind;

        private TenantStore Seed(TenantStore store)
        {
            var path = WriteUtf8(_temp, "l.csv", "nr;voornaam;tussenvoegsel;achternaam;geboortedatum;geslacht;klas;email",
                "001;Zoë;;Jansen;1-2-2011;V;H4a;zoe@x.nl", "002;Daniël;van der;Berg;3-4-2010;M;H4b;", "003;Emre;;Çelik;;;V4a;e@x.nl");
            using var work = store.BeginWrite();
            var plan = StudentImporter.Plan(work.Queries, Students(path), new StudentImportOptions { Folder = "2026/Havo" });
            StudentImporter.Apply(work.Edits, plan, path);
            work.Commit();
            return store;
        }

        public void Dispose() => _temp.Dispose();

        [SkippableFact]
        public void Removing_all_groups_keeps_every_pupil_and_every_field_but_the_group()
        {
            var before = Tenant.Read(work => Store.Students.Query(work).OrderBy(s => s.Number).ToList());
            using (var work = Tenant.BeginWrite())
            {
                var preview = GroupRemoval.Preview(work, new[] { "H4a", "H4b", "V4a" });
                Assert.Equal((3, 3, 0), (preview.GroupsRemoved, preview.MembershipsCleared, preview.StaffLinksRemoved));
                GroupRemoval.Remove(work.Queries, work.Edits, preview, Guid.NewGuid());
                work.Commit();
            }
            var after = Tenant.Read(work => Store.Students.Query(work).OrderBy(s => s.Number).ToList());
            Assert.Equal(before.Count, after.Count);
            foreach (var (b, a) in before.Zip(after, (b, a) => (b, a)))
            {
                Assert.Null(a.Group);
                Assert.Equal((b.Number, b.FirstName, b.Prefix, b.LastName, b.BirthDate, b.Gender, b.CreboNumber, b.Email, b.UserName),
                             (a.Number, a.FirstName, a.Prefix, a.LastName, a.BirthDate, a.Gender, a.CreboNumber, a.Email, a.UserName));
            }
            Assert.Empty(Tenant.Read(work => Groups.List(work)));
        }

        [SkippableFact]
        public void Removing_a_folder_prunes_it_when_it_ends_up_empty()
        {
            using (var work = Tenant.BeginWrite())
            {
                var preview = GroupRemoval.Preview(work, new[] { "H4a", "H4b", "V4a" });
                GroupRemoval.Remove(work.Queries, work.Edits, preview, Guid.NewGuid(), pruneFolders: "2026");
                Assert.Equal(2, preview.FoldersRemoved); // 2026/Havo and 2026
                work.Commit();
            }
            Assert.Equal(new[] { "" }, Tenant.Read(work => Groups.ListFolders(work)).Select(f => f.Path));
        }

        [SkippableFact]
        public void A_folder_that_still_holds_groups_stays()
        {
            using var work = Tenant.BeginWrite();
            var preview = GroupRemoval.Preview(work, new[] { "H4a" });
            GroupRemoval.Remove(work.Queries, work.Edits, preview, Guid.NewGuid(), pruneFolders: "2026");
            Assert.Equal(0, preview.FoldersRemoved);
        }

        [SkippableFact]
        public void A_group_another_session_removes_while_the_removal_waits_for_the_lock_is_reported_not_found_and_not_audited()
        {
            var other = Tenant.BeginWrite();
            var removedMeanwhile = false;
            var result = GroupRemoval.Remove(Tenant, new[] { "H4a", "H4b" }, null, backup: false, waiting: _ =>
            {
                if (removedMeanwhile) return;
                removedMeanwhile = true;
                GroupRemoval.Remove(other.Queries, other.Edits, GroupRemoval.Preview(other, new[] { "H4a" }), Guid.NewGuid());
                other.Commit();
                other.Dispose();
            });
            Assert.True(removedMeanwhile);
            Assert.Equal(new[] { "H4b" }, result.Groups.Select(g => g.Name));
            Assert.Equal(new[] { "H4a" }, result.NotFound);
            var audit = Tenant.Read(work => AuditEntry.Query(work, action: "RemoveGroups").Select(e => e.Target).OrderBy(t => t).ToList());
            Assert.Equal(new[] { "H4a", "H4b" }, audit); // one entry each: the other session's and this one's
        }

        [SkippableFact]
        public void Removing_only_groups_that_are_gone_removes_nothing_records_nothing_and_names_them()
        {
            GroupRemoval.Remove(Tenant, new[] { "H4a" }, null, backup: false, waiting: null);
            var again = GroupRemoval.Remove(Tenant, new[] { "h4A" }, null, backup: false, waiting: null);
            Assert.Equal(0, again.GroupsRemoved);
            Assert.Equal(new[] { "h4A" }, again.NotFound);
            Assert.Single(Tenant.Read(work => AuditEntry.Query(work, action: "RemoveGroups").ToList()));
        }

        public sealed class OnStoreFile : GroupRemovalTests { public OnStoreFile() : base(StoreKind.File) { } }

        public sealed class OnServer : GroupRemovalTests { public OnServer() : base(StoreKind.Server) { } }
    }
}
