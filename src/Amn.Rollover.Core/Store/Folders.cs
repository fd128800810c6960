using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>Folder paths such as "2026-2027/Havo": the root folder is the empty path.</summary>
    public static class Folders
    {
        /// <summary>True when the tenant has the folder (a normalized path).</summary>
        public static bool Exists(TenantWork work, string path) => work.Queries.FolderExists(path);

        /// <summary>Trimmed, forward slashes, no empty segments: " \2026-2027\\Havo/ " → "2026-2027/Havo".</summary>
        public static string Normalize(string path)
        {
            if (string.IsNullOrWhiteSpace(path)) return string.Empty;
            var segments = path.Replace('\\', '/').Split('/').Select(s => s.Trim()).Where(s => s.Length > 0);
            return string.Join("/", segments);
        }

        /// <summary>The id of a folder, creating it and its parent folders when missing.</summary>
        internal static long Ensure(SqliteConnection connection, SqliteTransaction transaction, string path)
        {
            path = Normalize(path);
            var existing = Find(connection, transaction, path);
            if (existing.HasValue) return existing.Value;
            var parent = path.LastIndexOf('/');
            if (parent > 0) Ensure(connection, transaction, path.Substring(0, parent));
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO folders (path) VALUES ($path); SELECT last_insert_rowid();";
                command.Parameters.AddWithValue("$path", path);
                return (long)command.ExecuteScalar();
            }
        }

        internal static long? Find(SqliteConnection connection, SqliteTransaction transaction, string path)
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT id FROM folders WHERE path = $path;";
                command.Parameters.AddWithValue("$path", Normalize(path));
                var id = command.ExecuteScalar();
                return id == null ? (long?)null : (long)id;
            }
        }
    }
}
