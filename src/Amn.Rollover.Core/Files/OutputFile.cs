using System;
using System.IO;
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
        /// <summary>Refuses, before any work, a symbolic link and (unless <paramref name="overwrite"/>) an existing file.</summary>
        public static void CheckTarget(string path, bool overwrite, string parameterName)
        {
            if (IsLink(path))
                throw new AmnException("OutputIsLink", AmnErrorCategory.PermissionDenied,
                    Messages.Format("OutputIsLink", parameterName, path), path);
            if (Directory.Exists(path))
                throw new AmnException("OutputIsFolder", AmnErrorCategory.InvalidArgument, Messages.Format("OutputIsFolder", parameterName, path), path);
            if (File.Exists(path) && !overwrite)
                throw new AmnException("FileExists", AmnErrorCategory.ResourceExists,
                    Messages.Format("OutputExists", parameterName, path), path);
        }

        /// <summary>Writes the file through <paramref name="write"/>, which gets a stream to an owner-only temporary file; then moves it into place.</summary>
        public static void Write(string path, Action<Stream> write, string errorId, string what)
        {
            path = Path.GetFullPath(path);
            var temporary = Path.Combine(Path.GetDirectoryName(path), "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                if (IsLink(path)) throw new IOException(Messages.Get("OutputBecameLink"));
                FilePermissions.CreateOwnerOnlyFile(temporary);
                using (var stream = new FileStream(temporary, FileMode.Truncate, FileAccess.Write))
                    write(stream);
                if (File.Exists(path)) File.Replace(temporary, path, null);
                else File.Move(temporary, path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new AmnException(errorId, AmnErrorCategory.WriteError, Messages.Format("OutputNotWritten", what, path, e.Message), path, e);
            }
            finally
            {
                try { if (File.Exists(temporary)) File.Delete(temporary); }
                catch (IOException) { }
            }
        }

        private static bool IsLink(string path)
        {
            try { return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0; }
            catch (FileNotFoundException) { return false; }
            catch (DirectoryNotFoundException) { return false; }
        }
    }
}
