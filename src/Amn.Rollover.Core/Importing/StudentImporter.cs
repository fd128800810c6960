using System.Runtime.CompilerServices;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Importing
{
    /// <summary>How to import participants.</summary>
    public sealed class StudentImportOptions
    {
        /// <summary>The folder for groups the import creates; root when null.</summary>
        public string Folder { get; set; }
        /// <summary>Lets a row take over a stored number although the person clearly differs.</summary>
        public bool AllowIdentityChange { get; set; }
        /// <summary>
        /// Plans as if every group had been removed first (rollover step 2 before step 3): no group
        /// exists yet and no stored pupil has one.
        /// </summary>
        public bool AssumeGroupsRemoved { get; set; }
        /// <summary>Where the rows came from, for the audit log.</summary>
        public string Source { get; set; }
        public Guid RunId { get; set; } = Guid.NewGuid();
    }

    /// <summary>
    /// The pupils and group names in the store, which planning an import compares against. Loading
    /// them is as much work as reading the file, so the import cmdlets load them on another thread
    /// while the file is read, in the transaction the import then writes in.
    /// </summary>
    public sealed class StoredStudents
    {
        internal Dictionary<string, Store.Students.Row> Rows;
        internal List<string> GroupNames;

        public static StoredStudents Load(SqliteConnection connection, SqliteTransaction transaction) => new StoredStudents
        {
            Rows = Store.Students.LoadAll(connection, transaction),
            GroupNames = Store.Groups.LoadIds(connection, transaction).Keys.ToList(),
        };
    }

    /// <summary>
    /// Upserts participants by number, in two steps: <see cref="Plan"/> decides every row's action
    /// against the store without writing, <see cref="Apply"/> writes that plan. Both run inside the
    /// caller's transaction, so a plan is applied exactly as it was shown.
    /// </summary>
    public static class StudentImporter
    {
        [MethodImpl(HotPath.Optimize)]
        /// <param name="stored">The stored pupils, when the caller loaded them already (in the same transaction) while it read the input.</param>
        public static StudentImportResult Plan(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<StudentRecord> records, StudentImportOptions options, StoredStudents stored = null)
        {
            var clock = Stopwatch.StartNew();
            var result = new StudentImportResult { RunId = options.RunId, Folder = Folders.Normalize(options.Folder) };
            stored = stored ?? StoredStudents.Load(connection, transaction);
            // Group names compare case-insensitively and keep the spelling they were first written in.
            var groupNames = options.AssumeGroupsRemoved
                ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
                : stored.GroupNames.ToDictionary(k => k, k => k, StringComparer.OrdinalIgnoreCase);
            var duplicates = FindDuplicates(records);

            foreach (var record in records)
            {
                // The row reads the record's problems and copies them before adding its own (AddError/AddWarning):
                // records are often planned twice, with -WhatIf and then for real.
                var row = new StudentImportRow { RowNumber = record.RowNumber, Number = record.Number, Record = record };
                result.Rows.Add(row);
                if (duplicates.TryGetValue(record, out var duplicate))
                {
                    if (duplicate.Conflict && (record.IsValid || !record.Errors.Any(e => e.ErrorId == "DuplicateNumber")))
                        row.AddError(new ImportProblem(record.RowNumber, NumberColumn(record), record.Number, "DuplicateNumber",
                            $"Row {record.RowNumber}: the participant number '{record.Number}' is also on row {duplicate.OtherRow}, with different data; none of those rows is imported."));
                    if (!duplicate.Conflict)
                    {
                        if (!record.HasWarnings || !record.Warnings.Any(w => w.ErrorId == "DuplicateRow"))
                            row.AddWarning(new ImportProblem(record.RowNumber, NumberColumn(record), record.Number, "DuplicateRow", $"Row {record.RowNumber} repeats row {duplicate.OtherRow} exactly; it is counted once."));
                        row.Action = ImportAction.Unchanged;
                        result.Unchanged++;
                        continue;
                    }
                }
                if (row.HasErrors) { Fail(result, row); continue; }

                stored.Rows.TryGetValue(record.Number, out var existing);
                if (existing != null && !options.AllowIdentityChange && IsOtherPerson(existing.Student, record))
                {
                    row.AddError(new ImportProblem(record.RowNumber, NumberColumn(record), record.Number, "NumberReused",
                        $"Row {record.RowNumber}: participant number '{record.Number}' belongs to {existing.Student.FullName}{(existing.Student.BirthDate.HasValue ? $" (born {existing.Student.BirthDate:dd-MM-yyyy})" : "")}, but this row is {PersonName.Full(record.FirstName, record.Prefix, record.LastName)}{(record.BirthDate.HasValue ? $" (born {record.BirthDate:dd-MM-yyyy})" : "")}. AMN numbers are never reused for another person; correct the number, or use -AllowIdentityChange when it really is the same person."));
                    Fail(result, row);
                    continue;
                }

                if (existing == null)
                {
                    // New pupils keep only their group's spelling; the Student is made from the record when needed.
                    row.TargetGroup = Canonical(record.Group, groupNames, result);
                    row.Action = ImportAction.Created;
                    result.Created++;
                    continue;
                }

                var present = record.PresentFields ?? new HashSet<ImportField>(Enum.GetValues(typeof(ImportField)).Cast<ImportField>());
                var before = existing.Student;
                if (before != null && options.AssumeGroupsRemoved) before = WithoutGroup(before);
                var after = Merge(before, record, present);
                after.Group = Canonical(after.Group, groupNames, result);
                row.ExistingId = existing.Id;
                row.Changes = Changes(before, after);
                row.Student = row.Changes.Count == 0 ? before : after; // an unchanged pupil keeps no second copy
                row.PreviousGroup = existing.Student.Group;
                row.GroupChanged = !string.Equals(row.PreviousGroup, after.Group, StringComparison.OrdinalIgnoreCase);
                row.Action = row.Changes.Count == 0 ? ImportAction.Unchanged : ImportAction.Updated;
                if (row.Action == ImportAction.Updated) result.Updated++; else result.Unchanged++;
            }
            result.Duration = clock.Elapsed;
            return result;
        }

        /// <summary>Writes a plan: new groups (in the plan's folder), new and changed students, and an audit entry.</summary>
        [MethodImpl(HotPath.Optimize)]
        public static void Apply(SqliteConnection connection, SqliteTransaction transaction, StudentImportResult plan, string source, CancellationToken cancellation = default, Action<int, int> progress = null)
        {
            var clock = Stopwatch.StartNew();
            var groups = Store.Groups.LoadIds(connection, transaction);
            if (plan.NewGroups.Count > 0)
            {
                var folderId = Folders.Ensure(connection, transaction, plan.Folder);
                foreach (var name in plan.NewGroups) groups[name] = Store.Groups.Insert(connection, transaction, name, folderId);
            }

            var now = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture);
            using (var insert = new BulkStatement(connection,
                "INSERT INTO students (first_name, prefix, last_name, birth_date, gender, crebo_number, email, user_name, group_id, number, created_utc, updated_utc) " +
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11);"))
            using (var update = new BulkStatement(connection,
                "UPDATE students SET first_name = ?1, prefix = ?2, last_name = ?3, birth_date = ?4, gender = ?5, crebo_number = ?6, " +
                "email = ?7, user_name = ?8, group_id = ?9, updated_utc = ?11 WHERE id = ?10;"))
            {
                insert.Bind(11, now);
                update.Bind(11, now);
                var values = new RowBinder(groups);
                int done = 0, total = plan.Rows.Count;
                foreach (var row in plan.Rows)
                {
                    if (++done % 1000 == 0)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        progress?.Invoke(done, total);
                    }
                    if (row.Action == ImportAction.Created)
                    {
                        var r = row.Record; // new pupils are written straight from their record
                        values.Bind(insert, r.FirstName, r.Prefix, r.LastName, r.BirthDate, r.Gender, r.CreboNumber, r.Email, r.UserName, row.TargetGroup);
                        insert.Bind(10, r.Number);
                        insert.Execute();
                    }
                    else if (row.Action == ImportAction.Updated)
                    {
                        var s = row.Student;
                        values.Bind(update, s.FirstName, s.Prefix, s.LastName, s.BirthDate, s.Gender, s.CreboNumber, s.Email, s.UserName, s.Group);
                        update.Bind(10, row.ExistingId);
                        update.Execute();
                    }
                }
            }
            AuditLog.Write(connection, transaction, plan.RunId, "ImportStudents", source,
                $"created={plan.Created}; updated={plan.Updated}; unchanged={plan.Unchanged}; failed={plan.Failed}; groupsCreated={plan.GroupsCreated}");
            plan.Duration += clock.Elapsed;
        }

        /// <summary>
        /// Binds one pupil's values. Runs for every row of a bulk import, so it formats dates without
        /// allocating and remembers the last group's id (rows usually come group by group).
        /// </summary>
        private sealed class RowBinder
        {
            private readonly Dictionary<string, long> _groups;
            private readonly char[] _date = new char[10];
            private string _lastGroup;
            private long _lastGroupId;

            public RowBinder(Dictionary<string, long> groups) { _groups = groups; }

            [MethodImpl(HotPath.Optimize)]
            public void Bind(BulkStatement statement, string first, string prefix, string last, DateTime? birth, string gender, string crebo, string email, string userName, string group)
            {
                statement.Bind(1, first);
                statement.Bind(2, prefix);
                statement.Bind(3, last);
                if (birth.HasValue) statement.Bind(4, IsoDate(birth.Value));
                else statement.Bind(4, (string)null);
                statement.Bind(5, gender);
                statement.Bind(6, crebo);
                statement.Bind(7, email);
                statement.Bind(8, userName);
                if (group != null && !ReferenceEquals(group, _lastGroup))
                {
                    _lastGroupId = _groups[group];
                    _lastGroup = group;
                }
                statement.Bind(9, group == null ? (long?)null : _lastGroupId);
            }

            private ReadOnlySpan<char> IsoDate(DateTime date)
            {
                Digits(date.Year, 0, 4);
                _date[4] = '-';
                Digits(date.Month, 5, 2);
                _date[7] = '-';
                Digits(date.Day, 8, 2);
                return _date;
            }

            private void Digits(int value, int start, int count)
            {
                for (int i = start + count - 1; i >= start; i--, value /= 10) _date[i] = (char)('0' + value % 10);
            }
        }

        /// <summary>A group name as first written in the tenant or this import; a name not seen yet is a new group.</summary>
        private static string Canonical(string group, Dictionary<string, string> groupNames, StudentImportResult result)
        {
            if (group == null) return null;
            if (groupNames.TryGetValue(group, out var spelling)) return spelling;
            groupNames[group] = group;
            result.NewGroups.Add(group);
            return group;
        }

        private static Student WithoutGroup(Student s) => new Student
        {
            Number = s.Number, FirstName = s.FirstName, Prefix = s.Prefix, LastName = s.LastName, BirthDate = s.BirthDate,
            Gender = s.Gender, CreboNumber = s.CreboNumber, Email = s.Email, UserName = s.UserName, Group = null,
        };

        /// <summary>The file is the truth for the columns it has; columns it lacks keep the stored value.</summary>
        [MethodImpl(HotPath.Optimize)]
        private static Student Merge(Student before, StudentRecord record, ISet<ImportField> present)
        {
            T Pick<T>(ImportField field, T incoming, T stored) => present.Contains(field) ? incoming : stored;
            return new Student
            {
                Number = record.Number,
                FirstName = Pick(ImportField.FirstName, record.FirstName, before.FirstName),
                Prefix = Pick(ImportField.Prefix, record.Prefix, before.Prefix),
                LastName = Pick(ImportField.LastName, record.LastName, before.LastName),
                BirthDate = Pick(ImportField.BirthDate, record.BirthDate, before.BirthDate),
                Gender = Pick(ImportField.Gender, record.Gender, before.Gender),
                CreboNumber = Pick(ImportField.CreboNumber, record.CreboNumber, before.CreboNumber),
                Email = Pick(ImportField.Email, record.Email, before.Email),
                UserName = Pick(ImportField.UserName, record.UserName, before.UserName),
                Group = present.Contains(ImportField.Group) ? record.Group : before.Group,
            };
        }

        [MethodImpl(HotPath.Optimize)]
        private static string[] Changes(Student before, Student after)
        {
            var changes = new List<string>();
            if (!string.Equals(before.FirstName, after.FirstName, StringComparison.Ordinal)) changes.Add("FirstName");
            if (!string.Equals(before.Prefix, after.Prefix, StringComparison.Ordinal)) changes.Add("Prefix");
            if (!string.Equals(before.LastName, after.LastName, StringComparison.Ordinal)) changes.Add("LastName");
            if (before.BirthDate != after.BirthDate) changes.Add("BirthDate");
            if (!string.Equals(before.Gender, after.Gender, StringComparison.Ordinal)) changes.Add("Gender");
            if (!string.Equals(before.CreboNumber, after.CreboNumber, StringComparison.Ordinal)) changes.Add("CreboNumber");
            if (!string.Equals(before.Email, after.Email, StringComparison.Ordinal)) changes.Add("Email");
            if (!string.Equals(before.UserName, after.UserName, StringComparison.Ordinal)) changes.Add("UserName");
            if (!string.Equals(before.Group, after.Group, StringComparison.Ordinal)) changes.Add("Group");
            return changes.ToArray();
        }

        /// <summary>Design §2: a different birth date where both are known, otherwise both first and last name different.</summary>
        internal static bool IsOtherPerson(Student stored, StudentRecord incoming)
        {
            if (stored.BirthDate.HasValue && incoming.BirthDate.HasValue) return stored.BirthDate != incoming.BirthDate;
            return !SameName(stored.FirstName, incoming.FirstName) && !SameName(stored.LastName, incoming.LastName);
        }

        private static bool SameName(string a, string b)
            => a == null || b == null || string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

        private sealed class Duplicate { public bool Conflict; public int OtherRow; }

        /// <summary>Rows that share a number with another row: exact repeats (all but the first) and conflicts (all of them).</summary>
        [MethodImpl(HotPath.Optimize)]
        private static Dictionary<StudentRecord, Duplicate> FindDuplicates(IReadOnlyList<StudentRecord> records)
        {
            var result = new Dictionary<StudentRecord, Duplicate>();
            var first = new Dictionary<string, StudentRecord>(StringComparer.Ordinal);
            var conflicted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var record in records)
            {
                if (string.IsNullOrEmpty(record.Number)) continue;
                if (!first.TryGetValue(record.Number, out var original)) { first[record.Number] = record; continue; }
                if (original.ContentSignature() == record.ContentSignature())
                {
                    result[record] = new Duplicate { Conflict = false, OtherRow = original.RowNumber };
                }
                else
                {
                    result[record] = new Duplicate { Conflict = true, OtherRow = original.RowNumber };
                    if (conflicted.Add(record.Number)) result[original] = new Duplicate { Conflict = true, OtherRow = record.RowNumber };
                }
            }
            // An exact repeat of a conflicted number fails with the others.
            foreach (var entry in result.Where(e => !e.Value.Conflict && conflicted.Contains(e.Key.Number)).ToList())
                entry.Value.Conflict = true;
            return result;
        }

        private static string NumberColumn(StudentRecord record)
        {
            return record.Layout?.Columns.FirstOrDefault(c => c.Field == ImportField.Number)?.Header ?? "deelnemersnummer";
        }

        private static void Fail(StudentImportResult result, StudentImportRow row)
        {
            row.Action = ImportAction.Failed;
            result.Failed++;
        }
    }
}
