using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Amn.Rollover.Core.Store;
using static Amn.Rollover.Core.Tests.StoreSql;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>Backups, restores and counts of a tenant on either store: a backup is always a store file.</summary>
    public abstract class TenantBackupTests : IDisposable
    {
        private const string RootFolder = "(SELECT id FROM folders WHERE path = '')";
        private readonly TempFolder _temp = new TempFolder();
        private readonly StoreKind _kind;

        protected TenantBackupTests(StoreKind kind) => _kind = kind;

        public void Dispose() => _temp.Dispose();

        private TenantStore NewTenant() => TestStores.New(_kind, _temp);

        [SkippableFact]
        public void Backup_and_restore_round_trip_the_exact_content()
        {
            var store = NewTenant();
            Exec(store, $"INSERT INTO groups (id, name, folder_id, created_utc) VALUES (1, 'H4a', {RootFolder}, '2026-08-01T08:00:00.0000000Z');");
            var backup = store.Backup();
            Assert.StartsWith(store.GetInfo().BackupFolder, backup);
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                Assert.Equal(Convert.ToInt32("600", 8), FilePermissions.GetUnixMode(backup));
            Assert.Equal(1L, TenantStore.OpenExisting(backup).GetInfo().GroupCount);

            Exec(store, $"DELETE FROM groups; INSERT INTO groups (id, name, folder_id, created_utc) VALUES (2, 'V5b', {RootFolder}, '2026-08-02T08:00:00.0000000Z');");
            store.Restore(backup);

            Assert.Equal(new[] { "H4a" }, store.Read(work => Groups.List(work).Select(g => g.Name).ToArray()));
            Assert.Equal("RestoreTenant", store.Read(work => work.Queries.AuditLog(null, null, null).First().Action));
        }

        /// <summary>A killed restore leaves its copy of the backup (pupils' data) behind: the next restore deletes one left long ago, and not one another restore may be using.</summary>
        [SkippableFact]
        public void A_restore_deletes_the_copy_a_killed_restore_left_long_ago()
        {
            var store = NewTenant();
            var backup = store.Backup();
            string Left(string name, TimeSpan age)
            {
                var path = Path.Combine(store.WorkFolder, $".{store.BackupName}.restore-{name}.partial");
                File.WriteAllText(path, "pupils");
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
                return path;
            }
            var old = Left("killed" + Guid.NewGuid().ToString("N"), TimeSpan.FromDays(1));
            var running = Left("running" + Guid.NewGuid().ToString("N"), TimeSpan.FromMinutes(1));

            try
            {
                store.Restore(backup);

                Assert.False(File.Exists(old));
                Assert.True(File.Exists(running));
            }
            finally
            {
                File.Delete(old);
                File.Delete(running);
            }
        }

        [SkippableFact]
        public void Backup_never_overwrites_an_existing_file()
        {
            var store = NewTenant();
            File.WriteAllText(_temp.File("keep.db"), "mine");
            Assert.Equal("BackupExists", Assert.Throws<AmnException>(() => store.Backup(_temp.File("keep.db"))).ErrorId);
            Assert.Equal("mine", File.ReadAllText(_temp.File("keep.db")));
        }

        [SkippableFact]
        public void Restore_refuses_a_file_that_is_not_a_store_and_changes_nothing()
        {
            var store = NewTenant();
            Exec(store, $"INSERT INTO groups (id, name, folder_id, created_utc) VALUES (1, 'H4a', {RootFolder}, '2026-08-01T08:00:00.0000000Z');");
            File.WriteAllText(_temp.File("junk.db"), "not a database at all");
            Assert.Equal("NotATenantStore", Assert.Throws<AmnException>(() => store.Restore(_temp.File("junk.db"))).ErrorId);
            Assert.Equal(1L, store.GetInfo().GroupCount);
        }

        [SkippableFact]
        public void Counts_what_the_store_holds()
        {
            var store = NewTenant();
            Exec(store, $"INSERT INTO groups (id, name, folder_id, created_utc) VALUES (1, 'H4a', {RootFolder}, '2026-08-01T08:00:00.0000000Z');" +
                        "INSERT INTO students (id, number, first_name, last_name, group_id, created_utc, updated_utc) VALUES (1, '007', 'Zoë', 'Jansen', (SELECT id FROM groups), '2026-08-01T08:00:00.0000000Z', '2026-08-01T08:00:00.0000000Z');");
            var info = store.GetInfo();
            Assert.Equal((1L, 1L, 0L), (info.StudentCount, info.GroupCount, info.StaffCount));
        }

        [SkippableFact]
        public void Values_with_any_character_and_erased_pupils_come_back_from_a_backup_as_they_were_written()
        {
            var store = NewTenant();
            const string odd = "Zoë \\ tab\there, line\nbreak, 'quote' \"dq\" 😀 Çelik";
            Exec(store, $"INSERT INTO groups (id, name, folder_id, created_utc) VALUES (1, 'H4a', {RootFolder}, '2026-08-01T08:00:00.0000000Z');" +
                        "INSERT INTO students (id, number, first_name, prefix, last_name, birth_date, group_id, created_utc, updated_utc) " +
                        $"VALUES (1, '001', '{odd.Replace("'", "''")}', NULL, 'Jansen', '2011-02-01', (SELECT id FROM groups), '2026-08-01T08:00:00.0000000Z', '2026-08-01T08:00:00.0000000Z');" +
                        "INSERT INTO students (id, number, first_name, last_name, created_utc, updated_utc, erased_utc) VALUES (2, '002', '', '', '2026-08-01T08:00:00.0000000Z', '2026-08-01T08:00:00.0000000Z', '2026-08-02T08:00:00.0000000Z');");
            var backup = store.Backup();
            Exec(store, "UPDATE students SET first_name = 'Ander' WHERE number = '001'; DELETE FROM students WHERE number = '002';");

            store.Restore(backup);

            var pupil = store.Read(work => Students.Query(work, new[] { "001" }).Single());
            Assert.Equal((odd, null, new DateTime(2011, 2, 1), "H4a"), (pupil.FirstName, pupil.Prefix, pupil.BirthDate, pupil.Group));
            Assert.Equal("||1", Scalar(store, "SELECT coalesce(first_name, 'NULL') || '|' || coalesce(last_name, 'NULL') || '|' || CASE WHEN erased_utc IS NULL THEN 0 ELSE 1 END FROM students WHERE number = '002'"));
        }

        /// <summary>
        /// Pupils erased after the backup stay erased with the store's own id and time of erasure (to the tick, as older stores
        /// wrote it; on the server to the microsecond): 001, which the backup holds, is erased again; 002, which it lacks,
        /// stays a used number.
        /// </summary>
        [SkippableFact]
        public void A_restore_keeps_the_stores_id_and_time_of_every_erasure()
        {
            var store = NewTenant();
            Exec(store, $"INSERT INTO groups (id, name, folder_id, created_utc) VALUES (1, 'H4a', {RootFolder}, '2026-08-01T08:00:00Z');" +
                        "INSERT INTO students (id, number, first_name, last_name, group_id, created_utc, updated_utc) VALUES (1, '001', 'Zoë', 'Jansen', 1, '2026-08-01T08:00:00Z', '2026-08-01T08:00:00Z');");
            var backup = store.Backup();
            Exec(store, "UPDATE students SET first_name = '', last_name = '', group_id = NULL, erased_utc = '2026-08-02T08:00:00.1234560Z' WHERE number = '001';" +
                        "INSERT INTO students (id, number, first_name, last_name, created_utc, updated_utc, erased_utc) VALUES (7, '002', '', '', '2026-08-01T08:00:00Z', '2026-08-03T08:00:00Z', '2026-08-03T08:00:00Z');");
            string Erasures() => string.Join("; ", store.Read(work => work.Queries.Erasures()).OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => $"{e.Key} id {e.Value.Id} at {Timestamp.Parse(e.Value.ErasedUtc):o}"));
            var before = Erasures();
            Assert.Equal("001 id 1 at 2026-08-02T08:00:00.1234560Z; 002 id 7 at 2026-08-03T08:00:00.0000000Z", before);

            Assert.Equal(new[] { "001" }, store.Restore(backup));

            Assert.Equal(before, Erasures());
        }

        [SkippableTheory]
        [InlineData("UPDATE students SET birth_date = 'not-a-date' WHERE number = '001';", "students", "number '001'", "birth_date", "'not-a-date' is not a date")]
        [InlineData("UPDATE students SET birth_date = '2999-01-01' WHERE number = '001';", "students", "number '001'", "birth_date", "not a plausible date")]
        [InlineData("UPDATE students SET first_name = 'Zo' || char(7) || 'ë' WHERE number = '001';", "students", "number '001'", "first_name", "U+0007")]
        [InlineData("UPDATE students SET last_name = printf('%.*c', 100000, 'x') WHERE number = '001';", "students", "number '001'", "last_name", "100,000 characters")]
        [InlineData("UPDATE students SET first_name = CAST(X'5A6FEB' AS TEXT) WHERE number = '001';", "students", "number '001'", "first_name", "not valid UTF-8")]
        [InlineData("UPDATE students SET first_name = '' WHERE number = '001';", "students", "number '001'", "first_name", "empty")]
        [InlineData("UPDATE students SET email = 'geen adres' WHERE number = '001';", "students", "number '001'", "email", "'geen adres' is not an e-mail address")]
        [InlineData("UPDATE students SET created_utc = 'gisteren' WHERE number = '001';", "students", "number '001'", "created_utc", "'gisteren' is not a date and time")]
        [InlineData("UPDATE students SET first_name = 'Nog', erased_utc = '2026-08-02T08:00:00Z' WHERE number = '002';", "students", "'002'", "erased", "still holds personal data")]
        [InlineData("PRAGMA foreign_keys = OFF; UPDATE students SET group_id = 999 WHERE number = '001';", "students", "row id", "groups", "does not have")]
        [InlineData("UPDATE staff SET user_name = 'jan' WHERE last_name = 'Mentor';", "staff", "row id", "user_name", "'jan' is not an e-mail address")]
        [InlineData("UPDATE groups SET name = 'H4' || char(27) WHERE name = 'H4a';", "groups", "row id", "name", "U+001B")]
        public void Restore_refuses_a_backup_whose_rows_break_an_import_rule_naming_table_row_and_column_and_changes_nothing(string tamper, string table, string row, string column, string reason)
        {
            var store = NewTenant();
            Exec(store, $"INSERT INTO groups (id, name, folder_id, created_utc) VALUES (1, 'H4a', {RootFolder}, '2026-08-01T08:00:00Z');" +
                        "INSERT INTO students (id, number, first_name, last_name, birth_date, email, group_id, created_utc, updated_utc) " +
                        "VALUES (1, '001', 'Zoë', 'Jansen', '2011-02-01', 'zoe@school.nl', (SELECT id FROM groups), '2026-08-01T08:00:00Z', '2026-08-01T08:00:00Z');" +
                        "INSERT INTO students (id, number, first_name, last_name, created_utc, updated_utc) VALUES (2, '002', 'Daan', 'Bos', '2026-08-01T08:00:00Z', '2026-08-01T08:00:00Z');" +
                        "INSERT INTO staff (id, user_name, last_name, created_utc, updated_utc) VALUES (1, 'm@school.nl', 'Mentor', '2026-08-01T08:00:00Z', '2026-08-01T08:00:00Z');");
            var backup = store.Backup(_temp.File("tampered.db"));
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={backup};Pooling=False"))
            {
                connection.Open();
                Exec(connection, tamper);
            }
            Exec(store, "DELETE FROM students WHERE number = '002';");
            var before = store.GetInfo();

            var e = Assert.Throws<AmnException>(() => store.Restore(backup));
            Assert.Equal("BackupInvalid", e.ErrorId);
            foreach (var part in new[] { backup, "table " + table, row, column, reason }) Assert.Contains(part, e.Message);
            Assert.DoesNotContain("SQLite", e.Message);
            var after = store.GetInfo();
            Assert.Equal((before.StudentCount, before.GroupCount, before.StaffCount), (after.StudentCount, after.GroupCount, after.StaffCount));
        }

        [SkippableFact]
        public void Restore_says_a_folder_is_a_folder()
        {
            var store = NewTenant();
            Assert.Equal("BackupIsFolder", Assert.Throws<AmnException>(() => store.Restore(_temp.Path)).ErrorId);
        }

        public sealed class OnStoreFile : TenantBackupTests { public OnStoreFile() : base(StoreKind.File) { } }

        public sealed class OnServer : TenantBackupTests { public OnServer() : base(StoreKind.Server) { } }
    }
}
