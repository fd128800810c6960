using System;
using System.Collections.Generic;
using System.Linq;
using Npgsql;
using NpgsqlTypes;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>
    /// The one-row changes on a server school, in PostgreSQL on the school's own tables, in the write's
    /// server transaction (which holds the school's lock, so a new row's id, one past the largest, is
    /// taken by no other session). Times are stored to the
    /// second, audit entries to the microsecond.
    /// </summary>
    internal sealed class ServerEdits : ITenantEdits
    {
        private readonly NpgsqlConnection _server;
        private readonly NpgsqlTransaction _transaction;
        private readonly string _schema;
        private readonly string _database;
        private readonly string _where;
        private readonly string _store;

        public ServerEdits(NpgsqlConnection server, NpgsqlTransaction transaction, string schema, string store, string database, string where)
        {
            _store = store;
            _server = server;
            _transaction = transaction;
            _schema = schema;
            _database = database;
            _where = where;
        }

        public long EnsureFolder(string path)
        {
            path = Folders.Normalize(path);
            var existing = Scalar($"SELECT id FROM {_schema}.folders WHERE {ServerQueries.NoCase("path")} = {ServerQueries.NoCase("@path")};", command => command.Parameters.AddWithValue("path", path));
            if (existing != null) return (long)existing;
            var parent = path.LastIndexOf('/');
            if (parent > 0) EnsureFolder(path.Substring(0, parent));
            return (long)Scalar($"INSERT INTO {_schema}.folders (id, path) VALUES ({NextId("folders")}, @path) RETURNING id;", command => command.Parameters.AddWithValue("path", path));
        }

        public long InsertGroup(string name, long folderId)
            => (long)Scalar($"INSERT INTO {_schema}.groups (id, name, folder_id, created_utc) VALUES ({NextId("groups")}, @name, @folder, @now) RETURNING id;", command =>
            {
                command.Parameters.AddWithValue("name", name);
                command.Parameters.AddWithValue("folder", folderId);
                command.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, ToTheSecond(DateTime.UtcNow));
            });

        public void RemoveGroups(IReadOnlyCollection<string> names)
        {
            void Run(string sql) => Scalar(sql, command =>
            {
                command.Parameters.AddWithValue("names", names.ToArray());
                command.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, ToTheSecond(DateTime.UtcNow));
            });
            var named = $"{ServerQueries.NoCase("name")} IN (SELECT {ServerQueries.NoCase("n")} FROM unnest(@names::text[]) n)";
            Run($"UPDATE {_schema}.students SET group_id = NULL, updated_utc = @now WHERE group_id IN (SELECT id FROM {_schema}.groups WHERE {named});");
            Run($"DELETE FROM {_schema}.groups WHERE {named};"); // staff_groups rows go by ON DELETE CASCADE
        }

        public void DeleteFolder(string path)
            => Scalar($"DELETE FROM {_schema}.folders WHERE {ServerQueries.NoCase("path")} = {ServerQueries.NoCase("@path")};", command => command.Parameters.AddWithValue("path", path));

        public void DeleteStaff(long staffId)
            => Scalar($"DELETE FROM {_schema}.staff WHERE id = @id;", command => command.Parameters.AddWithValue("id", staffId)); // roles and links go by ON DELETE CASCADE

        public void SetLink(long staffId, long groupId, bool linked)
            => Scalar(linked
                    ? $"INSERT INTO {_schema}.staff_groups (staff_id, group_id) VALUES (@staff, @group) ON CONFLICT DO NOTHING;"
                    : $"DELETE FROM {_schema}.staff_groups WHERE staff_id = @staff AND group_id = @group;",
                command =>
                {
                    command.Parameters.AddWithValue("staff", staffId);
                    command.Parameters.AddWithValue("group", groupId);
                });

        public void Erase(long studentId)
            => Scalar($"UPDATE {_schema}.students SET {StudentEraser.ErasedValues}, updated_utc = @now, erased_utc = @now WHERE id = @id AND erased_utc IS NULL;", command =>
            {
                command.Parameters.AddWithValue("id", studentId);
                command.Parameters.AddWithValue("now", NpgsqlDbType.TimestampTz, ToTheSecond(DateTime.UtcNow));
            });

        public Importing.IStudentWriter StudentWriter(string folder) => new ServerStudentWriter(_server, _schema, this, folder);

        public Importing.IStaffWriter StaffWriter() => new ServerStaffWriter(_schema, this);

        public void MarkSeen(HashSet<long> unchanged)
        {
            if (unchanged.Count == 0) return;
            Scalar($"UPDATE {_schema}.students SET last_seen_date = @today WHERE id = ANY(@ids) AND erased_utc IS NULL AND last_seen_date IS DISTINCT FROM @today;", command =>
            {
                command.Parameters.AddWithValue("ids", unchanged.ToArray());
                command.Parameters.AddWithValue("today", NpgsqlDbType.Date, DateTime.Today);
            });
        }

        /// <summary>By difference: a row the file holds unchanged is not written (see <see cref="SchoolStoreFile.Restore"/>).</summary>
        public void ReplaceData(string storeFile)
            => Guard(() =>
            {
                using (var file = TenantRestore.OpenReadOnly(storeFile))
                    SchoolStoreFile.Restore(file, _server, _transaction, _schema, _store);
                return true;
            });

        public void Audit(Guid runId, string action, string target, string details)
            => Scalar($"INSERT INTO {_schema}.audit_log (id, run_id, at_utc, \"user\", machine, action, target, details) VALUES ({NextId("audit_log")}, @run, @at, @user, @machine, @action, @target, @details);", command =>
            {
                command.Parameters.AddWithValue("run", runId);
                command.Parameters.AddWithValue("at", NpgsqlDbType.TimestampTz, DateTime.UtcNow);
                command.Parameters.AddWithValue("user", AuditLog.CurrentUser());
                command.Parameters.AddWithValue("machine", Environment.MachineName);
                command.Parameters.AddWithValue("action", action);
                command.Parameters.AddWithValue("target", (object)AuditLog.Fit(target) ?? DBNull.Value);
                command.Parameters.AddWithValue("details", (object)AuditLog.Fit(details) ?? DBNull.Value);
            });

        private string NextId(string table) => $"(SELECT coalesce(max(id), 0) + 1 FROM {_schema}.{table})";

        internal static DateTime ToTheSecond(DateTime utc) => new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

        /// <summary>The server's errors as errors about this school.</summary>
        internal T Guard<T>(Func<T> work) => PostgresErrors.Guard(_database, _where, work);

        /// <summary>A statement in the write's transaction; one on a large school may take minutes on a slow server.</summary>
        internal NpgsqlCommand Command(string sql) => new NpgsqlCommand(sql, _server, _transaction) { CommandTimeout = SchoolStoreFile.StatementTimeoutSeconds };

        internal object Scalar(string sql, Action<NpgsqlCommand> parameters)
            => Guard(() =>
            {
                using (var command = Command(sql))
                {
                    parameters(command);
                    return command.ExecuteScalar();
                }
            });
    }
}
