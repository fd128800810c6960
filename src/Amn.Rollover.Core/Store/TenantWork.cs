using System;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// One operation's hold on a tenant: a connection and its transaction, either a read (one
    /// consistent view, -WhatIf) or a write (no other session changes the tenant until it ends).
    /// Core's readers and operations take it; nothing outside Core touches the connection. Disposed
    /// without <see cref="Commit"/>, nothing is changed anywhere.
    /// </summary>
    public sealed class TenantWork : IDisposable
    {
        private readonly TenantTransaction _transaction;
        private bool _disposed;

        internal TenantWork(TenantStore store, SqliteConnection connection, TenantTransaction transaction, bool writes)
        {
            Store = store;
            Connection = connection;
            _transaction = transaction;
            Writes = writes;
        }

        public TenantStore Store { get; }

        /// <summary>False for a read: <see cref="Commit"/> is refused.</summary>
        public bool Writes { get; }

        internal SqliteConnection Connection { get; }

        /// <summary>The SQLite transaction the statements run in; only <see cref="Commit"/> ends it.</summary>
        internal SqliteTransaction Transaction => _transaction.Local;

        /// <summary>Makes the changes stand (on a school board's server: writes them there).</summary>
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
            try { _transaction.Dispose(); }
            finally { Connection.Dispose(); }
        }
    }
}
