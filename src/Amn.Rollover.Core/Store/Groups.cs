using System;
using System.Collections.Generic;
using Amn.Rollover.Core.Model;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>Reads and writes the groups table.</summary>
    public static class Groups
    {
        /// <summary>Every group with its folder and counts, ordered by folder and name.</summary>
        public static List<Group> List(TenantWork work) => work.Queries.Groups();

        /// <summary>Every folder with the number of groups directly in it, ordered by path.</summary>
        public static List<Folder> ListFolders(TenantWork work) => work.Queries.Folders();

        /// <summary>The names of all groups.</summary>
        public static ICollection<string> Names(TenantWork work) => work.Queries.GroupIds().Keys;

        /// <summary>All groups by name (case-insensitive), with their ids.</summary>
        internal static Dictionary<string, long> LoadIds(SqliteConnection connection, SqliteTransaction transaction = null)
        {
            var result = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT id, name FROM groups;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) result[StoredValues.Text(reader, 1, connection, "groups", "name", null, reader.GetInt64(0))] = reader.GetInt64(0);
            }
            return result;
        }

        internal static long Insert(SqliteConnection connection, SqliteTransaction transaction, string name, long folderId)
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO groups (name, folder_id, created_utc) VALUES ($name, $folder, $now); SELECT last_insert_rowid();";
                command.Parameters.AddWithValue("$name", name);
                command.Parameters.AddWithValue("$folder", folderId);
                command.Parameters.AddWithValue("$now", Timestamp.Now());
                return (long)command.ExecuteScalar();
            }
        }

        /// <summary>Every folder with the number of groups directly in it, ordered by path.</summary>
        internal static List<Folder> ListFolders(SqliteConnection connection, SqliteTransaction transaction = null)
        {
            var result = new List<Folder>();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT f.path, (SELECT count(*) FROM groups g WHERE g.folder_id = f.id), f.id FROM folders f ORDER BY f.path;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) result.Add(new Folder { Path = StoredValues.Text(reader, 0, connection, "folders", "path", null, reader.GetInt64(2)), GroupCount = reader.GetInt64(1) });
            }
            return result;
        }

        /// <summary>Every group with its folder and counts, ordered by folder and name.</summary>
        internal static List<Group> List(SqliteConnection connection, SqliteTransaction transaction = null)
        {
            var result = new List<Group>();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = @"
SELECT g.name, f.path,
       (SELECT count(*) FROM students s WHERE s.group_id = g.id),
       (SELECT count(*) FROM staff_groups sg WHERE sg.group_id = g.id),
       g.id, f.id
FROM groups g JOIN folders f ON f.id = g.folder_id
ORDER BY f.path, g.name COLLATE NOCASE;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                        result.Add(new Group
                        {
                            Name = StoredValues.Text(reader, 0, connection, "groups", "name", null, reader.GetInt64(4)),
                            Folder = StoredValues.Text(reader, 1, connection, "folders", "path", null, reader.GetInt64(5)),
                            StudentCount = reader.GetInt64(2), StaffCount = reader.GetInt64(3),
                        });
            }
            return result;
        }
    }
}
