using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace Amn.Rollover.Core.Native
{
    /// <summary>
    /// The type of a file on Linux and macOS (regular, directory, pipe, device, socket), which .NET's file API
    /// does not tell: a named pipe and /dev/zero look like empty regular files to <see cref="System.IO.FileInfo"/>.
    /// Asked of the runtime's own System.Native library, whose stat result has the same layout on every Unix
    /// and architecture (unlike libc's struct stat).
    /// </summary>
    [SuppressUnmanagedCodeSecurity]
    internal static unsafe class UnixFileTypes
    {
        private const int TypeMask = 0xF000, Directory = 0x4000, Regular = 0x8000;

        /// <summary>The runtime's FileStatus: Flags, Mode and then fields this class does not read (room is left for all of them).</summary>
        [StructLayout(LayoutKind.Sequential)]
        private struct FileStatus
        {
            public int Flags;
            public int Mode;
            public fixed long Rest[32];
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", ExactSpelling = true)]
        private static extern int Stat(byte[] path, out FileStatus status);

        /// <summary>True for a regular file, false for anything else that exists; null when it cannot be told (missing, or no System.Native).</summary>
        public static bool? IsRegularFile(string path, out bool isDirectory)
        {
            isDirectory = false;
            try
            {
                var bytes = Encoding.UTF8.GetBytes(path + "\0");
                if (Stat(bytes, out var status) != 0) return null;
                var type = status.Mode & TypeMask;
                isDirectory = type == Directory;
                return type == Regular;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException) { return null; }
        }
    }
}
