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

        /// <summary>Every row by an import's rules, on a copy in memory migrated to the store's schema (the backup itself is never written).</summary>
        private static void CheckRows(SqliteConnection backup, string backupPath, int version)
        {
            using (var copy = new SqliteConnection("Data Source=:memory:"))
            {
                copy.Open();
                backup.BackupDatabase(copy);
                TenantStore.Migrate(copy, version);
                var problem = BackupRowCheck.FirstProblem(copy);
                if (problem != null)
                    throw new AmnException("BackupInvalid", AmnErrorCategory.InvalidData, Messages.Format("BackupRowsInvalid", backupPath, problem), backupPath);
            }
        }

        /// <summary>
        /// Replaces the store's content with that of a backup <see cref="Check"/> passed. Erasure is a
        /// promise to the pupil, not a state of the store: every number the store holds as erased is
        /// erased again in what the backup brings back (or kept as a used number when the backup lacks
        /// it) before any of it reaches the store. Returns those numbers that the backup still held
        /// personal data of.
        /// </summary>
        public static IReadOnlyList<string> Run(TenantStore store, string backupPath, int version)
        {
            var copy = Path.Combine(store.WorkFolder, $".{store.BackupName}.restore-{Guid.NewGuid():N}.partial");
            try
            {
                // The backup itself is never written: a copy is migrated to the store's schema, then read.
                using (var source = OpenReadOnly(backupPath))
                using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
                {
                    FilePermissions.CreateOwnerOnlyFile(copy);
                    target.Open();
                    TenantStore.Execute(target, "PRAGMA journal_mode = OFF;");
                    source.BackupDatabase(target);
                    TenantStore.Migrate(target, version);
                }
                return store.Use(connection =>
                {
                    using (var attach = connection.CreateCommand())
                    {
                        attach.CommandText = "ATTACH DATABASE $path AS backup;";
                        attach.Parameters.AddWithValue("$path", copy);
                        attach.ExecuteNonQuery();
                    }
                    try
                    {
                        using (var transaction = store.BeginWrite(connection))
                        {
                            var erasedAgain = EraseAgain(connection, transaction.Local);
                            Replace(connection, transaction.Local);
                            var details = "from " + backupPath + (erasedAgain.Count > 0 ? "; erased again: " + string.Join(", ", erasedAgain) : "");
                            AuditLog.Write(connection, transaction.Local, Guid.NewGuid(), "RestoreTenant", store.Path, details);
                            transaction.Commit();
                            return erasedAgain;
                        }
                    }
                    finally
                    {
                        TenantStore.Execute(connection, "DETACH DATABASE backup;");
                    }
                });
            }
            catch (SqliteException e)
            {
                throw store.Translate(e);
            }
            catch (IOException e)
            {
                throw new AmnException("RestoreFailed", AmnErrorCategory.WriteError, Messages.Format("RestoreCopyNotWritten", backupPath, store.Path, e.GetType().Name), backupPath, e);
            }
            finally
            {
                foreach (var file in new[] { copy, copy + "-journal" })
                    if (File.Exists(file)) File.Delete(file);
            }
        }

        /// <summary>
        /// The store's erased numbers applied to the attached copy of the backup: a pupil it holds is
        /// erased with the store's date of erasure, a number it lacks is added as a used number.
        /// </summary>
        private static List<string> EraseAgain(SqliteConnection connection, SqliteTransaction transaction)
        {
            const string Erased = "SELECT number, erased_utc FROM main.students WHERE erased_utc IS NOT NULL";
            var again = Strings(connection, transaction, $"SELECT b.number FROM backup.students b JOIN ({Erased}) e ON e.number = b.number WHERE b.erased_utc IS NULL ORDER BY b.number;");
            TenantStore.Execute(connection,
                $"UPDATE backup.students SET {StudentEraser.ErasedValues}, erased_utc = e.erased_utc, updated_utc = e.erased_utc FROM ({Erased}) e " +
                "WHERE e.number = backup.students.number AND backup.students.erased_utc IS NULL;" +
                "INSERT INTO backup.students (number, first_name, last_name, created_utc, updated_utc, erased_utc) " +
                $"SELECT e.number, '', '', e.erased_utc, e.erased_utc, e.erased_utc FROM ({Erased}) e WHERE e.number NOT IN (SELECT number FROM backup.students);",
                transaction);
            return again;
        }

        /// <summary>Every data table emptied children first, then filled from the backup parents first; foreign keys checked at commit.</summary>
        private static void Replace(SqliteConnection connection, SqliteTransaction transaction)
        {
            TenantStore.Execute(connection, "PRAGMA defer_foreign_keys = ON;", transaction);
            var tables = Tables(connection, transaction, "main").Where(t => t != AuditTable).ToList();
            foreach (var table in Enumerable.Reverse(tables))
                TenantStore.Execute(connection, $"DELETE FROM main.\"{table}\";", transaction);
            foreach (var table in tables)
            {
                var columns = string.Join(", ", Columns(connection, transaction, "main", table).Select(c => "\"" + c + "\""));
                TenantStore.Execute(connection, $"INSERT INTO main.\"{table}\" ({columns}) SELECT {columns} FROM backup.\"{table}\";", transaction);
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

        private static List<string> Strings(SqliteConnection connection, SqliteTransaction transaction, string sql)
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

        private static SqliteConnection OpenReadOnly(string path)
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
