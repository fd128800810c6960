using System;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// One change of a tenant as every command that changes it makes it: plan, confirm, apply. A plan the
    /// user is asked about is made on a read, so no lock is held while the question stays open; applying
    /// it then takes the lock, refuses when another session changed the tenant since the plan
    /// (TenantChangedWhileAsked, nothing changed), takes the automatic backup inside the lock, applies and
    /// commits. A plan nobody is asked about is made under the lock it is applied in. Disposed without
    /// <see cref="Apply{T}"/>, nothing is changed.
    /// </summary>
    public sealed class PlannedChange : IDisposable
    {
        private readonly TenantStore _store;
        private readonly Confirmation _confirmation;
        private readonly Action<string> _waiting;
        private readonly IChangeWatch _watch;
        private TenantWork _write;
        private bool _applied;

        private PlannedChange(TenantStore store, Confirmation confirmation, Action<string> waiting)
        {
            _store = store;
            _confirmation = confirmation;
            _waiting = waiting;
            if (confirmation == Confirmation.NotAsked)
            {
                Plan = store.BeginWrite(waiting);
                return;
            }
            // Watched from before the plan's read begins: a change committed at any time after that counts.
            if (confirmation == Confirmation.Asked) _watch = store.WatchChanges();
            try { Plan = store.BeginRead(); }
            catch
            {
                _watch?.Dispose();
                throw;
            }
        }

        /// <summary>Begins the change: <see cref="Plan"/> is open to plan on. <paramref name="waiting"/> is told while another session holds the lock.</summary>
        public static PlannedChange Begin(TenantStore store, Confirmation confirmation, Action<string> waiting = null)
            => new PlannedChange(store, confirmation, waiting);

        /// <summary>What to plan on: a read, or (nobody asked) the write the change is applied in.</summary>
        public TenantWork Plan { get; }

        public bool IsWhatIf => _confirmation == Confirmation.WhatIf;

        /// <summary>
        /// Applies the confirmed plan and commits. With <paramref name="backup"/>, an automatic backup is taken first, inside
        /// the lock, and its path handed to <paramref name="backedUp"/>; <paramref name="afterCommit"/> runs on the write
        /// once it has committed (an erasure's scrub).
        /// </summary>
        public T Apply<T>(Func<TenantWork, T> apply, bool backup = false, Action<string> backedUp = null, Action<TenantWork> afterCommit = null)
        {
            if (IsWhatIf) throw new InvalidOperationException("A plan made for -WhatIf cannot be applied.");
            if (_applied) throw new InvalidOperationException("A planned change is applied once.");
            _applied = true;
            var write = LockAsPlanned();
            if (backup) backedUp?.Invoke(_store.AutomaticBackup());
            T result;
            try { result = apply(write); }
            catch (SqliteException e) { throw _store.Translate(e); }
            write.Commit();
            afterCommit?.Invoke(write);
            return result;
        }

        /// <summary>The write to apply in: the plan's own when nobody was asked; otherwise the lock taken now, on a tenant the watch saw unchanged.</summary>
        private TenantWork LockAsPlanned()
        {
            if (_confirmation == Confirmation.NotAsked) return Plan;
            Plan.Dispose();
            _write = _store.BeginWrite(_waiting);
            if (_watch.ChangedSinceStart())
                throw new AmnException("TenantChangedWhileAsked", AmnErrorCategory.InvalidOperation, Messages.Format("TenantChangedWhileAsked", _store.Path), _store.Path);
            return _write;
        }

        public void Dispose()
        {
            try
            {
                _write?.Dispose();
                Plan.Dispose();
            }
            finally { _watch?.Dispose(); }
        }
    }
}
