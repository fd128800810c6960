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
        /// <summary>Every staff member by username (case-insensitive), with roles and groups.</summary>
        public static Dictionary<string, Row> LoadAll(TenantWork work) => work.Queries.Staff();

        /// <summary>A stored staff member with its row id.</summary>
        public sealed class Row
        {
            public long Id;
            public Staff Staff;
        }

        /// <summary>The columns of the staff's own fields, in <see cref="StaffField.All"/>'s order.</summary>
        private static readonly string Columns = string.Join(", ", StaffField.All.Select(f => f.Column));

        /// <summary>Every staff member with roles and groups, by username (case-insensitive).</summary>
        internal static Dictionary<string, Row> LoadAll(SqliteConnection connection, SqliteTransaction transaction = null)
        {
            var result = new Dictionary<string, Row>(StringComparer.OrdinalIgnoreCase);
            var byId = new Dictionary<long, Row>();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT id, user_name, {Columns} FROM staff ORDER BY last_name, first_name, user_name;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                    {
                        var row = new Row { Id = reader.GetInt64(0), Staff = new Staff { UserName = reader.GetString(1) } };
                        var userName = StoredValues.Exceeds(row.Staff.UserName) ? null : row.Staff.UserName;
                        for (int i = -1; i < StaffField.All.Count; i++)
                        {
                            var text = i < 0 ? row.Staff.UserName : Text(reader, 2 + i);
                            if (StoredValues.Exceeds(text))
                                throw StoredValues.TooLong(connection, "staff", StoredValues.Row("staff", userName, row.Id), i < 0 ? "user_name" : StaffField.All[i].Column, text.Length);
                            if (i >= 0) StaffField.All[i].Set(row.Staff, text);
                        }
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

        /// <summary>
        /// Writes many staff members, roles and links with prepared statements, as an import of
        /// thousands of staff with several links each needs.
        /// </summary>
        public sealed class Writer : Importing.IStaffWriter
        {
            private readonly BulkStatement _insert, _update, _releaseCode, _clearRoles, _addRole, _addLink, _removeLink;
            private readonly int _idParameter;

            internal Writer(SqliteConnection connection)
            {
                // ?1 the username, then the fields (StaffField.All), then the time and, for an update, the id.
                var time = StaffField.All.Count + 2;
                _insert = new BulkStatement(connection, $"INSERT INTO staff (user_name, {Columns}, created_utc, updated_utc) VALUES ({string.Join(", ", Enumerable.Range(1, StaffField.All.Count + 1).Select(i => "?" + i))}, ?{time}, ?{time});");
                _update = new BulkStatement(connection, $"UPDATE staff SET user_name = ?1, {string.Join(", ", StaffField.All.Select((f, i) => $"{f.Column} = ?{i + 2}"))}, updated_utc = ?{time} WHERE id = ?{time + 1};");
                _idParameter = time + 1;
                _releaseCode = new BulkStatement(connection, "UPDATE staff SET code = NULL WHERE id = ?1;");
                _clearRoles = new BulkStatement(connection, "DELETE FROM staff_roles WHERE staff_id = ?1;");
                _addRole = new BulkStatement(connection, "INSERT INTO staff_roles (staff_id, role) VALUES (?1, ?2);");
                _addLink = new BulkStatement(connection, "INSERT OR IGNORE INTO staff_groups (staff_id, group_id) VALUES (?1, ?2);");
                _removeLink = new BulkStatement(connection, "DELETE FROM staff_groups WHERE staff_id = ?1 AND group_id = ?2;");
                var now = Timestamp.Now();
                _insert.Bind(time, now);
                _update.Bind(time, now);
            }

            public long Insert(Staff staff)
            {
                BindValues(_insert, staff);
                _insert.Execute();
                return _insert.LastInsertRowId;
            }

            public void Update(long id, Staff staff)
            {
                BindValues(_update, staff);
                _update.Bind(_idParameter, id);
                _update.Execute();
            }

            public void ReleaseCode(long id)
            {
                _releaseCode.Bind(1, id);
                _releaseCode.Execute();
            }

            public void SetRoles(long id, IEnumerable<string> roles)
            {
                _clearRoles.Bind(1, id);
                _clearRoles.Execute();
                _addRole.Bind(1, id);
                foreach (var role in roles)
                {
                    _addRole.Bind(2, role);
                    _addRole.Execute();
                }
            }

            public void AddLink(long staffId, long groupId) => Link(_addLink, staffId, groupId);
            public void RemoveLink(long staffId, long groupId) => Link(_removeLink, staffId, groupId);

            /// <summary>Nothing is pending: every change runs when it is made.</summary>
            public void Flush() { }

            private static void Link(BulkStatement statement, long staffId, long groupId)
            {
                statement.Bind(1, staffId);
                statement.Bind(2, groupId);
                statement.Execute();
            }

            private static void BindValues(BulkStatement statement, Staff staff)
            {
                statement.Bind(1, staff.UserName);
                for (int i = 0; i < StaffField.All.Count; i++) statement.Bind(i + 2, StaffField.All[i].Get(staff));
            }

            public void Dispose()
            {
                foreach (var statement in new[] { _insert, _update, _releaseCode, _clearRoles, _addRole, _addLink, _removeLink }) statement.Dispose();
            }
        }

        /// <summary>Roles in AMN's order of rights: applicatiebeheerder, regievoerder, mentor, docent.</summary>
        public static string[] SortRoles(IEnumerable<string> roles)
            => roles.Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(r => Array.IndexOf(Files.Values.KnownRoles, r)).ToArray();

        /// <summary>Deletes a staff member; roles and links go with it (ON DELETE CASCADE).</summary>
        internal static void Delete(SqliteConnection connection, SqliteTransaction transaction, long id)
            => Execute(connection, transaction, "DELETE FROM staff WHERE id = $id;", ("$id", id));

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
