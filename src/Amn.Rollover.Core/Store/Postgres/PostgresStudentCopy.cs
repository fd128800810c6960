using System;
using System.Collections.Generic;
using Amn.Rollover.Core.Files;
using Npgsql;
using NpgsqlTypes;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// New pupils into a school's server tenant through PostgreSQL's binary COPY, in one transaction:
    /// the write path of an import whose pupils are all new (a first import, a new school). Groups
    /// the pupils name are created first (in the root folder). The row-level security policies check
    /// every row on its way from the copy into the school's table.
    /// </summary>
    public static class PostgresStudentCopy
    {
        public static int CopyNew(string connectionString, string school, IEnumerable<StudentRecord> records)
        {
            using (var connection = SchoolBoardDatabase.Open(connectionString))
            using (var transaction = connection.BeginTransaction())
            {
                var schoolId = SchoolBoardDatabase.SchoolId(connection, transaction, school);
                var groups = GroupIds(connection, transaction, schoolId);
                var folder = RootFolder(connection, transaction, schoolId);
                var now = DateTime.UtcNow;
                var today = DateTime.Today;
                var pending = new List<StudentRecord>();
                var newGroups = new List<string>();
                var named = new HashSet<string>(groups.Keys, StringComparer.OrdinalIgnoreCase);
                foreach (var record in records)
                {
                    if (!record.IsValid) continue;
                    if (record.Group != null && named.Add(record.Group)) newGroups.Add(record.Group);
                    pending.Add(record);
                }
                AddGroups(connection, transaction, schoolId, folder, newGroups, now, groups);
                // PostgreSQL refuses COPY into a table with row-level security: the rows go into a
                // temporary table first, then into the school's table, where the policies check each.
                const string columns = "school_id, number, first_name, prefix, last_name, birth_date, gender, crebo_number, email, user_name, group_id, created_utc, updated_utc, last_seen_date";
                using (var staging = new NpgsqlCommand($"CREATE TEMP TABLE amn_copy ON COMMIT DROP AS SELECT {columns} FROM amn.students WITH NO DATA;", connection, transaction))
                    staging.ExecuteNonQuery();
                int count = 0;
                using (var copy = connection.BeginBinaryImport($"COPY amn_copy ({columns}) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var r in pending)
                    {
                        copy.StartRow();
                        copy.Write(schoolId, NpgsqlDbType.Integer);
                        copy.Write(r.Number, NpgsqlDbType.Text);
                        copy.Write(r.FirstName, NpgsqlDbType.Text);
                        Text(copy, r.Prefix);
                        copy.Write(r.LastName, NpgsqlDbType.Text);
                        if (r.BirthDate.HasValue) copy.Write(r.BirthDate.Value, NpgsqlDbType.Date); else copy.WriteNull();
                        Text(copy, r.Gender);
                        Text(copy, r.CreboNumber);
                        Text(copy, r.Email);
                        Text(copy, r.UserName);
                        if (r.Group != null) copy.Write(groups[r.Group], NpgsqlDbType.Bigint); else copy.WriteNull();
                        copy.Write(now, NpgsqlDbType.TimestampTz);
                        copy.Write(now, NpgsqlDbType.TimestampTz);
                        copy.Write(today, NpgsqlDbType.Date);
                        count++;
                    }
                    copy.Complete();
                }
                using (var insert = new NpgsqlCommand($"INSERT INTO amn.students ({columns}) SELECT {columns} FROM amn_copy;", connection, transaction))
                    insert.ExecuteNonQuery();
                transaction.Commit();
                return count;
            }
        }

        private static void Text(NpgsqlBinaryImporter copy, string value)
        {
            if (value == null) copy.WriteNull();
            else copy.Write(value, NpgsqlDbType.Text);
        }

        private static Dictionary<string, long> GroupIds(NpgsqlConnection connection, NpgsqlTransaction transaction, int school)
        {
            var groups = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            using (var command = new NpgsqlCommand("SELECT name, id FROM amn.groups WHERE school_id = @s", connection, transaction))
            {
                command.Parameters.AddWithValue("s", school);
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) groups[reader.GetString(0)] = reader.GetInt64(1);
            }
            return groups;
        }

        private static long RootFolder(NpgsqlConnection connection, NpgsqlTransaction transaction, int school)
        {
            using (var command = new NpgsqlCommand(
                "INSERT INTO amn.folders (school_id, path) VALUES (@s, '') ON CONFLICT (school_id, lower(path)) DO UPDATE SET path = EXCLUDED.path RETURNING id", connection, transaction))
            {
                command.Parameters.AddWithValue("s", school);
                return Convert.ToInt64(command.ExecuteScalar());
            }
        }

        /// <summary>Creates the groups in one statement (a school board's file names thousands): one round trip, not one per group.</summary>
        private static void AddGroups(NpgsqlConnection connection, NpgsqlTransaction transaction, int school, long folder, List<string> names, DateTime now, Dictionary<string, long> groups)
        {
            if (names.Count == 0) return;
            using (var command = new NpgsqlCommand(
                "INSERT INTO amn.groups (school_id, name, folder_id, created_utc) SELECT @s, name, @f, @t FROM unnest(@names) AS name RETURNING name, id", connection, transaction))
            {
                command.Parameters.AddWithValue("s", school);
                command.Parameters.AddWithValue("f", folder);
                command.Parameters.AddWithValue("t", NpgsqlDbType.TimestampTz, now);
                command.Parameters.AddWithValue("names", names.ToArray());
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) groups[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
    }
}
