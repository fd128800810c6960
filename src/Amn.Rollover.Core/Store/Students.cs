using System.Runtime.CompilerServices;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Amn.Rollover.Core.Model;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>Reads the students table.</summary>
    public static class Students
    {
        /// <summary>The stored pupils that match every filter given (none: all), ordered by number; erased pupils are left out.</summary>
        public static IEnumerable<Student> Query(TenantWork work, ICollection<string> numbers = null, ICollection<string> groups = null, bool withoutGroup = false, DateTime? notSeenSince = null)
            => work.Queries.Students(numbers, groups, withoutGroup, notSeenSince);

        /// <summary>The sentence to add to a "no student with that number" error when the store has it with leading zeros (Excel drops them); else empty.</summary>
        public static string LeadingZerosHint(TenantWork work, string number)
        {
            var stored = work.Queries.NumberWithLeadingZeros(number);
            return stored == null ? "" : Messages.Format("LeadingZerosHint", stored);
        }

        /// <summary>id, number, the personal fields (from <see cref="FirstField"/> on), then the group's id and name, last seen and erased.</summary>
        private static readonly string SelectColumns = "s.id, s.number, " + string.Join(", ", StudentField.All.Select(f => "s." + f.Column)) + ", s.group_id, g.name, s.last_seen_date, s.erased_utc";

        private const int FirstField = 2;
        private static readonly int GroupName = FirstField + StudentField.All.Count + 1;
        private static readonly int LastSeen = GroupName + 1;
        private static readonly int ErasedUtc = GroupName + 2;

        /// <summary>A stored student with its row id and group id, as the importer compares against.</summary>
        internal sealed class Row
        {
            public long Id;
            public Student Student;
            /// <summary>When the pupil's personal data was erased (Remove-AmnStudent); the number stays used.</summary>
            public DateTime? Erased;
        }

        /// <summary>
        /// All stored students by number. A re-import compares every stored pupil, so this reads
        /// through SQLitePCL directly and shares the strings of repetitive fields.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        internal static Dictionary<string, Row> LoadAll(SqliteConnection connection, SqliteTransaction transaction = null)
        {
            var result = new Dictionary<string, Row>(StringComparer.Ordinal);
            var pool = new Utf8Strings();
            using (var query = new BulkStatement(connection, $"SELECT {SelectColumns} FROM students s LEFT JOIN groups g ON g.id = s.group_id;"))
            {
                while (query.Read())
                {
                    var student = new Student { Number = query.UniqueText(1), Group = query.Text(GroupName, pool) };
                    if (StoredValues.Exceeds(student.Number)) throw TooLong(connection, query.Int64(0).Value, null, "number", student.Number);
                    if (StoredValues.Exceeds(student.Group)) throw GroupTooLong(connection, query.Int64(GroupName - 1).Value, student.Group);
                    for (int i = 0; i < StudentField.All.Count; i++)
                    {
                        var field = StudentField.All[i];
                        var text = field.Repetitive ? query.Text(FirstField + i, pool) : query.UniqueText(FirstField + i);
                        if (StoredValues.Exceeds(text)) throw TooLong(connection, query.Int64(0).Value, student.Number, field.Column, text);
                        field.SetFromStore(student, text);
                    }
                    var erased = query.Text(ErasedUtc, pool);
                    result[student.Number] = new Row { Id = query.Int64(0).Value, Student = student, Erased = erased == null ? (DateTime?)null : ParseUtc(erased) };
                }
            }
            return result;
        }

        private static DateTime ParseUtc(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal).ToLocalTime();

        /// <summary>
        /// Stored students, ordered by group and name. Each filter applies when given: numbers (exact),
        /// group names (exact, case-insensitive), or only students without a group.
        /// </summary>
        internal static IEnumerable<Student> Query(SqliteConnection connection, ICollection<string> numbers = null, ICollection<string> groups = null, bool withoutGroup = false, DateTime? notSeenSince = null, SqliteTransaction transaction = null)
        {
            var where = new List<string> { "s.erased_utc IS NULL" };
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                if (numbers != null)
                {
                    where.Add($"s.number IN ({string.Join(", ", numbers.Select((n, i) => "$n" + i))})");
                    int i = 0;
                    foreach (var number in numbers) command.Parameters.AddWithValue("$n" + i++, number);
                }
                if (groups != null)
                {
                    where.Add($"g.name IN ({string.Join(", ", groups.Select((n, i) => "$g" + i))})");
                    int i = 0;
                    foreach (var group in groups) command.Parameters.AddWithValue("$g" + i++, group);
                }
                if (withoutGroup) where.Add("s.group_id IS NULL");
                if (notSeenSince.HasValue)
                {
                    where.Add("s.last_seen_date < $seen");
                    command.Parameters.AddWithValue("$seen", notSeenSince.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }
                command.CommandText = $"SELECT {SelectColumns} FROM students s LEFT JOIN groups g ON g.id = s.group_id" +
                    (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") +
                    " ORDER BY g.name COLLATE NOCASE, s.last_name, s.first_name, s.number;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) yield return Read(connection, reader);
            }
        }

        /// <summary>
        /// The stored number that equals <paramref name="number"/> but for leading zeros (001000 for
        /// 1000), or null: PowerShell drops the zeros of a number typed without quotes.
        /// </summary>
        internal static string WithLeadingZeros(SqliteConnection connection, string number, SqliteTransaction transaction)
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT number FROM students WHERE number <> $n AND ltrim(number, '0') = ltrim($n, '0') AND erased_utc IS NULL LIMIT 1;";
                command.Parameters.AddWithValue("$n", number);
                return command.ExecuteScalar() as string;
            }
        }

        private static Student Read(SqliteConnection connection, SqliteDataReader reader)
        {
            var student = new Student { Number = reader.GetString(1), Group = Text(reader, GroupName), LastSeen = StudentField.ParseIsoDate(Text(reader, LastSeen)) };
            if (StoredValues.Exceeds(student.Number)) throw TooLong(connection, reader.GetInt64(0), null, "number", student.Number);
            if (StoredValues.Exceeds(student.Group)) throw GroupTooLong(connection, reader.GetInt64(GroupName - 1), student.Group);
            for (int i = 0; i < StudentField.All.Count; i++)
            {
                var text = Text(reader, FirstField + i);
                if (StoredValues.Exceeds(text)) throw TooLong(connection, reader.GetInt64(0), student.Number, StudentField.All[i].Column, text);
                StudentField.All[i].SetFromStore(student, text);
            }
            return student;
        }

        private static AmnException GroupTooLong(SqliteConnection connection, long groupId, string name)
            => StoredValues.TooLong(connection, "groups", StoredValues.Row("groups", null, groupId), "name", name.Length);

        private static AmnException TooLong(SqliteConnection connection, long id, string number, string column, string text)
            => StoredValues.TooLong(connection, "students", StoredValues.Row("students", number, id), column, text.Length);

        /// <summary>
        /// Marks pupils who were in an imported student file but whose row did not change (new and
        /// changed rows are marked as they are written), once a day: through a temporary table of
        /// whichever is smaller, the unchanged pupils or the stored pupils that are not among them.
        /// </summary>
        internal static void MarkSeen(SqliteConnection connection, SqliteTransaction transaction, HashSet<long> unchanged)
        {
            if (unchanged.Count == 0) return;
            var stored = Convert.ToInt64(TenantStore.Scalar(connection, "SELECT count(*) FROM students WHERE erased_utc IS NULL;", transaction));
            var inverse = unchanged.Count > stored / 2;
            // A full re-import leaves no stored pupil out: then there is nothing to list.
            var ids = !inverse ? unchanged.ToList() : unchanged.Count == stored ? new List<long>() : Ids(connection, transaction).Where(id => !unchanged.Contains(id)).ToList();
            TenantStore.Execute(connection, "CREATE TEMP TABLE IF NOT EXISTS amn_ids (id INTEGER PRIMARY KEY); DELETE FROM amn_ids;", transaction);
            using (var insert = new BulkStatement(connection, "INSERT INTO amn_ids (id) VALUES (?1);"))
                foreach (var id in ids)
                {
                    insert.Bind(1, id);
                    insert.Execute();
                }
            using (var mark = new BulkStatement(connection,
                $"UPDATE students SET last_seen_date = ?1 WHERE erased_utc IS NULL AND last_seen_date IS NOT ?1 AND id {(inverse ? "NOT IN" : "IN")} (SELECT id FROM amn_ids);"))
            {
                mark.Bind(1, Timestamp.Today());
                mark.Execute();
            }
            TenantStore.Execute(connection, "DELETE FROM amn_ids;", transaction);
        }

        private static List<long> Ids(SqliteConnection connection, SqliteTransaction transaction)
        {
            var ids = new List<long>();
            using (var query = new BulkStatement(connection, "SELECT id FROM students WHERE erased_utc IS NULL;"))
                while (query.Read()) ids.Add(query.Int64(0).Value);
            return ids;
        }

        private static string Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }
}
