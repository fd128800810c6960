using System;
using System.IO;
using System.Linq;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// Backups of a store: consistent copies, store files whatever the store (see <see cref="ITenantStorage.WriteBackup"/>), written under a
    /// temporary name and renamed when complete, so a killed or failed backup never leaves a file that
    /// looks like one. Automatic backups (before bulk changes) are pruned to the newest
    /// <see cref="TenantStore.AutomaticBackupsKept"/>, and deleted once older than
    /// <see cref="TenantStore.AutomaticBackupMaxAge"/> (they hold personal data that may have been
    /// erased since); backups made by hand are the admin's own and never pruned.
    /// </summary>
    internal static class TenantBackups
    {
        public const int DefaultKept = 10;
        public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(30);
        internal const string TemporaryExtension = ".partial";
        private static readonly TimeSpan StaleTemporary = TimeSpan.FromHours(6);

        public static string Folder(TenantStore store) => store.BackupFolder;

        public static string ManualPath(TenantStore store) => Path.Combine(Folder(store), $"{Name(store)}-{Stamp()}.db");

        /// <summary>The backup taken before a bulk change: backups/&lt;store&gt;-auto-&lt;time&gt;-&lt;unique&gt;.db beside the store.</summary>
        public static string Automatic(TenantStore store, bool canBeSkipped)
        {
            var folder = Folder(store);
            var destination = Write(store, Path.Combine(folder, $"{Name(store)}-auto-{Stamp()}.db"), canBeSkipped);
            Prune(store);
            return destination;
        }

        /// <summary>The automatic backups beside the store, oldest first (the names start with the time).</summary>
        public static string[] AutomaticFiles(TenantStore store)
        {
            var folder = Folder(store);
            if (!Directory.Exists(folder)) return new string[0];
            var automatic = Directory.GetFiles(folder, Name(store) + "-auto-*.db");
            Array.Sort(automatic, StringComparer.Ordinal);
            return automatic;
        }

        /// <summary>Copies the store to <paramref name="destination"/>, which must not exist yet.</summary>
        public static string Write(TenantStore store, string destination, bool canBeSkipped = false)
        {
            destination = Path.GetFullPath(destination);
            var folder = Path.GetDirectoryName(destination);
            if (File.Exists(destination))
                throw new AmnException("BackupExists", AmnErrorCategory.ResourceExists, Messages.Format("BackupExists", destination), destination);
            var temporary = Path.Combine(folder, "." + Path.GetFileName(destination) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + TemporaryExtension);
            try
            {
                if (!Directory.Exists(folder)) FilePermissions.CreateOwnerOnlyDirectory(folder);
                FilePermissions.CreateOwnerOnlyFile(temporary);
                Native.NativeSqlite.EnsureLoaded();
                using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString()))
                {
                    target.Open();
                    // No rollback journal beside the copy: a failed copy is deleted whole anyway.
                    TenantStore.Execute(target, "PRAGMA journal_mode = OFF;");
                    store.WriteBackup(target);
                    TenantStore.Execute(target, "PRAGMA journal_mode = DELETE;");
                }
                File.Move(temporary, destination);
            }
            catch (Exception e) when (e is SqliteException || e is IOException || e is UnauthorizedAccessException)
            {
                throw Failed(destination, e, canBeSkipped);
            }
            catch (AmnException e) when (e.ErrorId == "StoredValueTooLong") // a server school's value longer than a cell
            {
                throw new AmnException(e.ErrorId, e.Category, Messages.Format(canBeSkipped ? "BackupRefusedValueNoBackup" : "BackupRefusedValue", destination, e.Message), destination, e);
            }
            finally
            {
                DeleteTemporary(temporary);
            }
            return destination;
        }

        private static AmnException Failed(string destination, Exception e, bool canBeSkipped)
        {
            var full = e is SqliteException s ? SqliteErrors.IsDiskFull(s, Path.GetDirectoryName(destination)) : e is IOException && IsDiskFull(e);
            if (full)
                return new AmnException("BackupDiskFull", AmnErrorCategory.WriteError,
                    Messages.Format(canBeSkipped ? "BackupDiskFullNoBackup" : "BackupDiskFull", destination), destination, e);
            if (e is UnauthorizedAccessException || e is SqliteException r && r.SqliteErrorCode == SqliteErrors.ReadOnly)
                return new AmnException("BackupNotWritten", AmnErrorCategory.PermissionDenied,
                    Messages.Format("BackupFolderReadOnly", destination), destination, e);
            return new AmnException("BackupNotWritten", AmnErrorCategory.WriteError,
                Messages.Format("BackupNotWritten", destination, e.GetType().Name), destination, e);
        }

        private static bool IsDiskFull(Exception e)
        {
            const int EnospcUnix = 28, DiskFullWindows = 0x70, HandleDiskFullWindows = 0x27;
            var code = e.HResult & 0xFFFF;
            return code == EnospcUnix || code == DiskFullWindows || code == HandleDiskFullWindows;
        }

        private static void DeleteTemporary(string temporary)
        {
            foreach (var file in new[] { temporary, temporary + "-journal", temporary + "-wal", temporary + "-shm" })
            {
                try { if (File.Exists(file)) File.Delete(file); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }

        /// <summary>
        /// Keeps the newest automatic backups that are not older than the store's age limit, and clears
        /// temporary files a killed backup left long ago.
        /// </summary>
        public static void Prune(TenantStore store)
        {
            var automatic = AutomaticFiles(store);
            for (int i = 0; i < automatic.Length; i++)
            {
                var beyondCount = i < automatic.Length - store.AutomaticBackupsKept;
                var tooOld = DateTime.UtcNow - File.GetLastWriteTimeUtc(automatic[i]) > store.AutomaticBackupMaxAge;
                if (!beyondCount && !tooOld) continue;
                try { File.Delete(automatic[i]); }
                catch (IOException) { } // another session pruning at the same time
            }
            DeleteStaleTemporaries(Folder(store), ".*" + TemporaryExtension);
        }

        /// <summary>Deletes the temporary files in <paramref name="folder"/> that match <paramref name="pattern"/> and were left long ago (by a killed backup or restore).</summary>
        internal static void DeleteStaleTemporaries(string folder, string pattern)
        {
            if (!Directory.Exists(folder)) return;
            foreach (var stale in Directory.GetFiles(folder, pattern).Where(f => DateTime.UtcNow - File.GetLastWriteTimeUtc(f) > StaleTemporary))
                DeleteTemporary(stale);
        }

        private static string Name(TenantStore store) => store.BackupName;

        /// <summary>Local time to the millisecond, then a random part: unique across sessions that back up in the same millisecond.</summary>
        private static string Stamp() => DateTime.Now.ToString("yyyyMMdd-HHmmss-fff") + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);
    }
}
