using System;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>The one-row changes on an SQLite store: a store file, or a server school's working copy once a write has made it.</summary>
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

        public void SetLink(long staffId, long groupId, bool linked)
        {
            using (var writer = new StaffTable.Writer(_connection))
            {
                if (linked) writer.AddLink(staffId, groupId);
                else writer.RemoveLink(staffId, groupId);
            }
        }

        public void Erase(long studentId)
        {
            if (!_secureDelete) TenantStore.Execute(_connection, "PRAGMA secure_delete = ON;", _transaction); // erased values are overwritten in the file, not only unlinked
            _secureDelete = true;
            StudentEraser.Erase(_connection, _transaction, studentId);
        }

        public void Audit(Guid runId, string action, string target, string details) => AuditLog.Write(_connection, _transaction, runId, action, target, details);
    }
}
