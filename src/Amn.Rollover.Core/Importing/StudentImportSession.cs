using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Importing
{
    /// <summary>
    /// Plans an import one row at a time and, when writing, stores each row at once, so a large file
    /// is written while it is still being read. Duplicates are found as they come: an exact repeat
    /// counts once; a number that comes back with other data fails every row that has it, and the
    /// earlier row's write is undone. The outcome equals planning all rows first.
    /// </summary>
    public sealed class StudentImportSession : IDisposable
    {
        private readonly StudentImportOptions _options;
        private readonly StoredStudents _stored;
        private readonly Dictionary<string, string> _groupNames;
        private readonly Dictionary<string, StudentImportRow> _first = new Dictionary<string, StudentImportRow>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<StudentImportRow>> _repeats = new Dictionary<string, List<StudentImportRow>>(StringComparer.Ordinal);
        private readonly HashSet<string> _conflicted = new HashSet<string>(StringComparer.Ordinal);
        /// <summary>How many planned rows use each group this import creates; a group left unused by undone rows is dropped.</summary>
        private readonly Dictionary<string, int> _newGroupUse = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly ITenantEdits _edits;
        private readonly IStudentWriter _writer;

        /// <param name="write">False to only plan (-WhatIf); true to store every row as it is added, in <paramref name="work"/> (the caller commits).</param>
        public StudentImportSession(TenantWork work, StudentImportOptions options, bool write)
            : this(work.Queries, write ? work.Edits : null, options, null, write)
        {
        }

        internal StudentImportSession(ITenantQueries queries, ITenantEdits edits, StudentImportOptions options, StoredStudents stored, bool write)
        {
            _edits = edits;
            _options = options;
            _stored = stored ?? queries.StoredStudents();
            // Group names compare case-insensitively and keep the spelling they were first written in.
            _groupNames = options.AssumeGroupsRemoved
                ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
                : _stored.GroupNames.ToDictionary(k => k, k => k, StringComparer.OrdinalIgnoreCase);
            Result = new StudentImportResult { RunId = options.RunId, Folder = Folders.Normalize(options.Folder), WhatIf = !write };
            if (write) _writer = edits.StudentWriter(Result.Folder);
        }

        public StudentImportResult Result { get; }

        private static readonly ISet<ImportField> AllFields = new HashSet<ImportField>(Enum.GetValues(typeof(ImportField)).Cast<ImportField>());

        [MethodImpl(HotPath.Optimize)]
        public void Add(StudentRecord record)
        {
            // The row reads the record's problems and copies them before adding its own: records are
            // often planned twice, with -WhatIf and then for real.
            var row = new StudentImportRow { RowNumber = record.RowNumber, Number = record.Number, Record = record };
            Result.Rows.Add(row);
            if (!string.IsNullOrEmpty(record.Number) && IsDuplicate(row)) return;
            if (row.HasErrors) { Fail(row); return; }

            _stored.Rows.TryGetValue(record.Number, out var existing);
            if (existing?.Erased != null && !_options.AllowIdentityChange)
            {
                row.AddError(new ImportProblem(record.RowNumber, StudentImporter.NumberColumn(record), record.Number, "NumberErased",
                    Messages.Format(_options.InRollover ? "RolloverNumberOfErasedPupil" : "NumberOfErasedPupil", record.RowNumber, record.Number, existing.Erased)));
                Fail(row);
                return;
            }
            if (existing != null && !_options.AllowIdentityChange && StudentImporter.IsOtherPerson(existing.Student, record))
            {
                row.AddError(new ImportProblem(record.RowNumber, StudentImporter.NumberColumn(record), record.Number, "NumberReused",
                    Messages.Format(_options.InRollover ? "RolloverNumberReused" : "NumberReused", record.RowNumber, record.Number, Born(existing.Student.FullName, existing.Student.BirthDate), Born(PersonName.Full(record.FirstName, record.Prefix, record.LastName), record.BirthDate))));
                Fail(row);
                return;
            }

            if (existing == null)
            {
                // New pupils keep only their group's spelling; the Student is made from the record when needed.
                row.TargetGroup = UseGroup(record.Group);
                row.Action = ImportAction.Created;
                Result.Created++;
            }
            else
            {
                var present = record.PresentFields ?? AllFields;
                var before = _options.AssumeGroupsRemoved ? StudentImporter.WithoutGroup(existing.Student) : existing.Student;
                var group = UseGroup(present.Contains(ImportField.Group) ? record.Group : before.Group);
                row.ExistingId = existing.Id;
                row.PreviousGroup = existing.Student.Group;
                row.GroupChanged = !string.Equals(row.PreviousGroup, group, StringComparison.OrdinalIgnoreCase);
                if (StudentImporter.IsUnchanged(before, record, present, group))
                {
                    // Most rows of a re-import: no merged copy, no list of changes.
                    row.Student = before;
                    row.Action = ImportAction.Unchanged;
                    Result.Unchanged++;
                    return;
                }
                var after = StudentImporter.Merge(before, record, present);
                after.Group = group;
                // Against what is stored, groups by name: a rollover's recreated H4a is no move.
                row.Changes = StudentImporter.Changes(existing.Student, after);
                row.Student = after;
                row.NeedsWrite = true;
                row.Action = row.GroupChanged ? ImportAction.Moved : row.Changes.Count > 0 ? ImportAction.Updated : ImportAction.Unchanged;
                Result.Count(row.Action, +1);
            }
            _writer?.Write(row);
        }

        /// <summary>Finishes the import: drops groups only undone rows needed, writes the audit entry (when writing).</summary>
        public StudentImportResult Complete(string source)
        {
            foreach (var unused in _newGroupUse.Where(g => g.Value == 0).Select(g => g.Key).ToList())
            {
                Result.NewGroups.RemoveAll(n => string.Equals(n, unused, StringComparison.OrdinalIgnoreCase));
                _writer?.DropGroup(unused);
            }
            _writer?.Flush();
            if (_writer != null) StudentImporter.Finish(_edits, Result, source);
            Result.Duration = _clock.Elapsed;
            return Result;
        }

        /// <summary>Handles a number seen before; true when the row is settled (a repeat or a conflict).</summary>
        [MethodImpl(HotPath.Optimize)]
        private bool IsDuplicate(StudentImportRow row)
        {
            var record = row.Record;
            if (!_first.TryGetValue(record.Number, out var first))
            {
                _first[record.Number] = row;
                return false;
            }
            if (!_conflicted.Contains(record.Number) && first.Record.ContentSignature() == record.ContentSignature())
            {
                if (!record.HasWarnings || !record.Warnings.Any(w => w.ErrorId == DuplicateKeys.RepeatId))
                    row.AddWarning(DuplicateKeys.Repeat(record.RowNumber, first.RowNumber, StudentImporter.NumberColumn(record), record.Number));
                row.Action = ImportAction.Unchanged;
                Result.Unchanged++;
                if (!_repeats.TryGetValue(record.Number, out var repeats)) _repeats[record.Number] = repeats = new List<StudentImportRow>();
                repeats.Add(row);
                return true;
            }
            FailAsDuplicate(row, first.RowNumber);
            if (_conflicted.Add(record.Number))
            {
                // The earlier rows with this number fail too, and what they wrote is undone.
                Undo(first);
                FailAsDuplicate(first, row.RowNumber);
                if (_repeats.TryGetValue(record.Number, out var repeats))
                    foreach (var repeat in repeats)
                    {
                        Result.Unchanged--;
                        FailAsDuplicate(repeat, row.RowNumber);
                    }
            }
            return true;
        }

        private void FailAsDuplicate(StudentImportRow row, int otherRow)
        {
            var record = row.Record;
            var conflict = DuplicateKeys.Conflict(ImportKind.Student, record.RowNumber, otherRow, StudentImporter.NumberColumn(record), record.Number);
            if (row.Action != ImportAction.Failed && (record.IsValid || !record.Errors.Any(e => e.ErrorId == conflict.ErrorId)))
                row.AddError(conflict);
            if (row.Action != ImportAction.Failed) Fail(row);
        }

        private void Undo(StudentImportRow row)
        {
            switch (row.Action)
            {
                case ImportAction.Created:
                    Result.Created--;
                    ReleaseGroup(row.TargetGroup);
                    _writer?.Delete(row.Number);
                    break;
                case ImportAction.Updated:
                case ImportAction.Moved:
                case ImportAction.Unchanged:
                    Result.Count(row.Action, -1);
                    ReleaseGroup(row.Student.Group);
                    if (row.NeedsWrite) _writer?.Restore(row.ExistingId.Value, _stored.Rows[row.Number].Student);
                    break;
            }
            row.Student = null;
            row.TargetGroup = null;
        }

        /// <summary>The group's spelling as first written in the tenant or this import; a name not seen yet is a new group.</summary>
        [MethodImpl(HotPath.Optimize)]
        private string UseGroup(string group)
        {
            if (group == null) return null;
            if (!_groupNames.TryGetValue(group, out var spelling))
            {
                _groupNames[group] = spelling = group;
                Result.NewGroups.Add(group);
                _newGroupUse[group] = 0;
            }
            if (_newGroupUse.TryGetValue(spelling, out var uses)) _newGroupUse[spelling] = uses + 1;
            return spelling;
        }

        private void ReleaseGroup(string group)
        {
            if (group != null && _newGroupUse.TryGetValue(group, out var uses)) _newGroupUse[group] = uses - 1;
        }

        private static string Born(string name, DateTime? birthDate)
            => birthDate.HasValue ? Messages.Format("PersonBorn", name, birthDate.Value) : name;

        private void Fail(StudentImportRow row)
        {
            row.Action = ImportAction.Failed;
            Result.Failed++;
        }

        public void Dispose() => _writer?.Dispose();
    }

    /// <summary>
    /// Writes pupils to an SQLite store through prepared statements, creating their groups (in one
    /// folder) on first use. New pupils go out in multi-row inserts: SQLite then sets up its table and
    /// index cursors once per batch instead of once per row, which is most of the cost of a row-by-row insert.
    /// </summary>
    internal sealed class StudentWriter : IStudentWriter
    {
        private const int InsertBatch = 16;
        /// <summary>A new pupil's parameters: the personal fields and the group (<see cref="StudentImporter.RowBinder"/>), then the number.</summary>
        private static readonly int ParametersPerRow = StudentImporter.RowBinder.Parameters + 1;
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;
        private readonly string _folder;
        private readonly Dictionary<string, long> _groups;
        private readonly BulkStatement _insertBatch, _insertOne, _update, _delete, _insertGroup;
        private readonly StudentImportRow[] _pending = new StudentImportRow[InsertBatch];
        private int _pendingCount;
        private readonly StudentImporter.RowBinder _values;
        private long? _folderId;

        internal StudentWriter(SqliteConnection connection, SqliteTransaction transaction, string folder)
        {
            _connection = connection;
            _transaction = transaction;
            _folder = folder;
            _groups = Store.Groups.LoadIds(connection, transaction);
            var now = Timestamp.Now();
            _insertBatch = Insert(InsertBatch, now);
            _insertOne = Insert(1, now);
            var group = StudentImporter.RowBinder.Parameters;
            _update = new BulkStatement(connection,
                "UPDATE students SET " + string.Join(", ", StudentField.All.Select((f, i) => $"{f.Column} = ?{i + 1}")) +
                $", group_id = ?{group}, updated_utc = ?{group + 2}, last_seen_date = ?{group + 3}, erased_utc = NULL WHERE id = ?{group + 1};");
            _update.Bind(group + 2, now);
            _update.Bind(group + 3, Timestamp.Today());
            _delete = new BulkStatement(connection, "DELETE FROM students WHERE number = ?1;");
            // A school board's file names thousands of groups: they get a prepared statement too.
            _insertGroup = new BulkStatement(connection, "INSERT INTO groups (name, folder_id, created_utc) VALUES (?1, ?2, ?3);");
            _insertGroup.Bind(3, now);
            _values = new StudentImporter.RowBinder(GroupId);
        }

        /// <summary>An insert of <paramref name="rows"/> pupils: row k binds ?(nk+1) to ?(nk+n), n = <see cref="ParametersPerRow"/>; all share the timestamp and the day they were seen.</summary>
        private BulkStatement Insert(int rows, string now)
        {
            var timestamp = rows * ParametersPerRow + 1;
            var values = Enumerable.Range(0, rows).Select(k =>
                "(" + string.Join(", ", Enumerable.Range(k * ParametersPerRow + 1, ParametersPerRow).Select(i => "?" + i)) + $", ?{timestamp}, ?{timestamp}, ?{timestamp + 1})");
            var statement = new BulkStatement(_connection,
                "INSERT INTO students (" + string.Join(", ", StudentField.All.Select(f => f.Column)) + ", group_id, number, created_utc, updated_utc, last_seen_date) VALUES " +
                string.Join(", ", values) + ";");
            statement.Bind(timestamp, now);
            statement.Bind(timestamp + 1, Timestamp.Today());
            return statement;
        }

        [MethodImpl(HotPath.Optimize)]
        public void Write(StudentImportRow row)
        {
            if (row.Action == ImportAction.Created)
            {
                BindNew(_insertBatch, _pendingCount * ParametersPerRow, row);
                _pending[_pendingCount++] = row;
                if (_pendingCount < InsertBatch) return;
                _insertBatch.Execute();
                _pendingCount = 0;
            }
            else if (row.NeedsWrite)
            {
                Restore(row.ExistingId.Value, row.Student);
            }
        }

        /// <summary>Writes the new pupils still waiting for a full batch, one by one.</summary>
        public void Flush()
        {
            for (int i = 0; i < _pendingCount; i++)
            {
                BindNew(_insertOne, 0, _pending[i]);
                _insertOne.Execute();
                _pending[i] = null;
            }
            _pendingCount = 0;
        }

        [MethodImpl(HotPath.Optimize)]
        private void BindNew(BulkStatement statement, int offset, StudentImportRow row)
        {
            var r = row.Record; // new pupils are written straight from their record
            _values.Bind(statement, offset, r, row.TargetGroup);
            statement.BindForNextRun(offset + ParametersPerRow, r.Number);
        }

        /// <summary>Writes a stored pupil's values back (an update, or the undo of one).</summary>
        public void Restore(long id, Student s)
        {
            _values.Bind(_update, 0, s);
            _update.Bind(StudentImporter.RowBinder.Parameters + 1, id);
            _update.Execute();
        }

        public void Delete(string number)
        {
            Flush(); // the pupil may still be waiting in a batch
            _delete.Bind(1, number);
            _delete.Execute();
        }

        /// <summary>Removes a group this import created when no pupil ended up in it.</summary>
        public void DropGroup(string name)
        {
            if (!_groups.TryGetValue(name, out var id)) return;
            Flush();
            using (var drop = new BulkStatement(_connection, "DELETE FROM groups WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM students WHERE group_id = ?1);"))
            {
                drop.Bind(1, id);
                drop.Execute();
            }
            _groups.Remove(name);
        }

        private long GroupId(string name)
        {
            if (_groups.TryGetValue(name, out var id)) return id;
            if (_folderId == null)
            {
                _folderId = Folders.Ensure(_connection, _transaction, _folder);
                _insertGroup.Bind(2, _folderId);
            }
            _insertGroup.BindForNextRun(1, name);
            _insertGroup.Execute();
            return _groups[name] = _insertGroup.LastInsertRowId;
        }

        public void Dispose()
        {
            _insertBatch.Dispose();
            _insertOne.Dispose();
            _update.Dispose();
            _delete.Dispose();
            _insertGroup.Dispose();
        }
    }
}
