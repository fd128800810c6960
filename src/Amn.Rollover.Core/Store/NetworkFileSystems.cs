using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// SQLite's WAL mode needs shared memory and POSIX/Windows locks that network file systems do not
    /// give reliably, so a store on an SMB, NFS or other network share is refused.
    /// </summary>
    internal static class NetworkFileSystems
    {
        // File-system type names as Linux (/proc/mounts) and macOS (statfs f_fstypename) report them.
        private static readonly HashSet<string> NetworkTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "afpfs", "webdav", "davfs",
            "fuse.sshfs", "sshfs", "fuse.davfs2", "fuse.rclone", "ceph", "glusterfs", "fuse.glusterfs", "lustre", "gpfs",
        };

        /// <summary>Whether a file-system type (as Linux or macOS names it) or a drive type is a network one.</summary>
        public static bool IsNetwork(string fileSystemType, DriveType driveType)
            => driveType == DriveType.Network || (fileSystemType != null && NetworkTypes.Contains(fileSystemType.Trim()));

        /// <summary>A Windows UNC path (\\server\share\...), which is always on the network.</summary>
        public static bool IsUncPath(string path)
            => path.StartsWith(@"\\", StringComparison.Ordinal) && !path.StartsWith(@"\\?\", StringComparison.Ordinal) && !path.StartsWith(@"\\.\", StringComparison.Ordinal)
               || path.StartsWith(@"\\?\UNC\", StringComparison.OrdinalIgnoreCase);

        /// <summary>The mount a path lives on: the one with the longest root that contains it.</summary>
        public static T FindMount<T>(IEnumerable<T> mounts, Func<T, string> root, string path)
        {
            var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            bool Contains(string mountRoot)
            {
                var trimmed = mountRoot.TrimEnd('/', '\\');
                if (trimmed.Length == 0) return true; // "/"
                return path.Equals(trimmed, comparison) || path.StartsWith(trimmed + "/", comparison) || path.StartsWith(trimmed + "\\", comparison);
            }
            return mounts.Where(m => Contains(root(m))).OrderByDescending(m => root(m).TrimEnd('/', '\\').Length).FirstOrDefault();
        }

        /// <summary>Throws TenantOnNetworkShare when the store path is on a network file system.</summary>
        public static void EnsureLocal(string path)
        {
            if (IsUncPath(path)) throw OnNetworkShare(path, Messages.Get("UncPath"));
            DriveInfo drive;
            try
            {
                drive = FindMount(DriveInfo.GetDrives(), d => d.RootDirectory.FullName, path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return; // cannot tell; SQLite's own locking still applies
            }
            if (drive == null) return;
            string format;
            try { format = drive.DriveFormat; }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { format = null; }
            if (IsNetwork(format, drive.DriveType))
                throw OnNetworkShare(path, Messages.Format("NetworkFileSystem", format ?? drive.DriveType.ToString(), drive.RootDirectory.FullName));
        }

        private static AmnException OnNetworkShare(string path, string what)
            => new AmnException("TenantOnNetworkShare", AmnErrorCategory.InvalidArgument,
                Messages.Format("StoreOnNetworkShare", path, what), path);
    }
}
