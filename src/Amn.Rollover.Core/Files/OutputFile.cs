using System;
using System.IO;
using System.Runtime.InteropServices;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// Every file the module writes for the user (exports, error logs, reports, plans) holds pupil
    /// data, so each is written the same way: an existing file only when overwriting was asked for, a
    /// symbolic link never (it would write the data into whatever it points at), readable by its owner
    /// only on Linux and macOS, and under a temporary name beside the target until it is complete.
    /// </summary>
    public static class OutputFile
    {
        /// <summary>
        /// Refuses, before any work, a symbolic link, a folder, and a folder the module cannot write in
        /// (found by creating and removing a temporary file there, so a read-only or full disk stops the
        /// run before any change instead of after it).
        /// </summary>
        public static void CheckTarget(string path, string parameterName)
        {
            if (IsLink(path))
                throw new AmnException("OutputIsLink", AmnErrorCategory.PermissionDenied,
                    Messages.Format("OutputIsLink", parameterName, path), path);
            if (Directory.Exists(path))
                throw new AmnException("OutputIsFolder", AmnErrorCategory.InvalidArgument, Messages.Format("OutputIsFolder", parameterName, path), path);
            var probe = TemporaryName(Path.GetFullPath(path));
            try
            {
                FilePermissions.CreateOwnerOnlyFile(probe);
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new AmnException("OutputNotWritable", AmnErrorCategory.PermissionDenied,
                    Messages.Format("OutputNotWritable", parameterName, path, Reason(e)), path, e);
            }
        }

        /// <summary>Refuses an existing file unless <paramref name="overwrite"/> (-AllowOverwrite) was given.</summary>
        public static void CheckOverwrite(string path, bool overwrite, string parameterName)
        {
            if (File.Exists(path) && !overwrite)
                throw new AmnException("FileExists", AmnErrorCategory.ResourceExists,
                    Messages.Format("OutputExists", parameterName, path), path);
        }

        /// <summary>Why a file could not be written, in words (never the OS's own text, which names the temporary file).</summary>
        public static string Reason(Exception e)
        {
            if (e is AmnException amn && amn.InnerException != null && !(amn.InnerException is AmnException)) e = amn.InnerException;
            if (e is AmnException own) return own.Message; // the module's own words already (a path that became a link)
            if (e is UnauthorizedAccessException) return Messages.Get("OutputNoAccess");
            var code = e.HResult & 0xFFFF;
            var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            // Windows: ERROR_HANDLE_DISK_FULL 39, ERROR_DISK_FULL 112, ERROR_WRITE_PROTECT 19, ERROR_ACCESS_DENIED 5; Unix: the errno (ENOSPC 28, EDQUOT 122/69, EROFS 30, EACCES 13).
            if (windows ? code == 39 || code == 112 : code == 28 || code == 122 || code == 69) return Messages.Get("OutputDiskFull");
            if (windows ? code == 19 : code == 30) return Messages.Get("OutputReadOnly");
            if (windows ? code == 5 : code == 13 || code == 1) return Messages.Get("OutputNoAccess");
            return Messages.Get("OutputRefused");
        }

        /// <summary>Writes the file through <paramref name="write"/>, which gets a stream to an owner-only temporary file; then moves it into place.</summary>
        public static void Write(string path, Action<Stream> write, string errorId, string what)
        {
            path = Path.GetFullPath(path);
            var temporary = TemporaryName(path);
            try
            {
                if (IsLink(path)) throw new AmnException("OutputBecameLink", AmnErrorCategory.PermissionDenied, Messages.Get("OutputBecameLink"), path);
                FilePermissions.CreateOwnerOnlyFile(temporary);
                using (var stream = new FileStream(temporary, FileMode.Truncate, FileAccess.Write))
                    write(stream);
                if (File.Exists(path)) File.Replace(temporary, path, null);
                else File.Move(temporary, path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || (e is AmnException own && own.ErrorId == "OutputBecameLink"))
            {
                throw new AmnException(errorId, AmnErrorCategory.WriteError, Messages.Format("OutputNotWritten", what, path, Reason(e)), path, e);
            }
            finally
            {
                try { if (File.Exists(temporary)) File.Delete(temporary); }
                catch (IOException) { }
            }
        }

        private static string TemporaryName(string path) =>
            Path.Combine(Path.GetDirectoryName(path), "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");

        private static bool IsLink(string path)
        {
            try { return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0; }
            catch (FileNotFoundException) { return false; }
            catch (DirectoryNotFoundException) { return false; }
        }
    }
}
