using System;
using System.IO;
using System.Runtime.InteropServices;

namespace Amn.Rollover.Core.Store
{
    /// <summary>Pupil data is personal data: on Linux and macOS store files are readable by their owner only.</summary>
    public static class FilePermissions
    {
        private const int OwnerReadWrite = 0x180; // 0600
        private const int OwnerAll = 0x1C0;       // 0700

        /// <summary>Creates an empty file that only its owner can read and write (on Windows: an ordinary file).</summary>
        public static void CreateOwnerOnlyFile(string path)
        {
            using (new FileStream(path, FileMode.CreateNew, FileAccess.Write)) { }
            SetUnixMode(path, OwnerReadWrite);
        }

        /// <summary>Creates a folder (and its parents) that only its owner can enter, when missing.</summary>
        public static void CreateOwnerOnlyDirectory(string path)
        {
            if (Directory.Exists(path)) return;
            Directory.CreateDirectory(path);
            SetUnixMode(path, OwnerAll);
        }

        /// <summary>The permission bits of a file on Linux/macOS (e.g. 0x180 for 0600); null on Windows or .NET Framework.</summary>
        public static int? GetUnixMode(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return null;
            var method = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
            return method == null ? (int?)null : Convert.ToInt32(method.Invoke(null, new object[] { path }));
        }

        private static void SetUnixMode(string path, int mode)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            // File.SetUnixFileMode exists from .NET 7 on; netstandard2.0 cannot name it directly.
            var modeType = Type.GetType("System.IO.UnixFileMode", throwOnError: false);
            var method = modeType == null ? null : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), modeType });
            method?.Invoke(null, new[] { path, Enum.ToObject(modeType, mode) });
        }
    }
}
