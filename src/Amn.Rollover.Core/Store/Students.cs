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
            public long? GroupId;
            public Student Student;
        }

        /// <summary>All stored students by number.</summary>
        [MethodImpl(HotPath.Optimize)]
        internal static Dictionary<string, Row> LoadAll(SqliteConnection connection, SqliteTransaction transaction = null)
        {
            var result = new Dictionary<string, Row>(StringComparer.Ordinal);
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT {SelectColumns} FROM students s LEFT JOIN groups g ON g.id = s.group_id;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                    {
                        var row = new Row { Id = reader.GetInt64(0), GroupId = reader.IsDBNull(10) ? (long?)null : reader.GetInt64(10), Student = Read(reader) };
                        result[row.Student.Number] = row;
                    }
            }
            return result;
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

        private static Student Read(SqliteDataReader reader) => new Student
        {
            Number = reader.GetString(1),
            FirstName = reader.GetString(2),
            Prefix = Text(reader, 3),
            LastName = reader.GetString(4),
            BirthDate = reader.IsDBNull(5) ? (DateTime?)null : DateTime.ParseExact(reader.GetString(5), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Gender = Text(reader, 6),
            CreboNumber = Text(reader, 7),
            Email = Text(reader, 8),
            UserName = Text(reader, 9),
            Group = Text(reader, 11),
        };

        private static string Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }
}
