using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// A school's data on the board's server as an SQLite tenant store file and back: backups of a
    /// PostgreSQL tenant are store files, so a school moves from its laptop file to the server and
    /// back, and a backup restores on either store. Ids are the database's own on each side; rows are
    /// matched through them while copying. The audit log stays where it is, as a restore keeps it.
    /// </summary>
    public static class SchoolStoreFile
    {
        private const string Utc = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";

        /// <summary>Writes the school's data into a new store file at <paramref name="path"/> (which must not exist).</summary>
        public static string Write(string connectionString, string school, string path)
        {
            path = Path.GetFullPath(path);
            if (File.Exists(path)) throw new AmnException("BackupExists", AmnErrorCategory.ResourceExists, $"The backup file '{path}' already exists.", path);
            var temporary = Path.Combine(Path.GetDirectoryName(path), "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            try
            {
                var store = TenantStore.Open(temporary);
                using (var server = SchoolBoardDatabase.Open(connectionString))
                using (var read = server.BeginTransaction(System.Data.IsolationLevel.RepeatableRead))
                using (var file = store.OpenConnection())
                using (var write = file.BeginTransaction())
                {
                    var id = SchoolBoardDatabase.SchoolId(server, read, school);
                    var folders = new Dictionary<long, long>();
                    foreach (var row in Rows(server, read, "SELECT id, path FROM amn.folders WHERE school_id = @s ORDER BY id", id))
                        folders[(long)row[0]] = (string)row[1] == "" ? RootFolder(file, write) : Insert(file, write, "INSERT INTO folders (path) VALUES ($1)", row[1]);
                    var groups = new Dictionary<long, long>();
                    foreach (var row in Rows(server, read, $"SELECT id, name, folder_id, to_char(created_utc AT TIME ZONE 'UTC', {Utc}) FROM amn.groups WHERE school_id = @s ORDER BY id", id))
                        groups[(long)row[0]] = Insert(file, write, "INSERT INTO groups (name, folder_id, created_utc) VALUES ($1, $2, $3)", row[1], folders[(long)row[2]], row[3]);
                    foreach (var row in Rows(server, read,
                        "SELECT number, first_name, prefix, last_name, to_char(birth_date, 'YYYY-MM-DD'), gender, crebo_number, email, user_name, group_id, " +
                        $"to_char(created_utc AT TIME ZONE 'UTC', {Utc}), to_char(updated_utc AT TIME ZONE 'UTC', {Utc}), to_char(last_seen_date, 'YYYY-MM-DD'), to_char(erased_utc AT TIME ZONE 'UTC', {Utc}) " +
                        "FROM amn.students WHERE school_id = @s ORDER BY id", id))
                    {
                        row[9] = row[9] is long group ? (object)groups[group] : null;
                        Insert(file, write, "INSERT INTO students (number, first_name, prefix, last_name, birth_date, gender, crebo_number, email, user_name, group_id, created_utc, updated_utc, last_seen_date, erased_utc) " +
                                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)", row);
                    }
                    var staff = new Dictionary<long, long>();
                    foreach (var row in Rows(server, read, $"SELECT id, user_name, code, first_name, prefix, last_name, email, to_char(created_utc AT TIME ZONE 'UTC', {Utc}), to_char(updated_utc AT TIME ZONE 'UTC', {Utc}) FROM amn.staff WHERE school_id = @s ORDER BY id", id))
                        staff[(long)row[0]] = Insert(file, write, "INSERT INTO staff (user_name, code, first_name, prefix, last_name, email, created_utc, updated_utc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", row.Skip(1).ToArray());
                    foreach (var row in Rows(server, read, "SELECT staff_id, role FROM amn.staff_roles WHERE school_id = @s", id))
                        Insert(file, write, "INSERT INTO staff_roles (staff_id, role) VALUES ($1, $2)", staff[(long)row[0]], row[1]);
                    foreach (var row in Rows(server, read, "SELECT staff_id, group_id FROM amn.staff_groups WHERE school_id = @s", id))
                        Insert(file, write, "INSERT INTO staff_groups (staff_id, group_id) VALUES ($1, $2)", staff[(long)row[0]], groups[(long)row[1]]);
                    write.Commit();
                }
                // One self-contained file, like every backup: no write-ahead log beside it.
                using (var file = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString()))
                {
                    file.Open();
                    TenantStore.Execute(file, "PRAGMA journal_mode = DELETE;");
                }
                File.Move(temporary, path);
                return path;
            }
            finally
            {
                foreach (var file in new[] { temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal" })
                    if (File.Exists(file)) File.Delete(file);
            }
        }

        /// <summary>
        /// Replaces the school's data with a store file's (checked whole first), in one transaction;
        /// the school's audit log is kept and gets a RestoreTenant entry.
        /// </summary>
        public static void Restore(string connectionString, string school, string path)
        {
            var backup = TenantStore.CheckBackup(path);
            using (var file = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = backup.Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            using (var server = SchoolBoardDatabase.Open(connectionString))
            using (var write = server.BeginTransaction())
            {
                file.Open();
                var id = SchoolBoardDatabase.SchoolId(server, write, school);
                // A school's rows go, dependants first; the audit log stays.
                foreach (var table in new[] { "staff_groups", "staff_roles", "students", "staff", "groups", "folders" })
                    Execute(server, write, $"DELETE FROM amn.{table} WHERE school_id = @s", id);
                var folders = new Dictionary<long, long>();
                foreach (var row in FileRows(file, "SELECT id, path FROM folders ORDER BY id"))
                    folders[(long)row[0]] = Returning(server, write, "INSERT INTO amn.folders (school_id, path) VALUES (@s, @p1) RETURNING id", id, row[1]);
                var groups = new Dictionary<long, long>();
                foreach (var row in FileRows(file, "SELECT id, name, folder_id, created_utc FROM groups ORDER BY id"))
                    groups[(long)row[0]] = Returning(server, write, "INSERT INTO amn.groups (school_id, name, folder_id, created_utc) VALUES (@s, @p1, @p2, @p3::timestamptz) RETURNING id", id, row[1], folders[(long)row[2]], row[3]);
                var hasPrivacyColumns = TenantRestore.Columns(file, null, "main", "students").Contains("erased_utc");
                foreach (var row in FileRows(file, "SELECT number, first_name, prefix, last_name, birth_date, gender, crebo_number, email, user_name, group_id, created_utc, updated_utc, " +
                                                   (hasPrivacyColumns ? "last_seen_date, erased_utc" : "substr(updated_utc, 1, 10), NULL") + " FROM students ORDER BY id"))
                {
                    row[9] = row[9] is long group ? (object)groups[group] : null;
                    Returning(server, write, "INSERT INTO amn.students (school_id, number, first_name, prefix, last_name, birth_date, gender, crebo_number, email, user_name, group_id, created_utc, updated_utc, last_seen_date, erased_utc) " +
                                             "VALUES (@s, @p1, @p2, @p3, @p4, @p5::date, @p6, @p7, @p8, @p9, @p10, @p11::timestamptz, @p12::timestamptz, @p13::date, @p14::timestamptz) RETURNING id", id, row);
                }
                var staff = new Dictionary<long, long>();
                foreach (var row in FileRows(file, "SELECT id, user_name, code, first_name, prefix, last_name, email, created_utc, updated_utc FROM staff ORDER BY id"))
                    staff[(long)row[0]] = Returning(server, write, "INSERT INTO amn.staff (school_id, user_name, code, first_name, prefix, last_name, email, created_utc, updated_utc) " +
                                                                   "VALUES (@s, @p1, @p2, @p3, @p4, @p5, @p6, @p7::timestamptz, @p8::timestamptz) RETURNING id", id, row.Skip(1).ToArray());
                foreach (var row in FileRows(file, "SELECT staff_id, role FROM staff_roles"))
                    Execute(server, write, "INSERT INTO amn.staff_roles (school_id, staff_id, role) VALUES (@s, @p1, @p2)", id, staff[(long)row[0]], row[1]);
                foreach (var row in FileRows(file, "SELECT staff_id, group_id FROM staff_groups"))
                    Execute(server, write, "INSERT INTO amn.staff_groups (school_id, staff_id, group_id) VALUES (@s, @p1, @p2)", id, staff[(long)row[0]], groups[(long)row[1]]);
                Execute(server, write, "INSERT INTO amn.audit_log (school_id, run_id, at_utc, \"user\", machine, action, target, details) VALUES (@s, @p1::uuid, now(), @p2, @p3, 'RestoreTenant', @p4, @p5)",
                    id, Guid.NewGuid().ToString(), Environment.UserName, Environment.MachineName, school, "from " + backup.Path);
                write.Commit();
            }
        }

        private static IEnumerable<object[]> Rows(NpgsqlConnection server, NpgsqlTransaction transaction, string sql, int school)
        {
            using (var command = new NpgsqlCommand(sql, server, transaction))
            {
                command.Parameters.AddWithValue("s", school);
                using (var reader = command.ExecuteReader())
                {
                    var rows = new List<object[]>();
                    while (reader.Read())
                    {
                        var row = new object[reader.FieldCount];
                        for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is int n ? (long)n : reader.GetValue(i);
                        rows.Add(row);
                    }
                    return rows;
                }
            }
        }

        private static IEnumerable<object[]> FileRows(SqliteConnection file, string sql)
        {
            using (var command = file.CreateCommand())
            {
                command.CommandText = sql;
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                    {
                        var row = new object[reader.FieldCount];
                        for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                        yield return row;
                    }
            }
        }

        private static long Returning(NpgsqlConnection server, NpgsqlTransaction transaction, string sql, int school, params object[] values)
        {
            using (var command = Command(server, transaction, sql, school, values)) return Convert.ToInt64(command.ExecuteScalar());
        }

        private static void Execute(NpgsqlConnection server, NpgsqlTransaction transaction, string sql, int school, params object[] values)
        {
            using (var command = Command(server, transaction, sql, school, values)) command.ExecuteNonQuery();
        }

        private static NpgsqlCommand Command(NpgsqlConnection server, NpgsqlTransaction transaction, string sql, int school, object[] values)
        {
            var command = new NpgsqlCommand(sql, server, transaction);
            command.Parameters.AddWithValue("s", school);
            for (var i = 0; i < values.Length; i++)
                if (sql.Contains("@p" + (i + 1))) command.Parameters.AddWithValue("p" + (i + 1), values[i] ?? DBNull.Value);
            return command;
        }

        private static long RootFolder(SqliteConnection file, SqliteTransaction transaction)
        {
            using (var command = file.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT id FROM folders WHERE path = '';";
                return (long)command.ExecuteScalar();
            }
        }

        private static long Insert(SqliteConnection file, SqliteTransaction transaction, string sql, params object[] values)
        {
            using (var command = file.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = sql + "; SELECT last_insert_rowid();";
                for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue("$" + (i + 1), values[i] ?? DBNull.Value);
                return (long)command.ExecuteScalar();
            }
        }
    }
}
