using System;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// The transaction of one operation on a tenant. Queries and changes go to the store in its own SQL
    /// (<see cref="Queries"/>, <see cref="Edits"/>); on a store file that is SQLite on <see cref="Local"/>.
    /// On a school board's server no operation of the module asks for <see cref="Local"/> but a restore
    /// (which brings a connection of its own); if asked, it is the school's working copy, made from this
    /// transaction's snapshot, and <see cref="Commit"/> writes what changed in it to the server in the
    /// server's transaction, which holds the school's lock until then. Disposed without a commit, nothing
    /// is changed anywhere.
    /// </summary>
    internal sealed class TenantTransaction : IDisposable
    {
        private readonly Func<SqliteTransaction> _beginLocal;
        private readonly Action _publish;
        private readonly IDisposable _held;
        private readonly Action _committed;
        private readonly bool _ownsConnection;
        private readonly ITenantQueries _serverQueries;
        private readonly ITenantEdits _serverEdits;
        private SqliteTransaction _local;
        private SqliteConnection _connection;
        private ITenantQueries _localQueries;
        private ITenantEdits _localEdits;

        internal TenantTransaction(SqliteTransaction local, Action publish = null, IDisposable held = null, Action committed = null, bool ownsConnection = false)
        {
            _local = local;
            _connection = local.Connection;
            _publish = publish;
            _held = held;
            _committed = committed;
            _ownsConnection = ownsConnection;
        }

        /// <summary>
        /// A server school's transaction: queries and edits go to the server until an operation asks
        /// for the SQLite view, which <paramref name="beginLocal"/> then makes (on a connection of this
        /// transaction's own); from there on both go to that view, as every change since is there.
        /// </summary>
        internal TenantTransaction(ITenantQueries queries, ITenantEdits edits, Func<SqliteTransaction> beginLocal, IDisposable held, Action publish = null, Action committed = null)
        {
            _serverQueries = queries;
            _serverEdits = edits;
            _beginLocal = beginLocal;
            _held = held;
            _publish = publish;
            _committed = committed;
            _ownsConnection = true;
        }

        /// <summary>The SQLite transaction the operation's statements run in; commit through this class, never on it.</summary>
        internal SqliteTransaction Local
        {
            get
            {
                if (_local == null)
                {
                    _local = _beginLocal();
                    _connection = _local.Connection;
                }
                return _local;
            }
        }

        /// <summary>The connection of <see cref="Local"/>, also after the commit.</summary>
        internal SqliteConnection Connection
        {
            get
            {
                _ = Local; // made when first asked for
                return _connection;
            }
        }

        internal ITenantQueries Queries => _local == null && _serverQueries != null ? _serverQueries : _localQueries ?? (_localQueries = new SqliteQueries(Connection, Local));

        internal ITenantEdits Edits => _local == null && _serverEdits != null ? _serverEdits : _localEdits ?? (_localEdits = new SqliteEdits(Connection, Local));

        public void Commit()
        {
            _publish?.Invoke();
            _local?.Commit();
            _committed?.Invoke();
        }

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
