using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Model;
using Npgsql;
using NpgsqlTypes;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// A staff import's staff, roles and links into a server school's own tables, in the write's server
    /// transaction (which holds the school's lock, so new ids, one past the largest, are taken by no other
    /// session). The changes are kept until <see cref="Flush"/>, which applies each kind in one set-based
    /// statement: thousands of staff with several links each cost a handful of round trips.
    /// </summary>
    internal sealed class ServerStaffWriter : IStaffWriter
    {
        private readonly string _schema;
        private readonly ServerEdits _edits;
        private readonly List<(long Id, Staff Staff)> _inserted = new List<(long, Staff)>();
        private readonly Dictionary<long, Staff> _updated = new Dictionary<long, Staff>();
        private readonly Dictionary<long, string[]> _roles = new Dictionary<long, string[]>();
        private readonly List<(long Staff, long Group)> _linked = new List<(long, long)>();
        private readonly List<(long Staff, long Group)> _unlinked = new List<(long, long)>();
        private long _lastId;

        public ServerStaffWriter(string schema, ServerEdits edits)
        {
            _schema = schema;
            _edits = edits;
            _lastId = (long)edits.Scalar($"SELECT coalesce(max(id), 0) FROM {_schema}.staff;", _ => { });
        }

        public long Insert(Staff staff)
        {
            _inserted.Add((++_lastId, staff));
            return _lastId;
        }

        public void Update(long id, Staff staff) => _updated[id] = staff;

        /// <summary>Nothing to do: the school's codes are checked at commit (a deferred constraint), after every update.</summary>
        public void ReleaseCode(long id) { }

        public void SetRoles(long id, IEnumerable<string> roles) => _roles[id] = roles.ToArray();

        public void AddLink(long staffId, long groupId) => _linked.Add((staffId, groupId));

        public void RemoveLink(long staffId, long groupId) => _unlinked.Add((staffId, groupId));

        /// <summary>The staff's own columns: the username, then <see cref="StaffField.All"/>.</summary>
        private static readonly string[] Columns = new[] { "user_name" }.Concat(StaffField.All.Select(f => f.Column)).ToArray();

        private static string[] Values(Staff staff) => new[] { staff.UserName }.Concat(StaffField.All.Select(f => f.Get(staff))).ToArray();

        public void Flush()
        {
            var now = ServerEdits.ToTheSecond(DateTime.UtcNow);
            var fromArrays = $"unnest(@id, {string.Join(", ", Columns.Select((c, i) => $"@c{i}"))}) AS v(id, {string.Join(", ", Columns)})";
            if (_inserted.Count > 0)
                Execute($"INSERT INTO {_schema}.staff (id, {string.Join(", ", Columns)}, created_utc, updated_utc) SELECT v.*, @now, @now FROM {fromArrays};",
                    command => AddStaff(command, _inserted, now));
            if (_updated.Count > 0)
                Execute($"UPDATE {_schema}.staff s SET {string.Join(", ", Columns.Select(c => $"{c} = v.{c}"))}, updated_utc = @now FROM {fromArrays} WHERE s.id = v.id;",
                    command => AddStaff(command, _updated.Select(u => (u.Key, u.Value)).ToList(), now));
            if (_roles.Count > 0)
            {
                var roles = _roles.SelectMany(r => r.Value.Select(role => (Staff: r.Key, Role: role))).ToList();
                Execute($"DELETE FROM {_schema}.staff_roles WHERE staff_id = ANY(@ids); INSERT INTO {_schema}.staff_roles (staff_id, role) SELECT * FROM unnest(@staff, @role);", command =>
                {
                    command.Parameters.AddWithValue("ids", _roles.Keys.ToArray());
                    command.Parameters.AddWithValue("staff", roles.Select(r => r.Staff).ToArray());
                    command.Parameters.AddWithValue("role", roles.Select(r => r.Role).ToArray());
                });
            }
            if (_unlinked.Count > 0)
                Execute($"DELETE FROM {_schema}.staff_groups sg USING unnest(@staff, @group) AS v(staff_id, group_id) WHERE sg.staff_id = v.staff_id AND sg.group_id = v.group_id;",
                    command => AddLinks(command, _unlinked));
            if (_linked.Count > 0)
                Execute($"INSERT INTO {_schema}.staff_groups (staff_id, group_id) SELECT * FROM unnest(@staff, @group) ON CONFLICT DO NOTHING;",
                    command => AddLinks(command, _linked));
            _inserted.Clear();
            _updated.Clear();
            _roles.Clear();
            _linked.Clear();
            _unlinked.Clear();
        }

        private static void AddStaff(NpgsqlCommand command, List<(long Id, Staff Staff)> staff, DateTime now)
        {
            command.Parameters.AddWithValue("id", staff.Select(s => s.Id).ToArray());
            var values = staff.Select(s => Values(s.Staff)).ToList();
            for (int i = 0; i < Columns.Length; i++)
                command.Parameters.Add(new NpgsqlParameter($"c{i}", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.Select(v => v[i]).ToArray() });
            command.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, now);
        }

        private static void AddLinks(NpgsqlCommand command, List<(long Staff, long Group)> links)
        {
            command.Parameters.AddWithValue("staff", links.Select(l => l.Staff).ToArray());
            command.Parameters.AddWithValue("group", links.Select(l => l.Group).ToArray());
        }

        private void Execute(string sql, Action<NpgsqlCommand> parameters) => _edits.Scalar(sql, parameters);

        public void Dispose() { }
    }
}
