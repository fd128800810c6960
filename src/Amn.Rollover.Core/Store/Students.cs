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
        private const string SelectColumns = "s.id, s.number, s.first_name, s.prefix, s.last_name, s.birth_date, s.gender, s.crebo_number, s.email, s.user_name, s.group_id, g.name";

        /// <summary>A stored student with its row id and group id, as the importer compares against.</summary>
        internal sealed class Row
        {
            public long Id;
            public Student Student;
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
                    var student = new Student
                    {
                        Number = query.UniqueText(1), FirstName = query.Text(2, pool), Prefix = query.Text(3, pool), LastName = query.Text(4, pool),
                        BirthDate = ParseIsoDate(query.Text(5, pool)), Gender = query.Text(6, pool), CreboNumber = query.Text(7, pool),
                        Email = query.UniqueText(8), UserName = query.UniqueText(9), Group = query.Text(11, pool),
                    };
                    result[student.Number] = new Row { Id = query.Int64(0).Value, Student = student };
                }
            }
            return result;
        }

        /// <summary>The stored yyyy-MM-dd form, parsed by hand (it is read for every stored pupil).</summary>
        private static DateTime? ParseIsoDate(string text)
        {
            if (text == null) return null;
            if (text.Length == 10 && text[4] == '-' && text[7] == '-')
                return new DateTime(Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2));
            return DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        private static int Digits(string text, int start, int count)
        {
            int value = 0;
            for (int i = start; i < start + count; i++) value = value * 10 + (text[i] - '0');
            return value;
        }

        /// <summary>
        /// Stored students, ordered by group and name. Each filter applies when given: numbers (exact),
        /// group names (exact, case-insensitive), or only students without a group.
        /// </summary>
        public static IEnumerable<Student> Query(SqliteConnection connection, ICollection<string> numbers = null, ICollection<string> groups = null, bool withoutGroup = false)
        {
            var where = new List<string>();
            using (var command = connection.CreateCommand())
            {
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
                command.CommandText = $"SELECT {SelectColumns} FROM students s LEFT JOIN groups g ON g.id = s.group_id" +
                    (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") +
                    " ORDER BY g.name COLLATE NOCASE, s.last_name, s.first_name, s.number;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) yield return Read(reader);
            }
        }

        /// <summary>
        /// The stored number that equals <paramref name="number"/> but for leading zeros (001000 for
        /// 1000), or null: PowerShell drops the zeros of a number typed without quotes.
        /// </summary>
        public static string WithLeadingZeros(SqliteConnection connection, string number)
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT number FROM students WHERE number <> $n AND ltrim(number, '0') = ltrim($n, '0') LIMIT 1;";
                command.Parameters.AddWithValue("$n", number);
                return command.ExecuteScalar() as string;
            }
        }

        private static Student Read(SqliteDataReader reader) => new Student
        {
            Number = reader.GetString(1),
            FirstName = reader.GetString(2),
            Prefix = Text(reader, 3),
            LastName = reader.GetString(4),
            BirthDate = ParseIsoDate(reader.IsDBNull(5) ? null : reader.GetString(5)),
            Gender = Text(reader, 6),
            CreboNumber = Text(reader, 7),
            Email = Text(reader, 8),
            UserName = Text(reader, 9),
            Group = Text(reader, 11),
        };

        private static string Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }
}
