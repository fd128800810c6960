using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Amn.Rollover.Core.Model;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>Reads and writes staff, their roles and their group links.</summary>
    public static class StaffTable
    {
        /// <summary>A stored staff member with its row id.</summary>
        public sealed class Row
        {
            public long Id;
            public Staff Staff;
        }

        /// <summary>Every staff member with roles and groups, by username (case-insensitive).</summary>
        public static Dictionary<string, Row> LoadAll(SqliteConnection connection, SqliteTransaction transaction = null)
        {
            var result = new Dictionary<string, Row>(StringComparer.OrdinalIgnoreCase);
            var byId = new Dictionary<long, Row>();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT id, user_name, code, first_name, prefix, last_name, email FROM staff ORDER BY last_name, first_name, user_name;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                    {
                        var row = new Row
                        {
                            Id = reader.GetInt64(0),
                            Staff = new Staff { UserName = reader.GetString(1), Code = Text(reader, 2), FirstName = Text(reader, 3), Prefix = Text(reader, 4), LastName = reader.GetString(5), Email = Text(reader, 6) },
                        };
                        result[row.Staff.UserName] = row;
                        byId[row.Id] = row;
                    }
            }
            var roles = new Dictionary<long, List<string>>();
            var groups = new Dictionary<long, List<string>>();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT staff_id, role FROM staff_roles ORDER BY role;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) Add(roles, reader.GetInt64(0), reader.GetString(1));
                command.CommandText = "SELECT sg.staff_id, g.name FROM staff_groups sg JOIN groups g ON g.id = sg.group_id ORDER BY g.name COLLATE NOCASE;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) Add(groups, reader.GetInt64(0), reader.GetString(1));
            }
            foreach (var row in byId.Values)
            {
                row.Staff.Roles = roles.TryGetValue(row.Id, out var r) ? SortRoles(r) : new string[0];
                row.Staff.Groups = groups.TryGetValue(row.Id, out var g) ? g.ToArray() : new string[0];
            }
            return result;
        }

        /// <summary>Roles in AMN's order of rights: applicatiebeheerder, regievoerder, mentor, docent.</summary>
        public static string[] SortRoles(IEnumerable<string> roles)
            => roles.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(r => Array.IndexOf(Files.Values.KnownRoles, r)).ToArray();

        public static long Insert(SqliteConnection connection, SqliteTransaction transaction, Staff staff)
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO staff (user_name, code, first_name, prefix, last_name, email, created_utc, updated_utc) VALUES ($user, $code, $first, $prefix, $last, $email, $now, $now); SELECT last_insert_rowid();";
                AddValues(command, staff);
                return (long)command.ExecuteScalar();
            }
        }

        public static void Update(SqliteConnection connection, SqliteTransaction transaction, long id, Staff staff)
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "UPDATE staff SET user_name = $user, code = $code, first_name = $first, prefix = $prefix, last_name = $last, email = $email, updated_utc = $now WHERE id = $id;";
                AddValues(command, staff);
                command.Parameters.AddWithValue("$id", id);
                command.ExecuteNonQuery();
            }
        }

        public static void SetRoles(SqliteConnection connection, SqliteTransaction transaction, long id, IEnumerable<string> roles)
        {
            Execute(connection, transaction, "DELETE FROM staff_roles WHERE staff_id = $id;", ("$id", id));
            foreach (var role in roles)
                Execute(connection, transaction, "INSERT INTO staff_roles (staff_id, role) VALUES ($id, $role);", ("$id", id), ("$role", role));
        }

        public static void AddLink(SqliteConnection connection, SqliteTransaction transaction, long staffId, long groupId)
            => Execute(connection, transaction, "INSERT OR IGNORE INTO staff_groups (staff_id, group_id) VALUES ($s, $g);", ("$s", staffId), ("$g", groupId));

        public static void RemoveLink(SqliteConnection connection, SqliteTransaction transaction, long staffId, long groupId)
            => Execute(connection, transaction, "DELETE FROM staff_groups WHERE staff_id = $s AND group_id = $g;", ("$s", staffId), ("$g", groupId));

        /// <summary>Deletes a staff member; roles and links go with it (ON DELETE CASCADE).</summary>
        public static void Delete(SqliteConnection connection, SqliteTransaction transaction, long id)
            => Execute(connection, transaction, "DELETE FROM staff WHERE id = $id;", ("$id", id));

        private static void AddValues(SqliteCommand command, Staff staff)
        {
            command.Parameters.AddWithValue("$user", staff.UserName);
            command.Parameters.AddWithValue("$code", (object)staff.Code ?? DBNull.Value);
            command.Parameters.AddWithValue("$first", (object)staff.FirstName ?? DBNull.Value);
            command.Parameters.AddWithValue("$prefix", (object)staff.Prefix ?? DBNull.Value);
            command.Parameters.AddWithValue("$last", staff.LastName);
            command.Parameters.AddWithValue("$email", (object)staff.Email ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture));
        }

        private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = sql;
                foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
                command.ExecuteNonQuery();
            }
        }

        private static void Add(Dictionary<long, List<string>> map, long id, string value)
        {
            if (!map.TryGetValue(id, out var list)) map[id] = list = new List<string>();
            list.Add(value);
        }

        private static string Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }
}
