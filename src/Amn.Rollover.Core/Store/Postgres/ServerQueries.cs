using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Amn.Rollover.Core.Model;
using Npgsql;
using NpgsqlTypes;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// The queries on a server school, in PostgreSQL on the school's own tables, in the caller's
    /// snapshot: only the rows asked for cross the network. Text is compared and ordered as a store
    /// file does: names case-insensitively for ASCII letters only (SQLite's NOCASE is
    /// <c>lower(x COLLATE "C")</c>), everything else byte by byte (<c>COLLATE "C"</c>), a missing
    /// value first. A text that may be longer than a cell arrives cut one character past its limit, enough to refuse it.
    /// </summary>
    internal sealed class ServerQueries : ITenantQueries
    {
        private readonly NpgsqlConnection _server;
        private readonly NpgsqlTransaction _transaction;
        private readonly string _schema;
        private readonly string _store;
        private readonly string _database;
        private readonly string _where;

        public ServerQueries(NpgsqlConnection server, NpgsqlTransaction transaction, string schema, string store, string database, string where)
        {
            _server = server;
            _transaction = transaction;
            _schema = schema;
            _store = store;
            _database = database;
            _where = where;
        }

        /// <summary>
        /// A text column cut one character past a cell's limit when it may be longer than that (more bytes than a
        /// cell's characters can take in UTF-8: octet_length reads no content), else whole, as left() on every
        /// value costs the server more than sending it.
        /// </summary>
        internal static string Capped(string column)
            => $"CASE WHEN octet_length({column}) > {StoredValues.MaxCharacters * 4} THEN left({column}, {StoredValues.MaxCharacters + 1}) ELSE {column} END";

        /// <summary>A text as SQLite's NOCASE compares it: ASCII letters folded, all else byte by byte.</summary>
        internal static string NoCase(string column) => $"lower({column} COLLATE \"C\")";

        private static readonly string StudentColumns = "s.id, " + Capped("s.number") + ", "
            + string.Join(", ", StudentField.All.Select(f => f.IsDate ? "s." + f.Column : Capped("s." + f.Column)))
            + ", s.group_id, " + Capped("g.name") + ", s.last_seen_date";

        private const int FirstField = 2;
        private static readonly int GroupName = FirstField + StudentField.All.Count + 1;

        public IEnumerable<Student> Students(ICollection<string> numbers, ICollection<string> groups, bool withoutGroup, DateTime? notSeenSince)
            => Guard(() =>
            {
                var where = new List<string> { "s.erased_utc IS NULL" };
                using (var command = Command(""))
                {
                    if (numbers != null)
                    {
                        where.Add("s.number = ANY(@numbers)");
                        command.Parameters.AddWithValue("numbers", numbers.ToArray());
                    }
                    if (groups != null)
                    {
                        where.Add($"{NoCase("g.name")} = ANY(SELECT {NoCase("n")} FROM unnest(@groups::text[]) n)");
                        command.Parameters.AddWithValue("groups", groups.ToArray());
                    }
                    if (withoutGroup) where.Add("s.group_id IS NULL");
                    if (notSeenSince.HasValue)
                    {
                        where.Add("s.last_seen_date < @seen");
                        command.Parameters.AddWithValue("seen", NpgsqlDbType.Date, notSeenSince.Value.Date);
                    }
                    command.CommandText = $"SELECT {StudentColumns} FROM {_schema}.students s LEFT JOIN {_schema}.groups g ON g.id = s.group_id"
                        + " WHERE " + string.Join(" AND ", where)
                        + $" ORDER BY {NoCase("g.name")} NULLS FIRST, s.last_name COLLATE \"C\", s.first_name COLLATE \"C\", s.number COLLATE \"C\";";
                    var result = new List<Student>();
                    using (var reader = command.ExecuteReader())
                        while (reader.Read()) result.Add(ReadStudent(reader));
                    return result;
                }
            });

        private Student ReadStudent(NpgsqlDataReader reader)
        {
            var id = reader.GetInt64(0);
            var number = reader.GetString(1);
            if (StoredValues.Exceeds(number)) throw TooLong("students", null, id, "number", number);
            var student = new Student { Number = number, Group = Text(reader, GroupName), LastSeen = Date(reader, GroupName + 1) };
            if (StoredValues.Exceeds(student.Group)) throw TooLong("groups", null, reader.GetInt64(GroupName - 1), "name", student.Group);
            for (int i = 0; i < StudentField.All.Count; i++)
            {
                var field = StudentField.All[i];
                var text = field.IsDate ? Date(reader, FirstField + i)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Text(reader, FirstField + i);
                if (StoredValues.Exceeds(text)) throw TooLong("students", number, id, field.Column, text);
                field.SetFromStore(student, text);
            }
            return student;
        }

        public string NumberWithLeadingZeros(string number)
            => Guard(() => Scalar($"SELECT number FROM {_schema}.students WHERE number <> @n AND ltrim(number, '0') = ltrim(@n, '0') AND erased_utc IS NULL LIMIT 1;", ("n", number)) as string);

        public List<Group> Groups() => Groups("", null);

        private List<Group> Groups(string where, string name)
            => Guard(() => Rows($@"
SELECT {Capped("g.name")}, {Capped("f.path")}, coalesce(s.n, 0), coalesce(l.n, 0), g.id, f.id
FROM {_schema}.groups g JOIN {_schema}.folders f ON f.id = g.folder_id
LEFT JOIN (SELECT group_id, count(*) AS n FROM {_schema}.students GROUP BY group_id) s ON s.group_id = g.id
LEFT JOIN (SELECT group_id, count(*) AS n FROM {_schema}.staff_groups GROUP BY group_id) l ON l.group_id = g.id
{where}
ORDER BY {NoCase("f.path")}, {NoCase("g.name")};",
                reader => new Group
                {
                    Name = Checked(reader, 0, "groups", "name", reader.GetInt64(4)),
                    Folder = Checked(reader, 1, "folders", "path", reader.GetInt64(5)),
                    StudentCount = reader.GetInt64(2), StaffCount = reader.GetInt64(3),
                }, name == null ? default((string, string)?) : ("name", name)));

        public List<Folder> Folders()
            => Guard(() => Rows($"SELECT {Capped("f.path")}, (SELECT count(*) FROM {_schema}.groups g WHERE g.folder_id = f.id), f.id FROM {_schema}.folders f ORDER BY {NoCase("f.path")};",
                reader => new Folder { Path = Checked(reader, 0, "folders", "path", reader.GetInt64(2)), GroupCount = reader.GetInt64(1) }));

        public Group FindGroup(string name) => Groups("WHERE lower(g.name) = lower(@name)", name).Find(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

        public Dictionary<string, long> GroupIds()
        {
            var result = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            foreach (var (id, name) in Guard(() => Rows($"SELECT id, {Capped("name")} FROM {_schema}.groups;", reader => (reader.GetInt64(0), Checked(reader, 1, "groups", "name", reader.GetInt64(0))))))
                result[name] = id;
            return result;
        }

        public Dictionary<string, StudentEraser.Candidate> ErasureCandidates(IEnumerable<string> numbers)
            => Guard(() =>
            {
                using (var command = Command($"SELECT s.id, {Capped("s.number")}, {Capped("g.name")}, s.erased_utc FROM {_schema}.students s LEFT JOIN {_schema}.groups g ON g.id = s.group_id WHERE s.number = ANY(@numbers);"))
                {
                    command.Parameters.AddWithValue("numbers", numbers.ToArray());
                    var found = new Dictionary<string, StudentEraser.Candidate>(StringComparer.Ordinal);
                    using (var reader = command.ExecuteReader())
                        while (reader.Read())
                        {
                            var id = reader.GetInt64(0);
                            var number = Checked(reader, 1, "students", "number", id);
                            found[number] = new StudentEraser.Candidate
                            {
                                Id = id, Number = number, Group = Checked(reader, 2, "groups", "name", id),
                                Erased = reader.IsDBNull(3) ? (DateTime?)null : reader.GetDateTime(3).ToLocalTime(),
                            };
                        }
                    return found;
                }
            });

        public Dictionary<string, (long Id, string ErasedUtc)> Erasures()
            => Guard(() => Rows($"SELECT id, {Capped("number")}, erased_utc FROM {_schema}.students WHERE erased_utc IS NOT NULL;",
                    reader => (Number: Checked(reader, 1, "students", "number", reader.GetInt64(0)), Id: reader.GetInt64(0), Erased: Timestamp.Exact(reader.GetDateTime(2).ToUniversalTime())))
                .ToDictionary(e => e.Number, e => (e.Id, e.Erased), StringComparer.Ordinal));

        public bool FolderExists(string path)
            => Guard(() => Scalar($"SELECT 1 FROM {_schema}.folders WHERE {NoCase("path")} = {NoCase("@path")};", ("path", Store.Folders.Normalize(path))) != null);

        public Dictionary<string, StaffTable.Row> Staff()
            => Guard(() =>
            {
                var result = new Dictionary<string, StaffTable.Row>(StringComparer.OrdinalIgnoreCase);
                var columns = string.Join(", ", StaffField.All.Select(f => Capped(f.Column)));
                var rows = Rows($"SELECT id, {Capped("user_name")}, {columns} FROM {_schema}.staff ORDER BY last_name COLLATE \"C\", first_name COLLATE \"C\" NULLS FIRST, {NoCase("user_name")};", reader =>
                {
                    var row = new StaffTable.Row { Id = reader.GetInt64(0), Staff = new Staff { UserName = reader.GetString(1) } };
                    var userName = StoredValues.Exceeds(row.Staff.UserName) ? null : row.Staff.UserName;
                    if (userName == null) throw TooLong("staff", null, row.Id, "user_name", row.Staff.UserName);
                    for (int i = 0; i < StaffField.All.Count; i++)
                    {
                        var text = Text(reader, 2 + i);
                        if (StoredValues.Exceeds(text)) throw TooLong("staff", userName, row.Id, StaffField.All[i].Column, text);
                        StaffField.All[i].Set(row.Staff, text);
                    }
                    return row;
                });
                var roles = Lists($"SELECT staff_id, role FROM {_schema}.staff_roles ORDER BY role COLLATE \"C\";");
                var groups = Lists($"SELECT sg.staff_id, {Capped("g.name")} FROM {_schema}.staff_groups sg JOIN {_schema}.groups g ON g.id = sg.group_id ORDER BY {NoCase("g.name")};");
                foreach (var row in rows)
                {
                    row.Staff.Roles = roles.TryGetValue(row.Id, out var r) ? StaffTable.SortRoles(r) : new string[0];
                    row.Staff.Groups = groups.TryGetValue(row.Id, out var g) ? g.ToArray() : new string[0];
                    result[row.Staff.UserName] = row;
                }
                return result;
            });

        public IEnumerable<AuditEntry> AuditLog(Guid? runId, DateTime? since, string action)
            => Guard(() =>
            {
                using (var command = Command(""))
                {
                    var where = new List<string>();
                    if (runId.HasValue) { where.Add("run_id = @run"); command.Parameters.AddWithValue("run", runId.Value); }
                    if (since.HasValue) { where.Add("at_utc >= @since"); command.Parameters.AddWithValue("since", NpgsqlDbType.TimestampTz, since.Value.ToUniversalTime()); }
                    if (action != null) { where.Add($"{NoCase("action")} = {NoCase("@action")}"); command.Parameters.AddWithValue("action", action); }
                    command.CommandText = $"SELECT id, at_utc, {Capped("\"user\"")}, {Capped("action")}, {Capped("target")}, {Capped("details")}, run_id, {Capped("machine")} FROM {_schema}.audit_log"
                        + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY id DESC;";
                    var result = new List<AuditEntry>();
                    using (var reader = command.ExecuteReader())
                        while (reader.Read())
                        {
                            var id = reader.GetInt64(0);
                            result.Add(new AuditEntry
                            {
                                Id = id,
                                Time = reader.GetDateTime(1).ToLocalTime(),
                                User = Checked(reader, 2, TenantRestore.AuditTable, "user", id),
                                Action = Checked(reader, 3, TenantRestore.AuditTable, "action", id),
                                Target = Checked(reader, 4, TenantRestore.AuditTable, "target", id),
                                Details = Checked(reader, 5, TenantRestore.AuditTable, "details", id),
                                RunId = reader.GetGuid(6),
                                Machine = Checked(reader, 7, TenantRestore.AuditTable, "machine", id),
                            });
                        }
                    return result;
                }
            });

        public Importing.StoredStudents StoredStudents()
            => Guard(() =>
            {
                var rows = new Dictionary<string, Store.Students.Row>(StringComparer.Ordinal);
                using (var command = Command($"SELECT {StudentColumns}, s.erased_utc FROM {_schema}.students s LEFT JOIN {_schema}.groups g ON g.id = s.group_id;"))
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                    {
                        var student = ReadStudent(reader);
                        rows[student.Number] = new Store.Students.Row { Id = reader.GetInt64(0), Student = student, Erased = reader.IsDBNull(GroupName + 2) ? (DateTime?)null : reader.GetDateTime(GroupName + 2).ToLocalTime() };
                    }
                return new Importing.StoredStudents { Rows = rows, GroupNames = GroupIds().Keys.ToList() };
            });

        public (long Students, long Groups, long Staff) Counts()
            => Guard(() => Rows($"SELECT (SELECT count(*) FROM {_schema}.students WHERE erased_utc IS NULL), (SELECT count(*) FROM {_schema}.groups), (SELECT count(*) FROM {_schema}.staff);",
                reader => (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)))[0]);

        /// <summary>The tables a fingerprint hashes, each with the key its rows are taken in.</summary>
        private static readonly (string Table, string Key)[] FingerprintTables =
        {
            ("folders", "id"), ("groups", "id"), ("staff", "id"), ("staff_groups", "staff_id, group_id"), ("staff_roles", "staff_id, role"), ("students", "id"),
        };

        public string Fingerprint()
            => Guard(() =>
            {
                // Rows as text, hashed on the server: times and dates in one zone and style, whatever the session's settings.
                var tables = string.Join(" || ", FingerprintTables.Select(t => $"'table {t.Table}' || E'\\n' || coalesce((SELECT string_agg(r::text, E'\\n' ORDER BY {t.Key}) FROM {_schema}.{t.Table} r), '')"));
                using (var settings = Command("SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD';")) settings.ExecuteNonQuery();
                using (var command = Command($"SELECT encode(sha256(convert_to({tables}, 'UTF8')), 'hex');"))
                    return (string)command.ExecuteScalar();
            });

        private T Guard<T>(Func<T> query) => PostgresErrors.Guard(_database, _where, query);

        /// <summary>A statement in the read's snapshot; reading what an import of a large school compares may take minutes on a slow server.</summary>
        private NpgsqlCommand Command(string sql) => new NpgsqlCommand(sql, _server, _transaction) { CommandTimeout = SchoolStoreFile.StatementTimeoutSeconds };

        private object Scalar(string sql, (string Name, string Value) parameter)
        {
            using (var command = Command(sql))
            {
                command.Parameters.AddWithValue(parameter.Name, parameter.Value);
                return command.ExecuteScalar();
            }
        }

        private List<T> Rows<T>(string sql, Func<NpgsqlDataReader, T> row, (string Name, string Value)? parameter = null)
        {
            var result = new List<T>();
            using (var command = Command(sql))
            {
                if (parameter.HasValue) command.Parameters.AddWithValue(parameter.Value.Name, parameter.Value.Value);
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) result.Add(row(reader));
            }
            return result;
        }

        private Dictionary<long, List<string>> Lists(string sql)
        {
            var result = new Dictionary<long, List<string>>();
            using (var command = Command(sql))
            using (var reader = command.ExecuteReader())
                while (reader.Read())
                {
                    if (!result.TryGetValue(reader.GetInt64(0), out var list)) result[reader.GetInt64(0)] = list = new List<string>();
                    list.Add(reader.GetString(1));
                }
            return result;
        }

        private static string Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

        private static DateTime? Date(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? (DateTime?)null : reader.GetDateTime(ordinal);

        private string Checked(NpgsqlDataReader reader, int ordinal, string table, string column, long id)
        {
            var text = Text(reader, ordinal);
            if (StoredValues.Exceeds(text)) throw TooLong(table, null, id, column, text);
            return text;
        }

        private AmnException TooLong(string table, string key, long id, string column, string text)
            => StoredValues.TooLongAsRead(_store, table, StoredValues.Row(table, key, id), column, text);
    }
}
