using System;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// One operation's hold on a tenant: its transaction, either a read (one consistent view,
    /// -WhatIf) or a write (no other session changes the tenant until it ends). Core's readers and
    /// operations take it; nothing outside Core touches the store through it. Disposed without
    /// <see cref="Commit"/>, nothing is changed anywhere.
    /// </summary>
    public sealed class TenantWork : IDisposable
    {
        private readonly TenantTransaction _transaction;
        private bool _disposed;

        internal TenantWork(TenantStore store, TenantTransaction transaction, bool writes)
        {
            Store = store;
            _transaction = transaction;
            Writes = writes;
        }

        public TenantStore Store { get; }

        /// <summary>False for a read: <see cref="Commit"/> is refused.</summary>
        public bool Writes { get; }

        /// <summary>A store file's connection (a server school has none).</summary>
        internal SqliteConnection Connection => _transaction.Connection;

        /// <summary>A store file's SQLite transaction; only <see cref="Commit"/> ends it.</summary>
        internal SqliteTransaction Transaction => _transaction.Local;

        /// <summary>The queries, in the store's own SQL.</summary>
        internal ITenantQueries Queries => _transaction.Queries;

        /// <summary>The one-row changes, in the store's own SQL.</summary>
        internal ITenantEdits Edits => _transaction.Edits;

        /// <summary>Makes the changes stand.</summary>
        public void Commit()
        {
            if (!Writes) throw new InvalidOperationException("A read of the tenant cannot commit.");
            try { _transaction.Commit(); }
            catch (SqliteException e) { throw Store.Translate(e); }
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _transaction.Dispose();
        }
    }
}
