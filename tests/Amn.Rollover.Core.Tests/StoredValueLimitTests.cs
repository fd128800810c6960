using System;
using System.Linq;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Store;
using static Amn.Rollover.Core.Tests.ReaderTestFiles;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// What comes back from a store is held to the limits of what goes in: a value longer than a cell
    /// (32,767 characters), put there by hand or by another program, is refused naming the table, the
    /// row and the column, and a very long one is not loaded whole to find that out.
    /// </summary>
    public abstract class StoredValueLimitTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private readonly StoreKind _kind;
        private TenantStore _tenant;

        private TenantStore Tenant => _tenant ??= Seed(TestStores.New(_kind, _temp));

        protected StoredValueLimitTests(StoreKind kind) => _kind = kind;

        private TenantStore Seed(TenantStore store)
        {
            var path = WriteUtf8(_temp, "l.csv", "nr;voornaam;achternaam;klas", "001;Zoë;Jansen;H4a", "002;Daniël;Berg;H4b");
            using var work = store.BeginWrite();
            var plan = StudentImporter.Plan(work.Queries, Students(path), new StudentImportOptions());
            StudentImporter.Apply(work.Edits, plan, path);
            work.Commit();
            return store;
        }

        public void Dispose() => _temp.Dispose();

        private void HandEdit(string column, int characters)
            => TestStores.HandEdit(Tenant,
                $"UPDATE students SET {column} = printf('%.*c', {characters}, 'x') WHERE number = '002';",
                $"UPDATE students SET {column} = repeat('x', {characters}) WHERE number = '002';");

        [SkippableTheory]
        [InlineData(32768)]       // one past the limit
        [InlineData(50_000_000)]  // the attack: 50 million characters
        public void A_value_longer_than_a_cell_is_refused_naming_table_row_and_column(int characters)
        {
            HandEdit("last_name", characters);
            var session = TestStores.Reopen(Tenant);
            var error = Assert.Throws<AmnException>(() => session.Read(work => Store.Students.Query(work).ToList()));
            Assert.Equal("StoredValueTooLong", error.ErrorId);
            Assert.Contains("students", error.Message);
            Assert.Contains("002", error.Message);
            Assert.Contains("last_name", error.Message);
            Assert.Contains("32,767", error.Message);
            Assert.DoesNotContain("SQLite", error.Message);
        }

        [SkippableFact]
        public void An_import_refuses_it_too_and_leaves_the_store_as_it_was()
        {
            HandEdit("first_name", 40000);
            var session = TestStores.Reopen(Tenant);
            var path = WriteUtf8(_temp, "n.csv", "nr;voornaam;achternaam;klas", "003;Emre;Çelik;H4a");
            var error = Assert.Throws<AmnException>(() =>
            {
                using var work = session.BeginWrite();
                StudentImporter.Plan(work.Queries, Students(path), new StudentImportOptions());
            });
            Assert.Equal("StoredValueTooLong", error.ErrorId);
            Assert.Contains("first_name", error.Message);
        }

        /// <summary>
        /// A store file refuses to read the row at all. A server school removes the group in its own SQL, which
        /// never reads the value; a backup, which would hold the value cut, is refused and leaves no file.
        /// </summary>
        [SkippableFact]
        public void A_write_that_touches_the_row_is_refused_or_leaves_the_value_whole()
        {
            HandEdit("last_name", 5_000_000);
            var session = TestStores.Reopen(Tenant);
            AmnException error;
            if (_kind == StoreKind.File)
                error = Assert.Throws<AmnException>(() => GroupRemoval.Remove(session, new[] { "H4b" }, null, backup: false, waiting: null));
            else
            {
                Assert.Equal(1, GroupRemoval.Remove(session, new[] { "H4b" }, null, backup: false, waiting: null).GroupsRemoved);
                error = Assert.Throws<AmnException>(() => session.Backup(_temp.File("backup.db")));
                Assert.False(System.IO.File.Exists(_temp.File("backup.db")));
            }
            Assert.Equal("StoredValueTooLong", error.ErrorId);
            Assert.Contains("last_name", error.Message);
            var length = TestStores.HandEdit(Tenant, "SELECT length(last_name) FROM students WHERE number = '002';", "SELECT length(last_name) FROM students WHERE number = '002';");
            Assert.Equal(5_000_000L, Convert.ToInt64(length));
        }

        /// <summary>
        /// Restore-AmnTenant repairs such a store. A store file's safety backup copies the file as it is; a server school's
        /// would not hold the value whole, so the restore stops and says how to go on without one.
        /// </summary>
        [SkippableFact]
        public void A_restore_repairs_the_store_and_says_when_its_safety_backup_cannot_be_made()
        {
            var good = TenantStore.CheckBackup(Tenant.Backup(_temp.File("good.db")));
            HandEdit("last_name", 5_000_000);
            var session = TestStores.Reopen(Tenant);
            if (_kind == StoreKind.Server)
            {
                var refused = Assert.Throws<AmnException>(() => session.Restore(good, safetyBackup: true));
                Assert.Equal("StoredValueTooLong", refused.ErrorId);
                foreach (var part in new[] { "last_name", "'002'", "-NoBackup" }) Assert.Contains(part, refused.Message);
                Assert.Null(session.NewestAutomaticBackup()); // no backup, not even a partial one, and nothing restored:
                Assert.Equal(5_000_000L, Convert.ToInt64(TestStores.HandEdit(Tenant, "-", "SELECT length(last_name) FROM students WHERE number = '002';")));
            }
            session.Restore(good, safetyBackup: _kind == StoreKind.File);
            Assert.Equal("Berg", session.Read(work => Store.Students.Query(work, new[] { "002" }).Single().LastName));
        }

        [SkippableFact]
        public void A_value_as_long_as_a_cell_is_read()
        {
            HandEdit("last_name", 32767);
            var pupils = TestStores.Reopen(Tenant).Read(work => Store.Students.Query(work).ToList());
            Assert.Equal(32767, pupils.Single(p => p.Number == "002").LastName.Length);
        }

        public sealed class OnStoreFile : StoredValueLimitTests { public OnStoreFile() : base(StoreKind.File) { } }

        public sealed class OnServer : StoredValueLimitTests { public OnServer() : base(StoreKind.Server) { } }
    }
}
