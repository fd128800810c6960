using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Amn.Rollover.Core.Store;
using Microsoft.Data.Sqlite;
using static Amn.Rollover.Core.Tests.StoreSql;

namespace Amn.Rollover.Core.Tests
{
    public class TenantStoreTests
    {
        // Some tests write a raw SQLite file before any store exists.
        public TenantStoreTests() => Native.NativeSqlite.EnsureLoaded();

        [Fact]
        public void Creates_a_new_store_at_the_latest_schema_with_all_tables()
        {
            using var temp = new TempFolder();
            var store = TenantStore.Open(temp.File("t.db"));
            Assert.Equal(Schema.LatestVersion, store.SchemaVersion);
            using var work = store.BeginRead();
            var connection = work.Connection;
            foreach (var table in new[] { "students", "groups", "folders", "staff", "roles", "staff_roles", "staff_groups", "audit_log" })
                Assert.Equal(1L, Scalar(connection, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
            Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
            Assert.Equal(1L, Scalar(connection, "PRAGMA foreign_keys"));
            Assert.Equal(60, store.BusyTimeout.TotalSeconds);
        }

        [Fact]
        public void New_store_file_is_readable_by_its_owner_only()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            using var temp = new TempFolder();
            TenantStore.Open(temp.File("t.db"));
            Assert.Equal(Convert.ToInt32("600", 8), FilePermissions.GetUnixMode(temp.File("t.db")));
        }

        [Fact]
        public void Migrates_an_older_store_forward_and_keeps_its_data()
        {
            using var temp = new TempFolder();
            var path = temp.File("old.db");
            // A version-0 store: created by a module that had not yet applied any migration, holding a foreign-key-free row.
            using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                Exec(connection, $"PRAGMA application_id = {Schema.ApplicationId};");
            }
            var store = TenantStore.Open(path);
            Assert.Equal(Schema.LatestVersion, store.SchemaVersion);
            using (var connection = OpenFile(store))
                Assert.Equal(4L, Scalar(connection, "SELECT count(*) FROM roles"));
            // Opening again applies nothing twice.
            Assert.Equal(Schema.LatestVersion, TenantStore.Open(path).SchemaVersion);
        }

        [Fact]
        public void Refuses_a_store_with_a_newer_schema_and_leaves_it_untouched()
        {
            using var temp = new TempFolder();
            var path = temp.File("new.db");
            TenantStore.Open(path);
            using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                Exec(connection, $"PRAGMA user_version = {Schema.LatestVersion + 1};");
            }
            var before = File.ReadAllBytes(path);
            var error = Assert.Throws<AmnException>(() => TenantStore.Open(path));
            Assert.Equal("TenantSchemaTooNew", error.ErrorId);
            Assert.Contains(path, error.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
        }

        [Fact]
        public void Refuses_a_file_that_is_not_an_sqlite_database()
        {
            using var temp = new TempFolder();
            var path = temp.File("leerlingen.csv");
            File.WriteAllText(path, "deelnemersnummer;voornaam\n1;Jan\n", Encoding.UTF8);
            var before = File.ReadAllBytes(path);
            var error = Assert.Throws<AmnException>(() => TenantStore.Open(path));
            Assert.Equal("NotATenantStore", error.ErrorId);
            Assert.Contains(path, error.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
        }

        [Fact]
        public void Refuses_an_sqlite_database_of_another_program()
        {
            using var temp = new TempFolder();
            var path = temp.File("other.db");
            using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                Exec(connection, "CREATE TABLE invoices (id INTEGER PRIMARY KEY);");
            }
            var before = File.ReadAllBytes(path);
            Assert.Equal("NotATenantStore", Assert.Throws<AmnException>(() => TenantStore.Open(path)).ErrorId);
            Assert.Equal(before, File.ReadAllBytes(path));
        }

        [Fact]
        public void Refuses_a_path_in_a_missing_folder_without_creating_it()
        {
            using var temp = new TempFolder();
            var path = Path.Combine(temp.Path, "missing", "t.db");
            var error = Assert.Throws<AmnException>(() => TenantStore.Open(path));
            Assert.Equal("TenantFolderNotFound", error.ErrorId);
            Assert.Contains(Path.Combine(temp.Path, "missing"), error.Message);
            Assert.False(Directory.Exists(Path.Combine(temp.Path, "missing")));
        }

        [Fact]
        public void Automatic_backups_keep_the_newest_ten()
        {
            using var temp = new TempFolder();
            var store = TenantStore.Open(temp.File("t.db"));
            var manual = store.Backup();
            string last = null;
            for (int i = 0; i < TenantStore.DefaultAutomaticBackupsKept + 3; i++)
            {
                last = store.AutomaticBackup();
                System.Threading.Thread.Sleep(2); // distinct millisecond timestamps
            }
            var automatic = Directory.GetFiles(Path.Combine(temp.Path, "backups"), "t-auto-*.db");
            Assert.Equal(TenantStore.DefaultAutomaticBackupsKept, automatic.Length);
            Assert.Contains(last, automatic);
            Assert.True(File.Exists(manual));
        }

        [Fact]
        public async System.Threading.Tasks.Task A_second_writer_waits_for_the_first_instead_of_failing()
        {
            using var temp = new TempFolder();
            var store = TenantStore.Open(temp.File("t.db"));
            using var first = store.BeginWrite();
            Exec(first.Connection, "INSERT INTO groups (name, folder_id, created_utc) VALUES ('A', 1, 'x');", first.Transaction);
            var release = System.Threading.Tasks.Task.Run(() => { System.Threading.Thread.Sleep(1500); first.Commit(); });

            store.Write(second => { Exec(second.Connection, "INSERT INTO groups (name, folder_id, created_utc) VALUES ('B', 1, 'y');", second.Transaction); return true; });
            await release;
            Assert.Equal(2L, store.GetInfo().GroupCount);
        }

    }
}
