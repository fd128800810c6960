using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// Restores a backup into a store. The backup is checked completely first (an SQLite file, an
    /// Amn.Rollover store, a schema this module knows, integrity_check ok, every table and column of
    /// its schema version present); then, in one transaction, the store's pupils, groups, folders,
    /// staff and links are replaced by the backup's. The audit log is history: it keeps every entry,
    /// the undone runs included, and gains one for the restore.
    /// </summary>
    internal static class TenantRestore
    {
        internal const string AuditTable = "audit_log";

        /// <summary>Checks a backup without changing it and returns its schema version.</summary>
        public static int Check(string backupPath)
        {
            if (Directory.Exists(backupPath))
                throw new AmnException("BackupIsFolder", AmnErrorCategory.InvalidArgument, Messages.Format("BackupIsFolder", backupPath), backupPath);
            Files.InputFile.EnsureNotSpecial(backupPath);
            if (!File.Exists(backupPath))
                throw new AmnException("BackupNotFound", AmnErrorCategory.ObjectNotFound, Messages.Format("BackupFileNotFound", backupPath), backupPath);
            if (new FileInfo(backupPath).Length == 0)
                throw Invalid(backupPath, Messages.Get("BackupFileEmpty"));
            Native.NativeSqlite.EnsureLoaded();
            using (var connection = OpenReadOnly(backupPath))
            {
                try
                {
                    var version = TenantStore.ReadVersion(connection, backupPath, Messages.Get("ATenantStoreBackup"));
                    if (version == 0) throw Invalid(backupPath, Messages.Get("BackupHoldsNoData"));
                    if (version > Schema.LatestVersion)
                        throw new AmnException("TenantSchemaTooNew", AmnErrorCategory.InvalidData,
                            Messages.Format("BackupSchemaTooNew", backupPath, version, Schema.LatestVersion), backupPath);
                    var problems = new List<string>();
                    using (var command = connection.CreateCommand())
                    {
                        command.CommandText = "PRAGMA integrity_check(5);";
                        using (var reader = command.ExecuteReader())
                            while (reader.Read()) problems.Add(reader.GetString(0));
                    }
                    if (problems.Count != 1 || problems[0] != "ok")
                        throw Damaged(backupPath, Messages.Get("IntegrityCheckFound") + string.Join("; ", problems), null);
                    var missing = MissingColumns(connection, version).ToList();
                    if (missing.Count > 0)
                        throw Invalid(backupPath, Messages.Format("BackupLacks", string.Join(", ", missing.Take(5)), version));
                    CheckRows(connection, backupPath, version);
                    return version;
                }
                catch (SqliteException e)
                {
                    throw Damaged(backupPath, Messages.Get("SqliteCannotRead"), e);
                }
            }
        }

        /// <summary>
        /// Every row by an import's rules (the backup itself is never written): a backup of the store's schema read as it is,
        /// an older one on a private copy migrated to the store's schema, on disk (a large school's copy in memory is the
        /// size of the school), owner-only and deleted after.
        /// </summary>
        private static void CheckRows(SqliteConnection backup, string backupPath, int version)
        {
            string problem;
            if (version == Schema.LatestVersion) problem = BackupRowCheck.FirstProblem(backup);
            else
            {
                TenantBackups.DeleteStaleTemporaries(Path.GetTempPath(), ".amn-check-*" + TenantBackups.TemporaryExtension); // what a killed check left
                var copyPath = Path.Combine(Path.GetTempPath(), $".amn-check-{Guid.NewGuid():N}{TenantBackups.TemporaryExtension}");
                try
                {
                    using (var copy = MigratedCopy(backup, copyPath, version))
                        problem = BackupRowCheck.FirstProblem(copy);
                }
                finally
                {
                    DeleteCopy(copyPath);
                }
            }
            RefuseInvalidRows(problem, backupPath);
        }

        private static void RefuseInvalidRows(string problem, string backupPath)
        {
            if (problem != null)
                throw new AmnException("BackupInvalid", AmnErrorCategory.InvalidData, Messages.Format("BackupRowsInvalid", backupPath, problem), backupPath);
        }

        /// <summary>
        /// Replaces the store's content with that of a backup <see cref="Check"/> passed. Erasure is a
        /// promise to the pupil, not a state of the store: every number the store holds as erased is
        /// erased again in what the backup brings back (or kept as a used number when the backup lacks
        /// it) before any of it reaches the store. Returns those numbers that the backup still held
        /// personal data of. <paramref name="underLock"/> runs once the restore holds the store's lock (the safety backup).
        /// The store's own operations replace its rows (<see cref="ITenantEdits.ReplaceData"/>), in one write.
        /// </summary>
        public static IReadOnlyList<string> Run(TenantStore store, string backupPath, int version, Action underLock = null)
        {
            var copyName = $".{store.BackupName}.restore-";
            TenantBackups.DeleteStaleTemporaries(store.WorkFolder, copyName + "*" + TenantBackups.TemporaryExtension); // what a killed restore left
            var copy = Path.Combine(store.WorkFolder, copyName + Guid.NewGuid().ToString("N") + TenantBackups.TemporaryExtension);
            try
            {
                // The backup itself is never written: a copy is migrated to the store's schema, then read.
                using (var source = OpenReadOnly(backupPath))
                using (var target = MigratedCopy(source, copy, version))
                {
                    // What is restored is this copy: the file at the path may have been replaced since Check read it.
                    RefuseInvalidRows(BackupRowCheck.FirstProblem(target), backupPath);
                }
                return store.Write(work =>
                {
                    underLock?.Invoke();
                    var erasedAgain = EraseAgain(copy, work.Queries.Erasures());
                    work.Edits.ReplaceData(copy);
                    work.Edits.Audit(Guid.NewGuid(), "RestoreTenant", store.Path, "from " + backupPath + (erasedAgain.Count > 0 ? "; erased again: " + string.Join(", ", erasedAgain) : ""));
                    return erasedAgain;
                });
            }
            catch (SqliteException e)
            {
                throw store.Translate(e);
            }
            catch (IOException e)
            {
                throw new AmnException("RestoreFailed", AmnErrorCategory.WriteError, Messages.Format("RestoreCopyNotWritten", backupPath, store.Path, e.GetType().Name, store.WorkFolder), backupPath, e);
            }
            finally
            {
                DeleteCopy(copy);
            }
        }

        /// <summary>An owner-only copy of <paramref name="backup"/> at <paramref name="path"/>, migrated from <paramref name="version"/> to the store's schema; the caller disposes it and deletes the file.</summary>
        private static SqliteConnection MigratedCopy(SqliteConnection backup, string path, int version)
        {
            FilePermissions.CreateOwnerOnlyFile(path);
            var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            try
            {
                copy.Open();
                TenantStore.Execute(copy, "PRAGMA journal_mode = OFF;"); // a failed copy is deleted whole
                backup.BackupDatabase(copy);
                TenantStore.Migrate(copy, version);
                return copy;
            }
            catch
            {
                copy.Dispose();
                throw;
            }
        }

        private static void DeleteCopy(string path)
        {
            foreach (var file in new[] { path, path + "-journal" })
                if (File.Exists(file)) File.Delete(file);
        }

        /// <summary>
        /// The store's erased numbers applied to the backup's copy (in <paramref name="copyPath"/>): a pupil it holds is
        /// erased with the store's time of erasure, a number it lacks is added as a used number (with the store's id
        /// when the copy has no row of that id). Returns the numbers it held personal data of.
        /// </summary>
        private static List<string> EraseAgain(string copyPath, Dictionary<string, (long Id, string ErasedUtc)> erasures)
        {
            if (erasures.Count == 0) return new List<string>();
            using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copyPath, Pooling = false }.ToString()))
            {
                copy.Open();
                TenantStore.Execute(copy, "PRAGMA secure_delete = ON; CREATE TEMP TABLE erased (number TEXT PRIMARY KEY, id INTEGER NOT NULL, erased_utc TEXT NOT NULL);");
                using (var transaction = copy.BeginTransaction())
                {
                    using (var insert = copy.CreateCommand())
                    {
                        insert.Transaction = transaction;
                        insert.CommandText = "INSERT INTO temp.erased VALUES ($number, $id, $erased);";
                        var number = insert.Parameters.Add("$number", SqliteType.Text);
                        var id = insert.Parameters.Add("$id", SqliteType.Integer);
                        var erased = insert.Parameters.Add("$erased", SqliteType.Text);
                        foreach (var erasure in erasures)
                        {
                            number.Value = erasure.Key;
                            id.Value = erasure.Value.Id;
                            erased.Value = erasure.Value.ErasedUtc;
                            insert.ExecuteNonQuery();
                        }
                    }
                    var again = Strings(copy, transaction, "SELECT s.number FROM students s JOIN temp.erased e ON e.number = s.number WHERE s.erased_utc IS NULL ORDER BY s.number;");
                    TenantStore.Execute(copy,
                        $"UPDATE students SET {StudentEraser.ErasedValues}, erased_utc = e.erased_utc, updated_utc = e.erased_utc FROM temp.erased e " +
                        "WHERE e.number = students.number AND students.erased_utc IS NULL;" +
                        "INSERT INTO students (id, number, first_name, last_name, created_utc, updated_utc, erased_utc) " +
                        "SELECT CASE WHEN e.id IN (SELECT id FROM students) THEN NULL ELSE e.id END, e.number, '', '', e.erased_utc, e.erased_utc, e.erased_utc " +
                        "FROM temp.erased e WHERE e.number NOT IN (SELECT number FROM students);",
                        transaction);
                    transaction.Commit();
                    return again;
                }
            }
        }

        /// <summary>The tables and columns a store of this schema version has and the backup lacks, as "table" or "table.column".</summary>
        private static IEnumerable<string> MissingColumns(SqliteConnection backup, int version)
        {
            using (var expected = new SqliteConnection("Data Source=:memory:"))
            {
                expected.Open();
                for (int v = 1; v <= version; v++) TenantStore.Execute(expected, Schema.Migrations[v - 1]);
                var present = new HashSet<string>(Tables(backup, null, "main"), StringComparer.OrdinalIgnoreCase);
                foreach (var table in Tables(expected, null, "main"))
                {
                    if (!present.Contains(table)) { yield return Messages.Format("TheTable", table); continue; }
                    var columns = new HashSet<string>(Columns(backup, null, "main", table), StringComparer.OrdinalIgnoreCase);
                    foreach (var column in Columns(expected, null, "main", table).Where(c => !columns.Contains(c)))
                        yield return Messages.Format("TheColumn", table, column);
                }
            }
        }

        internal static List<string> Tables(SqliteConnection connection, SqliteTransaction transaction, string schema)
            => Strings(connection, transaction, $"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY rowid;");

        internal static List<string> Columns(SqliteConnection connection, SqliteTransaction transaction, string schema, string table)
            => Strings(connection, transaction, $"SELECT name FROM pragma_table_info('{table.Replace("'", "''")}', '{schema}') ORDER BY cid;");

        internal static List<string> Strings(SqliteConnection connection, SqliteTransaction transaction, string sql)
        {
            var result = new List<string>();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = sql;
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) result.Add(reader.GetString(0));
            }
            return result;
        }

        internal static SqliteConnection OpenReadOnly(string path)
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            try { connection.Open(); }
            catch (SqliteException e)
            {
                connection.Dispose();
                throw Damaged(path, Messages.Get("SqliteCannotOpen"), e);
            }
            return connection;
        }

        private static AmnException Invalid(string path, string reason)
            => new AmnException("BackupInvalid", AmnErrorCategory.InvalidData, Messages.Format("BackupInvalid", path, reason), path);

        private static AmnException Damaged(string path, string reason, Exception inner)
            => new AmnException("BackupDamaged", AmnErrorCategory.InvalidData, Messages.Format("BackupDamaged", path, reason), path, inner);
    }
}
