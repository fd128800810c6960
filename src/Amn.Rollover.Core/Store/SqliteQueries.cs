using System;
using System.Collections.Generic;
using Amn.Rollover.Core.Model;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>The queries on an SQLite store: a store file.</summary>
    internal sealed class SqliteQueries : ITenantQueries
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;

        public SqliteQueries(SqliteConnection connection, SqliteTransaction transaction)
        {
            _connection = connection;
            _transaction = transaction;
        }

        public IEnumerable<Student> Students(ICollection<string> numbers, ICollection<string> groups, bool withoutGroup, DateTime? notSeenSince)
            => Store.Students.Query(_connection, numbers, groups, withoutGroup, notSeenSince, _transaction);

        public string NumberWithLeadingZeros(string number) => Store.Students.WithLeadingZeros(_connection, number, _transaction);

        public List<Group> Groups() => Store.Groups.List(_connection, _transaction);

        public List<Folder> Folders() => Store.Groups.ListFolders(_connection, _transaction);

        public Group FindGroup(string name) => Groups().Find(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

        public Dictionary<string, long> GroupIds() => Store.Groups.LoadIds(_connection, _transaction);

        public bool FolderExists(string path) => Store.Folders.Find(_connection, _transaction, path) != null;

        public Dictionary<string, StaffTable.Row> Staff() => StaffTable.LoadAll(_connection, _transaction);

        public IEnumerable<AuditEntry> AuditLog(Guid? runId, DateTime? since, string action) => AuditEntry.Query(_connection, runId, since, action, _transaction);

        public Dictionary<string, StudentEraser.Candidate> ErasureCandidates(IEnumerable<string> numbers) => StudentEraser.Find(_connection, _transaction, numbers);

        public Dictionary<string, (long Id, string ErasedUtc)> Erasures() => StudentEraser.Erasures(_connection, _transaction);

        public Importing.StoredStudents StoredStudents() => Importing.StoredStudents.Load(_connection, _transaction);

        public string Fingerprint() => TenantFingerprint.Compute(_connection, _transaction);

        public (long Students, long Groups, long Staff) Counts()
            => (Count("students WHERE erased_utc IS NULL"), Count("groups"), Count("staff"));

        private long Count(string table) => Convert.ToInt64(TenantStore.Scalar(_connection, $"SELECT count(*) FROM {table};", _transaction));
    }
}
