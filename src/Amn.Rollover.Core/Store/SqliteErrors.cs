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
                    Messages.Format("StoreDiskFull", path), path, e);
            if (StoredValues.IsTooBig(e) && File.Exists(path) && StoredValues.FindTooBig(path) is AmnException tooLong) return tooLong;
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
                        Messages.Format("StoreNotOpenable", path, folder), path, e);
                case Corrupt:
                case NotADatabase:
                    return new AmnException("TenantDamaged", AmnErrorCategory.InvalidData,
                        Messages.Format("StoreDamaged", path, Path.Combine(folder, "backups")), path, e);
                case IoError:
                    if (!File.Exists(path)) return MissingError(path, e);
                    if (!IsWritable(folder)) return ReadOnlyError(path, e);
                    return new AmnException("TenantIOError", AmnErrorCategory.WriteError,
                        Messages.Format("StoreIoError", path, e.SqliteExtendedErrorCode), path, e);
                default:
                    return new AmnException("TenantError", AmnErrorCategory.InvalidOperation,
                        Messages.Format("StoreCommandFailed", path, e.SqliteExtendedErrorCode), path, e);
            }
        }

        public static AmnException BusyError(string path, TimeSpan busyTimeout, Exception inner = null)
            => new AmnException("TenantBusy", AmnErrorCategory.ResourceBusy,
                Messages.Format("StoreBusy", path, busyTimeout.TotalSeconds), path, inner);

        public static AmnException MissingError(string path, Exception inner = null)
            => new AmnException("TenantMissing", AmnErrorCategory.ObjectNotFound,
                Messages.Format("StoreGone", path), path, inner);

        public static AmnException ReadOnlyError(string path, Exception inner = null)
            => new AmnException("TenantReadOnly", AmnErrorCategory.PermissionDenied,
                Messages.Format("StoreReadOnly", path, Path.GetFileName(path)), path, inner);

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
