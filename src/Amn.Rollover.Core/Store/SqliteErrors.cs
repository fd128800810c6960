using System;
using System.IO;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// Turns what SQLite reports about a tenant store into an <see cref="AmnException"/> an admin can
    /// act on, naming the store; no SQLite text reaches the user.
    /// </summary>
    internal static class SqliteErrors
    {
        // SQLite's primary result codes (sqlite3.h).
        internal const int Busy = 5, Locked = 6, ReadOnly = 8, IoError = 10, Corrupt = 11, Full = 13, CantOpen = 14, NotADatabase = 26;

        public static AmnException Translate(SqliteException e, string path, TimeSpan busyTimeout)
        {
            var folder = Path.GetDirectoryName(path);
            if (IsDiskFull(e, folder))
                return new AmnException("TenantDiskFull", AmnErrorCategory.WriteError,
                    $"The disk that holds the tenant store '{path}' is full. Nothing was changed and the store is intact. Free some space on it and run the command again.", path, e);
            switch (e.SqliteErrorCode)
            {
                case Busy:
                case Locked:
                    return BusyError(path, busyTimeout, e);
                case ReadOnly:
                    return ReadOnlyError(path, e);
                case CantOpen:
                    if (!File.Exists(path)) return MissingError(path, e);
                    if (!IsWritable(folder)) return ReadOnlyError(path, e);
                    return new AmnException("TenantUnreadable", AmnErrorCategory.ReadError,
                        $"Cannot open the tenant store '{path}'. Check that this user may read and write the file and its folder '{folder}'. Nothing was changed.", path, e);
                case Corrupt:
                case NotADatabase:
                    return new AmnException("TenantDamaged", AmnErrorCategory.InvalidData,
                        $"The tenant store '{path}' is damaged. Stop using it and restore the newest automatic backup from '{Path.Combine(folder, "backups")}' with Restore-AmnTenant.", path, e);
                case IoError:
                    if (!File.Exists(path)) return MissingError(path, e);
                    if (!IsWritable(folder)) return ReadOnlyError(path, e);
                    return new AmnException("TenantIOError", AmnErrorCategory.WriteError,
                        $"Reading or writing the tenant store '{path}' failed at the disk (SQLite I/O error {e.SqliteExtendedErrorCode}). Nothing was changed; check the disk and run the command again.", path, e);
                default:
                    return new AmnException("TenantError", AmnErrorCategory.InvalidOperation,
                        $"The tenant store '{path}' could not complete the command (SQLite error {e.SqliteExtendedErrorCode}). Nothing was changed.", path, e);
            }
        }

        public static AmnException BusyError(string path, TimeSpan busyTimeout, Exception inner = null)
            => new AmnException("TenantBusy", AmnErrorCategory.ResourceBusy,
                $"The tenant store '{path}' is busy: another PowerShell session or scheduled job is changing it, and it did not finish within {busyTimeout.TotalSeconds:0} s. Nothing was changed. Run the command again when the other one has finished (Get-AmnAuditLog shows what ran), or connect with a longer -BusyTimeoutSec.", path, inner);

        public static AmnException MissingError(string path, Exception inner = null)
            => new AmnException("TenantMissing", AmnErrorCategory.ObjectNotFound,
                $"The tenant store '{path}' does not exist (any more): it was moved or deleted. Nothing was created in its place. Restore it with Restore-AmnTenant from a backup, or connect the right store with Connect-AmnTenant -Path.", path, inner);

        public static AmnException ReadOnlyError(string path, Exception inner = null)
            => new AmnException("TenantReadOnly", AmnErrorCategory.PermissionDenied,
                $"The tenant store '{path}' cannot be written: the file or its folder is read-only for this user (SQLite also writes '{Path.GetFileName(path)}-wal' and '-shm' beside it). Nothing was changed. Give this user write permission on both, or copy the store to a folder it can write.", path, inner);

        /// <summary>SQLITE_FULL, or an I/O error on a disk without free space (how some file systems report it).</summary>
        internal static bool IsDiskFull(SqliteException e, string folder)
        {
            if (e.SqliteErrorCode == Full) return true;
            if (e.SqliteErrorCode != IoError) return false;
            try { return new DriveInfo(folder).AvailableFreeSpace < 1024 * 1024; }
            catch (Exception probe) when (probe is IOException || probe is ArgumentException || probe is UnauthorizedAccessException) { return false; }
        }

        /// <summary>Whether this process may create a file in the folder (the -wal and -shm files need that).</summary>
        internal static bool IsWritable(string folder)
        {
            try
            {
                var probe = Path.Combine(folder, ".amn-write-test-" + Guid.NewGuid().ToString("N"));
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
                return true;
            }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        }
    }
}
