using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Model;
using Npgsql;
using NpgsqlTypes;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// An import's pupils into a server school's own tables, in the write's server transaction (which
    /// holds the school's lock, so new ids, one past the largest, are taken by no other session). The
    /// rows the import plans are kept until <see cref="Flush"/>, where undone ones are already gone:
    /// new groups and new pupils then go straight into the school's tables through binary COPY, and
    /// the changed pupils are staged the same way and updated by id. An unchanged pupil is never written.
    /// </summary>
    internal sealed class ServerStudentWriter : IStudentWriter
    {
        private readonly NpgsqlConnection _server;
        private readonly string _schema;
        private readonly ServerEdits _edits;
        private readonly string _folder;
        private readonly Dictionary<string, long> _groups = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, long> _newGroups = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, StudentImportRow> _new = new Dictionary<string, StudentImportRow>(StringComparer.Ordinal);
        private readonly Dictionary<long, Student> _changed = new Dictionary<long, Student>();
        private readonly DateTime _now = ServerEdits.ToTheSecond(DateTime.UtcNow);
        private readonly DateTime _today = DateTime.Today;
        private long _lastGroupId, _lastStudentId;

        public ServerStudentWriter(NpgsqlConnection server, string schema, ServerEdits edits, string folder)
        {
            _server = server;
            _schema = schema;
            _edits = edits;
            _folder = folder;
            edits.Guard(() =>
            {
                using (var command = edits.Command($"SELECT id, name FROM {_schema}.groups;"))
                using (var reader = command.ExecuteReader())
                    while (reader.Read()) _groups[reader.GetString(1)] = reader.GetInt64(0);
                using (var command = edits.Command($"SELECT (SELECT coalesce(max(id), 0) FROM {_schema}.groups), (SELECT coalesce(max(id), 0) FROM {_schema}.students);"))
                using (var reader = command.ExecuteReader())
                {
                    reader.Read();
                    _lastGroupId = reader.GetInt64(0);
                    _lastStudentId = reader.GetInt64(1);
                }
                return true;
            });
        }

        public void Write(StudentImportRow row)
        {
            if (row.Action == ImportAction.Created)
            {
                GroupId(row.TargetGroup);
                _new[row.Number] = row;
            }
            else if (row.NeedsWrite) Restore(row.ExistingId.Value, row.Student);
        }

        public void Restore(long id, Student student)
        {
            GroupId(student.Group);
            _changed[id] = student;
        }

        public void Delete(string number) => _new.Remove(number);

        public void DropGroup(string name)
        {
            if (!_newGroups.Remove(name)) return;
            _groups.Remove(name);
        }

        private long? GroupId(string name)
        {
            if (name == null) return null;
            if (_groups.TryGetValue(name, out var id)) return id;
            _newGroups[name] = _groups[name] = ++_lastGroupId;
            return _lastGroupId;
        }

        /// <summary>The columns a pupil's values are written to, in this order: the personal fields, then the group.</summary>
        private static readonly string Values = string.Join(", ", StudentField.All.Select(f => f.Column)) + ", group_id";

        /// <summary>The same columns set from the staged changes.</summary>
        private static readonly string ValuesFromChanges = string.Join(", ", StudentField.All.Select(f => $"{f.Column} = c.{f.Column}")) + ", group_id = c.group_id";

        public void Flush()
        {
            _edits.Guard(() =>
            {
                if (_newGroups.Count > 0)
                {
                    var folderId = _edits.EnsureFolder(_folder);
                    Copy($"{_schema}.groups (id, name, folder_id, created_utc)", _newGroups, (copy, group) =>
                    {
                        copy.StartRow(4);
                        copy.WriteInt64(group.Value);
                        copy.WriteText(group.Key);
                        copy.WriteInt64(folderId);
                        copy.WriteTimestamp(_now);
                    });
                }
                Copy($"{_schema}.students (id, number, {Values}, created_utc, updated_utc, last_seen_date)", _new.Values, (copy, row) =>
                {
                    copy.StartRow(StudentField.All.Count + 6);
                    copy.WriteInt64(++_lastStudentId);
                    copy.WriteText(row.Number);
                    foreach (var field in StudentField.All) WriteValue(copy, field, field.StoreText(row.Record));
                    WriteGroup(copy, row.TargetGroup);
                    copy.WriteTimestamp(_now);
                    copy.WriteTimestamp(_now);
                    copy.WriteDate(_today);
                });
                if (_changed.Count > 0)
                {
                    Execute($"CREATE TEMP TABLE IF NOT EXISTS pg_temp.amn_import_changes ON COMMIT DROP AS SELECT id, {Values} FROM {_schema}.students WITH NO DATA; TRUNCATE pg_temp.amn_import_changes;");
                    Copy($"pg_temp.amn_import_changes (id, {Values})", _changed, (copy, changed) =>
                    {
                        copy.StartRow(StudentField.All.Count + 2);
                        copy.WriteInt64(changed.Key);
                        foreach (var field in StudentField.All) WriteValue(copy, field, field.StoreText(changed.Value));
                        WriteGroup(copy, changed.Value.Group);
                    });
                    using (var update = _edits.Command($"UPDATE {_schema}.students s SET {ValuesFromChanges}, updated_utc = @now, last_seen_date = @today, erased_utc = NULL FROM pg_temp.amn_import_changes c WHERE s.id = c.id;"))
                    {
                        update.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, _now);
                        update.Parameters.AddWithValue("today", NpgsqlDbType.Date, _today);
                        update.ExecuteNonQuery();
                    }
                }
                return true;
            });
            _newGroups.Clear();
            _new.Clear();
            _changed.Clear();
        }

        private void WriteGroup(BinaryCopyWriter copy, string group)
        {
            var id = GroupId(group);
            if (id.HasValue) copy.WriteInt64(id.Value);
            else copy.WriteNull();
        }

        private static void WriteValue(BinaryCopyWriter copy, StudentField field, string text)
        {
            if (text == null) copy.WriteNull();
            else if (field.IsDate) copy.WriteDate(DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture));
            else copy.WriteText(text);
        }

        private void Copy<T>(string target, IEnumerable<T> rows, Action<BinaryCopyWriter, T> write)
        {
            using (var enumerator = rows.GetEnumerator())
            {
                if (!enumerator.MoveNext()) return;
                using (var copy = new BinaryCopyWriter(_server.BeginRawBinaryCopy($"COPY {target} FROM STDIN (FORMAT BINARY)"), SchoolStoreFile.StatementTimeoutSeconds))
                {
                    do write(copy, enumerator.Current);
                    while (enumerator.MoveNext());
                    copy.Complete();
                }
            }
        }

        private void Execute(string sql)
        {
            using (var command = _edits.Command(sql)) command.ExecuteNonQuery();
        }

        public void Dispose() { }
    }
}
