using System;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// The transaction of one operation on a tenant. Queries and changes go to the store in its own SQL
    /// (<see cref="Queries"/>, <see cref="Edits"/>): on a store file SQLite on <see cref="Local"/>, on a school
    /// board's server PostgreSQL in the server's transaction, which holds the school's lock. Disposed without
    /// a commit, nothing is changed anywhere.
    /// </summary>
    internal sealed class TenantTransaction : IDisposable
    {
        private readonly SqliteTransaction _local;
        private readonly SqliteConnection _connection;
        private readonly Action _commit;
        private readonly IDisposable _held;
        private readonly bool _ownsConnection;

        /// <summary>A store file's transaction.</summary>
        internal TenantTransaction(SqliteTransaction local, bool ownsConnection = false)
        {
            _local = local;
            _connection = local.Connection;
            _commit = local.Commit;
            _ownsConnection = ownsConnection;
            Queries = new SqliteQueries(_connection, local);
            Edits = new SqliteEdits(_connection, local);
        }

        /// <summary>A server school's transaction: <paramref name="commit"/> commits it, disposing <paramref name="held"/> ends it.</summary>
        internal TenantTransaction(ITenantQueries queries, ITenantEdits edits, Action commit, IDisposable held)
        {
            Queries = queries;
            Edits = edits;
            _commit = commit;
            _held = held;
        }

        /// <summary>A store file's SQLite transaction; commit through this class, never on it. None on a server school.</summary>
        internal SqliteTransaction Local => _local ?? throw new InvalidOperationException("A school on a server has no SQLite transaction.");

        /// <summary>The connection of <see cref="Local"/>, also after the commit.</summary>
        internal SqliteConnection Connection => _connection ?? throw new InvalidOperationException("A school on a server has no SQLite connection.");

        internal ITenantQueries Queries { get; }

        /// <summary>The changes; null in a read of a server school.</summary>
        internal ITenantEdits Edits { get; }

        public void Commit() => _commit();

        public void Dispose()
        {
            try { _local?.Dispose(); }
            finally
            {
                try { if (_ownsConnection) _connection?.Dispose(); }
                finally { _held?.Dispose(); }
            }
        }
    }
}
