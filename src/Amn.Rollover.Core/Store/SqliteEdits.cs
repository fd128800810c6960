using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>The changes on a store file, in SQLite.</summary>
    internal sealed class SqliteEdits : ITenantEdits
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;
        private bool _secureDelete;

        public SqliteEdits(SqliteConnection connection, SqliteTransaction transaction)
        {
            _connection = connection;
            _transaction = transaction;
        }

        public long EnsureFolder(string path) => Folders.Ensure(_connection, _transaction, path);

        public long InsertGroup(string name, long folderId) => Groups.Insert(_connection, _transaction, name, folderId);

        public void RemoveGroups(IReadOnlyCollection<string> names)
        {
            using (var clear = new BulkStatement(_connection, "UPDATE students SET group_id = NULL, updated_utc = ?2 WHERE group_id = (SELECT id FROM groups WHERE name = ?1);"))
            using (var delete = new BulkStatement(_connection, "DELETE FROM groups WHERE name = ?1;")) // staff_groups rows go by ON DELETE CASCADE
            {
                clear.Bind(2, Timestamp.Now());
                foreach (var name in names)
                {
                    clear.Bind(1, name);
                    clear.Execute();
                    delete.Bind(1, name);
                    delete.Execute();
                }
            }
        }

        public void DeleteFolder(string path) => Execute("DELETE FROM folders WHERE path = $path;", ("$path", path));

        public void DeleteStaff(long staffId) => StaffTable.Delete(_connection, _transaction, staffId);

        public void SetLink(long staffId, long groupId, bool linked)
            => Execute(linked
                    ? "INSERT OR IGNORE INTO staff_groups (staff_id, group_id) VALUES ($staff, $group);"
                    : "DELETE FROM staff_groups WHERE staff_id = $staff AND group_id = $group;",
                ("$staff", staffId), ("$group", groupId));

        public void Erase(long studentId)
        {
            if (!_secureDelete) Execute("PRAGMA secure_delete = ON;"); // erased values are overwritten in the file, not only unlinked
            _secureDelete = true;
            StudentEraser.Erase(_connection, _transaction, studentId);
        }

        public Importing.IStudentWriter StudentWriter(string folder) => new Importing.StudentWriter(_connection, _transaction, folder);

        public Importing.IStaffWriter StaffWriter() => new StaffTable.Writer(_connection);

        public void MarkSeen(HashSet<long> unchanged) => Students.MarkSeen(_connection, _transaction, unchanged);

        /// <summary>
        /// Every table but the audit log emptied children first, then filled from the file parents first;
        /// foreign keys checked at commit. The file stays attached until the write's connection closes
        /// (SQLite detaches no database inside a transaction).
        /// </summary>
        public void ReplaceData(string storeFile)
        {
            Execute("ATTACH DATABASE $path AS restored;", ("$path", storeFile));
            Execute("PRAGMA defer_foreign_keys = ON;");
            var tables = TenantRestore.Tables(_connection, _transaction, "main").Where(t => t != TenantRestore.AuditTable).ToList();
            foreach (var table in Enumerable.Reverse(tables))
                Execute($"DELETE FROM main.\"{table}\";");
            foreach (var table in tables)
            {
                var columns = string.Join(", ", TenantRestore.Columns(_connection, _transaction, "main", table).Select(c => "\"" + c + "\""));
                Execute($"INSERT INTO main.\"{table}\" ({columns}) SELECT {columns} FROM restored.\"{table}\";");
            }
        }

        public void Audit(Guid runId, string action, string target, string details) => AuditLog.Write(_connection, _transaction, runId, action, target, details);

        private void Execute(string sql, params (string Name, object Value)[] parameters)
        {
            using (var command = _connection.CreateCommand())
            {
                command.Transaction = _transaction;
                command.CommandText = sql;
                foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
                command.ExecuteNonQuery();
            }
        }
    }
}
