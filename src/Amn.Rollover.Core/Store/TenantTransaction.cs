using System;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// The transaction of one operation on a tenant. Operations work in SQL on the tenant's SQLite
    /// connection; on a school board's server that connection holds the school's working copy, and
    /// <see cref="Commit"/> writes it to the server in the server's transaction, which holds the
    /// school's lock until then. Disposed without a commit, nothing is changed anywhere.
    /// </summary>
    internal sealed class TenantTransaction : IDisposable
    {
        private readonly Action _publish;
        private readonly IDisposable _held;
        private readonly Action _committed;

        internal TenantTransaction(SqliteTransaction local, Action publish = null, IDisposable held = null, Action committed = null)
        {
            Local = local;
            _publish = publish;
            _held = held;
            _committed = committed;
        }

        /// <summary>The SQLite transaction the operation's statements run in; commit through this class, never on it.</summary>
        internal SqliteTransaction Local { get; }

        public void Commit()
        {
            _publish?.Invoke();
            Local.Commit();
            _committed?.Invoke();
        }

        public void Dispose()
        {
            try { Local.Dispose(); }
            finally { _held?.Dispose(); }
        }
    }
}
