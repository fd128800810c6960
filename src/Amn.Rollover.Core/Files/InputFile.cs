using System;
using System.IO;
using System.Runtime.InteropServices;
using Amn.Rollover.Core.Native;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// The one door every file the module reads goes through (import files, workbooks, plans, backups, the store):
    /// a named pipe or a device is refused before it is opened, naming it. Opening a pipe waits for a writer and
    /// /dev/zero never ends, so neither may reach a reader.
    /// </summary>
    public static class InputFile
    {
        public static InputFileKind KindOf(string path)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                var regular = UnixFileTypes.IsRegularFile(path, out var isDirectory);
                if (regular == true) return InputFileKind.File;
                if (regular == false) return isDirectory ? InputFileKind.Folder : InputFileKind.Other;
            }
            if (Directory.Exists(path)) return InputFileKind.Folder;
            if (!File.Exists(path)) return InputFileKind.Missing;
            return (File.GetAttributes(path) & FileAttributes.Device) != 0 ? InputFileKind.Other : InputFileKind.File;
        }

        /// <summary>
        /// Throws <c>NotARegularFile</c> when the path names a pipe, a device or a socket. A missing path or a folder
        /// passes: each caller has its own words for those.
        /// </summary>
        public static void EnsureNotSpecial(string path)
        {
            if (KindOf(path) == InputFileKind.Other)
                throw new AmnException("NotARegularFile", AmnErrorCategory.InvalidArgument, Messages.Format("NotARegularFile", path), path);
        }

        /// <summary>A regular file opened for reading, shared with writers (an export being saved is refused by its own checks).</summary>
        public static FileStream OpenRead(string path, int bufferSize = 4096)
        {
            EnsureNotSpecial(path);
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize);
        }

        /// <summary>The text of a regular file (a saved plan), its encoding told by its byte-order mark, UTF-8 without one.</summary>
        public static string ReadAllText(string path)
        {
            using (var stream = OpenRead(path))
            using (var reader = new StreamReader(stream))
                return reader.ReadToEnd();
        }
    }
}
