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
        /// <summary>The rollover plans this import: its hints name what Invoke-AmnRollover has (no -AllowIdentityChange).</summary>
        internal bool InRollover { get; set; }
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

        internal static StoredStudents Load(SqliteConnection connection, SqliteTransaction transaction) => new StoredStudents
        {
            Rows = Store.Students.LoadAll(connection, transaction),
            GroupNames = Store.Groups.LoadIds(connection, transaction).Keys.ToList(),
        };
    }

    /// <summary>
    /// Upserts participants by number. <see cref="Plan"/> decides every row's action against the
    /// store without writing and <see cref="Apply"/> writes that plan, both in the caller's
    /// transaction (the rollover shows a plan before it applies it); the import cmdlet instead plans
    /// and writes each row as it is read, with a <see cref="StudentImportSession"/>.
    /// </summary>
    public static class StudentImporter
    {
        /// <summary>Decides every row's action against the store, without writing.</summary>
        /// <param name="stored">The stored pupils, when the caller loaded them already (in the same transaction).</param>
        internal static StudentImportResult Plan(ITenantQueries queries, IReadOnlyList<StudentRecord> records, StudentImportOptions options, StoredStudents stored = null)
        {
            using (var session = new StudentImportSession(queries, null, options, stored, write: false))
            {
                foreach (var record in records) session.Add(record);
                return session.Result;
            }
        }

        /// <summary>Writes a plan: new groups (in the plan's folder), new and changed students, and an audit entry.</summary>
        internal static void Apply(ITenantEdits edits, StudentImportResult plan, string source, CancellationToken cancellation = default, Action<int, int> progress = null)
        {
            var clock = Stopwatch.StartNew();
            using (var writer = edits.StudentWriter(plan.Folder))
            {
                int done = 0, total = plan.Rows.Count;
                foreach (var row in plan.Rows)
                {
                    if (++done % 1000 == 0)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        progress?.Invoke(done, total);
                    }
                    writer.Write(row);
                }
                writer.Flush();
            }
            Finish(edits, plan, source);
            plan.Duration += clock.Elapsed;
        }

        /// <summary>After the rows are written: the unchanged pupils were seen too, and the audit entry.</summary>
        internal static void Finish(ITenantEdits edits, StudentImportResult result, string source)
        {
            var unchanged = new HashSet<long>(result.Rows.Where(r => r.Action == ImportAction.Unchanged && !r.NeedsWrite && r.ExistingId.HasValue).Select(r => r.ExistingId.Value));
            edits.MarkSeen(unchanged);
            edits.Audit(result.RunId, "ImportStudents", source,
                $"created={result.Created}; updated={result.Updated}; moved={result.Moved}; unchanged={result.Unchanged}; failed={result.Failed}; groupsCreated={result.GroupsCreated}");
        }

        /// <summary>
        /// Binds one pupil's values. Runs for every row of a bulk import, so it formats dates without
        /// allocating and remembers the last group's id (rows usually come group by group).
        /// </summary>
        internal sealed class RowBinder
        {
            /// <summary>The parameters of one pupil: the personal fields in the store's order (<see cref="StudentField.All"/>), then the group's id.</summary>
            public static readonly int Parameters = StudentField.All.Count + 1;

            private readonly Func<string, long> _groupId;
            private string _lastGroup;
            private long _lastGroupId;

            public RowBinder(Func<string, long> groupId) { _groupId = groupId; }

            /// <param name="offset">Added to the parameter numbers 1 to <see cref="Parameters"/>, for one row of a multi-row statement.</param>
            [MethodImpl(HotPath.Optimize)]
            public void Bind(BulkStatement statement, int offset, StudentRecord record, string group)
            {
                var fields = StudentField.All;
                for (int i = 0; i < fields.Count; i++) statement.BindForNextRun(offset + 1 + i, fields[i].StoreText(record));
                BindGroup(statement, offset + Parameters, group);
            }

            [MethodImpl(HotPath.Optimize)]
            public void Bind(BulkStatement statement, int offset, Student student)
            {
                var fields = StudentField.All;
                for (int i = 0; i < fields.Count; i++) statement.BindForNextRun(offset + 1 + i, fields[i].StoreText(student));
                BindGroup(statement, offset + Parameters, student.Group);
            }

            private void BindGroup(BulkStatement statement, int parameter, string group)
            {
                if (group != null && !ReferenceEquals(group, _lastGroup))
                {
                    _lastGroupId = _groupId(group);
                    _lastGroup = group;
                }
                statement.Bind(parameter, group == null ? (long?)null : _lastGroupId);
            }
        }

        internal static Student WithoutGroup(Student s) => StudentField.Copy(s, group: null);

        /// <summary>The file is the truth for the columns it has; columns it lacks keep the stored value.</summary>
        [MethodImpl(HotPath.Optimize)]
        internal static Student Merge(Student before, StudentRecord record, ISet<ImportField> present)
        {
            var merged = new Student { Number = record.Number, Group = present.Contains(ImportField.Group) ? record.Group : before.Group };
            foreach (var field in StudentField.All)
            {
                if (present.Contains(field.Field)) field.Take(record, merged);
                else field.Copy(before, merged);
            }
            return merged;
        }

        /// <summary>True when the record changes nothing of the stored pupil: every field the input has is equal, and so is the group.</summary>
        [MethodImpl(HotPath.Optimize)]
        internal static bool IsUnchanged(Student before, StudentRecord record, ISet<ImportField> present, string group)
        {
            if (!string.Equals(group, before.Group, StringComparison.Ordinal)) return false;
            foreach (var field in StudentField.All)
                if (present.Contains(field.Field) && !field.Same(record, before)) return false;
            return true;
        }

        [MethodImpl(HotPath.Optimize)]
        internal static ChangeList Changes(Student before, Student after)
        {
            var changes = new List<FieldChange>();
            foreach (var field in StudentField.All) ChangeList.Compare(changes, field.Name, field.StoreText(before), field.StoreText(after));
            ChangeList.Compare(changes, "Group", before.Group, after.Group);
            return new ChangeList(changes);
        }

        /// <summary>Design §2: a different birth date where both are known, otherwise both first and last name different.</summary>
        internal static bool IsOtherPerson(Student stored, StudentRecord incoming)
        {
            if (stored.BirthDate.HasValue && incoming.BirthDate.HasValue) return stored.BirthDate != incoming.BirthDate;
            return !SameName(stored.FirstName, incoming.FirstName) && !SameName(stored.LastName, incoming.LastName);
        }

        private static bool SameName(string a, string b)
            => a == null || b == null || string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

        internal static string NumberColumn(StudentRecord record)
        {
            return record.Layout?.Columns.FirstOrDefault(c => c.Field == ImportField.Number)?.Header ?? "deelnemersnummer";
        }

    }
}
