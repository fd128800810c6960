using System;
using System.Linq;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Store;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    public sealed class GroupRemovalTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private readonly TenantStore _store;

        public GroupRemovalTests()
        {
            _store = TenantStore.Open(_temp.File("t.db"));
            var path = WriteUtf8(_temp, "l.csv", "nr;voornaam;tussenvoegsel;achternaam;geboortedatum;geslacht;klas;email",
                "001;Zoë;;Jansen;1-2-2011;V;H4a;zoe@x.nl", "002;Daniël;van der;Berg;3-4-2010;M;H4b;", "003;Emre;;Çelik;;;V4a;e@x.nl");
            using var connection = _store.OpenConnection();
            using var transaction = connection.BeginTransaction();
            var plan = StudentImporter.Plan(connection, transaction, Students(path), new StudentImportOptions { Folder = "2026/Havo" });
            StudentImporter.Apply(connection, transaction, plan, path);
            transaction.Commit();
        }

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void Removing_all_groups_keeps_every_pupil_and_every_field_but_the_group()
        {
            using var connection = _store.OpenConnection();
            var before = Store.Students.Query(connection).OrderBy(s => s.Number).ToList();
            using (var transaction = connection.BeginTransaction())
            {
                var preview = GroupRemoval.Preview(connection, transaction, new[] { "H4a", "H4b", "V4a" });
                Assert.Equal((3, 3, 0), (preview.GroupsRemoved, preview.MembershipsCleared, preview.StaffLinksRemoved));
                GroupRemoval.Remove(connection, transaction, preview, Guid.NewGuid());
                transaction.Commit();
            }
            var after = Store.Students.Query(connection).OrderBy(s => s.Number).ToList();
            Assert.Equal(before.Count, after.Count);
            foreach (var (b, a) in before.Zip(after, (b, a) => (b, a)))
            {
                Assert.Null(a.Group);
                Assert.Equal((b.Number, b.FirstName, b.Prefix, b.LastName, b.BirthDate, b.Gender, b.CreboNumber, b.Email, b.UserName),
                             (a.Number, a.FirstName, a.Prefix, a.LastName, a.BirthDate, a.Gender, a.CreboNumber, a.Email, a.UserName));
            }
            Assert.Empty(Groups.List(connection));
        }

        [Fact]
        public void Removing_a_folder_prunes_it_when_it_ends_up_empty()
        {
            using var connection = _store.OpenConnection();
            using (var transaction = connection.BeginTransaction())
            {
                var preview = GroupRemoval.Preview(connection, transaction, new[] { "H4a", "H4b", "V4a" });
                GroupRemoval.Remove(connection, transaction, preview, Guid.NewGuid(), pruneFolders: "2026");
                Assert.Equal(2, preview.FoldersRemoved); // 2026/Havo and 2026
                transaction.Commit();
            }
            Assert.Equal(new[] { "" }, Groups.ListFolders(connection).Select(f => f.Path));
        }

        [Fact]
        public void A_folder_that_still_holds_groups_stays()
        {
            using var connection = _store.OpenConnection();
            using var transaction = connection.BeginTransaction();
            var preview = GroupRemoval.Preview(connection, transaction, new[] { "H4a" });
            GroupRemoval.Remove(connection, transaction, preview, Guid.NewGuid(), pruneFolders: "2026");
            Assert.Equal(0, preview.FoldersRemoved);
        }
    }
}
