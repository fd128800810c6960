using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using Amn.Rollover.Core.Store;
using Microsoft.Data.Sqlite;
using static Amn.Rollover.Core.Tests.StoreSql;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>The store's guarantees: SQLite alone touches the file, busy and vanished stores are clear errors, restores are checked first and keep the audit log.</summary>
    public class StoreIntegrityTests
    {
        public StoreIntegrityTests() => Native.NativeSqlite.EnsureLoaded();

        [Fact]
        public void Opening_the_store_again_keeps_the_locks_an_open_connection_holds()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return; // POSIX advisory locks
            using var temp = new TempFolder();
            var path = temp.File("t.db");
            var store = TenantStore.Open(path);
            using var open = OpenFile(store);
            Exec(open, "SELECT count(*) FROM groups;"); // a WAL connection keeps a shared lock on the file from here on

            // Every way the module looks at a store while this connection is open.
            TenantStore.Open(path);
            TenantStore.OpenExisting(path).GetInfo();
            store.Backup();

            // Another process that needs the file to itself must still be refused: had any of the calls
            // above opened and closed the file outside SQLite, this process's locks would be gone.
            var (exitCode, output) = RunSqlite3(path, "PRAGMA journal_mode = DELETE;");
            Assert.NotEqual(0, exitCode);
            Assert.Contains("locked", output);
            Assert.Equal("wal", Scalar(open, "PRAGMA journal_mode;"));
        }

        [Fact]
        public void A_writer_waits_says_so_and_then_fails_with_TenantBusy()
        {
            using var temp = new TempFolder();
            var store = TenantStore.Open(temp.File("t.db"));
            store.BusyTimeout = TimeSpan.FromSeconds(2);
            using var held = store.BeginWrite();
            var messages = new List<string>();
            var clock = Stopwatch.StartNew();
            var error = Assert.Throws<AmnException>(() => store.BeginWrite(messages.Add));
            Assert.Equal("TenantBusy", error.ErrorId);
            Assert.Contains(store.Path, error.Message);
            Assert.Contains(store.Path, messages[0]);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2));
            Assert.DoesNotContain("SQLite Error", error.Message);
        }

        [Fact]
        public void A_store_deleted_while_connected_is_TenantMissing_and_not_created_again()
        {
            using var temp = new TempFolder();
            var path = temp.File("t.db");
            var store = TenantStore.Open(path);
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) if (File.Exists(file)) File.Delete(file);
            Assert.Equal("TenantMissing", Assert.Throws<AmnException>(() => store.GetInfo()).ErrorId);
            Assert.False(File.Exists(path));
            Assert.Equal("TenantNotFound", Assert.Throws<AmnException>(() => TenantStore.OpenExisting(path)).ErrorId);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void Automatic_backups_made_in_the_same_millisecond_get_distinct_names_and_leave_no_temporary_file()
        {
            using var temp = new TempFolder();
            var store = TenantStore.Open(temp.File("t.db"));
            var names = new HashSet<string>();
            for (int i = 0; i < 5; i++) Assert.True(names.Add(store.AutomaticBackup()));
            var files = Directory.GetFiles(Path.Combine(temp.Path, "backups"));
            Assert.Equal(5, files.Length);
            Assert.All(files, f => Assert.EndsWith(".db", f));
            Assert.All(files, f => Assert.Equal(Schema.LatestVersion, TenantStore.CheckBackup(f).SchemaVersion));
        }

        [Fact]
        public void A_temporary_file_of_a_killed_backup_is_never_counted_as_a_backup()
        {
            using var temp = new TempFolder();
            var store = TenantStore.Open(temp.File("t.db"));
            var first = store.AutomaticBackup();
            var half = Path.Combine(Path.GetDirectoryName(first), "." + Path.GetFileName(first).Replace(".db", "x.db") + ".0123abcd.partial");
            File.WriteAllBytes(half, new byte[100]);
            for (int i = 0; i < TenantStore.DefaultAutomaticBackupsKept; i++) store.AutomaticBackup();
            var kept = Directory.GetFiles(Path.GetDirectoryName(first), "t-auto-*.db");
            Assert.Equal(TenantStore.DefaultAutomaticBackupsKept, kept.Length);
            Assert.All(kept, f => Assert.Equal(Schema.LatestVersion, TenantStore.CheckBackup(f).SchemaVersion));
        }

        public static IEnumerable<object[]> BadBackups() => new[]
        {
            new object[] { "empty file", "BackupInvalid" },
            new object[] { "empty database", "BackupInvalid" },
            new object[] { "application id only", "BackupInvalid" },
            new object[] { "missing table", "BackupInvalid" },
            new object[] { "missing column", "BackupInvalid" },
            new object[] { "index does not match", "BackupDamaged" },
            new object[] { "truncated", "BackupDamaged" },
            new object[] { "newer schema", "TenantSchemaTooNew" },
            new object[] { "not sqlite", "NotATenantStore" },
        };

        [Theory]
        [MemberData(nameof(BadBackups))]
        public void Restore_checks_the_backup_completely_and_leaves_store_and_audit_log_untouched(string kind, string errorId)
        {
            using var temp = new TempFolder();
            var store = TenantStore.Open(temp.File("t.db"));
            Exec(store, "INSERT INTO groups (name, folder_id, created_utc) VALUES ('H4a', 1, 'x');" +
                        "INSERT INTO students (number, first_name, last_name, group_id, created_utc, updated_utc) VALUES ('007', 'Zoë', 'Jansen', 1, 'x', 'x');" +
                        "INSERT INTO audit_log (run_id, at_utc, user, action) VALUES ('r', 't', 'u', 'ImportStudents');");
            var bad = MakeBadBackup(store, temp, kind);
            var before = Dump(store);

            var error = Assert.Throws<AmnException>(() => store.Restore(bad));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Contains(bad, error.Message);
            Assert.DoesNotContain("SQLite Error", error.Message);
            Assert.Equal(before, Dump(store));
            Assert.Empty(Directory.GetFiles(temp.Path, ".*.partial"));
        }

        [Fact]
        public void Restore_replaces_the_data_and_keeps_every_audit_entry_undone_runs_included()
        {
            using var temp = new TempFolder();
            var store = TenantStore.Open(temp.File("t.db"));
            Exec(store, "INSERT INTO groups (name, folder_id, created_utc) VALUES ('H3a', 1, '2026-08-01T08:00:00Z');" +
                        "INSERT INTO students (number, first_name, last_name, group_id, created_utc, updated_utc) VALUES ('007', 'Zoë', 'Jansen', 1, '2026-08-01T08:00:00Z', '2026-08-01T08:00:00Z');" +
                        "INSERT INTO audit_log (run_id, at_utc, user, action) VALUES ('r1', 't1', 'u', 'ImportStudents');");
            var backup = store.Backup();
            Exec(store, "DELETE FROM groups; INSERT INTO groups (name, folder_id, created_utc) VALUES ('H4a', 1, 'y');" +
                        "UPDATE students SET group_id = (SELECT id FROM groups WHERE name = 'H4a');" +
                        "INSERT INTO audit_log (run_id, at_utc, user, action) VALUES ('r2', 't2', 'u', 'Rollover');");

            store.Restore(backup);

            using var connection = OpenFile(store);
            Assert.Equal("H3a", Scalar(connection, "SELECT g.name FROM students s JOIN groups g ON g.id = s.group_id WHERE s.number = '007'"));
            Assert.Equal("ImportStudents,Rollover,RestoreTenant", Scalar(connection, "SELECT group_concat(action) FROM (SELECT action FROM audit_log ORDER BY id)"));
            Assert.Contains(backup, (string)Scalar(connection, "SELECT details FROM audit_log WHERE action = 'RestoreTenant'"));
            Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check"));
            Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM pragma_foreign_key_check"));
        }

        [Theory]
        [InlineData("nfs", DriveType.Unknown, true)]
        [InlineData("nfs4", DriveType.Unknown, true)]
        [InlineData("cifs", DriveType.Unknown, true)]
        [InlineData("smb3", DriveType.Unknown, true)]
        [InlineData("smbfs", DriveType.Unknown, true)]
        [InlineData("fuse.sshfs", DriveType.Unknown, true)]
        [InlineData("NTFS", DriveType.Network, true)]
        [InlineData("ext4", DriveType.Fixed, false)]
        [InlineData("xfs", DriveType.Fixed, false)]
        [InlineData("apfs", DriveType.Fixed, false)]
        [InlineData("tmpfs", DriveType.Ram, false)]
        [InlineData("overlay", DriveType.Unknown, false)]
        [InlineData("NTFS", DriveType.Fixed, false)]
        [InlineData("vfat", DriveType.Removable, false)]
        public void Network_file_systems_are_recognised(string type, DriveType driveType, bool network)
            => Assert.Equal(network, NetworkFileSystems.IsNetwork(type, driveType));

        [Theory]
        [InlineData(@"\\server\share\amn\school.db", true)]
        [InlineData(@"\\?\UNC\server\share\school.db", true)]
        [InlineData(@"\\?\C:\amn\school.db", false)]
        [InlineData(@"C:\amn\school.db", false)]
        [InlineData("/home/admin/school.db", false)]
        public void Unc_paths_are_network_paths(string path, bool network) => Assert.Equal(network, NetworkFileSystems.IsUncPath(path));

        [Fact]
        public void A_path_belongs_to_the_mount_with_the_longest_matching_root()
        {
            var mounts = new[] { ("/", "ext4"), ("/mnt", "ext4"), ("/mnt/school", "nfs4"), ("/mnt/schooldata", "xfs") };
            Assert.Equal("nfs4", NetworkFileSystems.FindMount(mounts, m => m.Item1, "/mnt/school/amn/t.db").Item2);
            Assert.Equal("xfs", NetworkFileSystems.FindMount(mounts, m => m.Item1, "/mnt/schooldata/t.db").Item2);
            Assert.Equal("ext4", NetworkFileSystems.FindMount(mounts, m => m.Item1, "/home/t.db").Item2);
        }

        [Fact]
        public void A_local_store_is_not_refused() => NetworkFileSystems.EnsureLocal(Path.Combine(Path.GetTempPath(), "t.db"));

        private static string MakeBadBackup(TenantStore store, TempFolder temp, string kind)
        {
            var path = temp.File("bad.db");
            if (kind == "empty file") { File.WriteAllBytes(path, new byte[0]); return path; }
            if (kind == "not sqlite") { File.WriteAllText(path, "stamnr;roepnaam\n1;Jan\n"); return path; }
            if (kind == "empty database" || kind == "application id only")
            {
                using var empty = Raw(path);
                Exec(empty, kind == "empty database" ? "VACUUM;" : $"PRAGMA application_id = {Schema.ApplicationId}; PRAGMA user_version = 0;");
                return path;
            }
            File.Copy(store.Backup(), path);
            if (kind == "truncated")
            {
                using var stream = new FileStream(path, FileMode.Open);
                stream.SetLength(stream.Length / 2);
                return path;
            }
            using var connection = Raw(path);
            switch (kind)
            {
                case "missing table": Exec(connection, "DROP TABLE staff_groups;"); break;
                case "missing column": Exec(connection, "ALTER TABLE students DROP COLUMN crebo_number;"); break;
                case "newer schema": Exec(connection, $"PRAGMA user_version = {Schema.LatestVersion + 1};"); break;
                case "index does not match":
                    // The index claims another column than the one its entries hold: integrity_check reports every row.
                    Exec(connection, "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = 'CREATE INDEX audit_log_run ON audit_log(action)' WHERE name = 'audit_log_run'; PRAGMA writable_schema = OFF;");
                    break;
            }
            return path;
        }

        private static SqliteConnection Raw(string path)
        {
            var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            return connection;
        }

        private static string Dump(TenantStore store)
        {
            using var connection = OpenFile(store);
            var parts = new List<string>();
            foreach (var table in new[] { "folders", "groups", "students", "staff", "staff_roles", "staff_groups", "audit_log" })
                parts.Add(table + ":" + Scalar(connection, $"SELECT count(*) || '/' || coalesce(group_concat(x, '|'), '') FROM (SELECT quote(rowid) AS x FROM {table})"));
            parts.Add((string)Scalar(connection, "SELECT group_concat(number || first_name) FROM students"));
            return string.Join(";", parts);
        }

        private static (int, string) RunSqlite3(string path, string sql)
        {
            var start = new ProcessStartInfo("sqlite3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-cmd");
            start.ArgumentList.Add(".timeout 100");
            start.ArgumentList.Add(path);
            start.ArgumentList.Add(sql);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
    }
}
