using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Amn.Rollover.Core.Store;
using Xunit;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>Writers of one school take the school's lock in the order they asked for it.</summary>
    public sealed partial class PostgresIsolationTests
    {
        [SkippableFact]
        public void Twenty_writers_of_one_school_get_the_lock_in_the_order_they_arrived_and_none_is_busy()
        {
            CreateBoard();
            const int count = 20;
            var order = new ConcurrentQueue<int>();
            var failures = new ConcurrentQueue<string>();
            var writers = new List<Thread>();
            var holder = TenantStore.OpenSchool(Alice, "School A");
            using (holder.BeginWrite())
            {
                for (var i = 1; i <= count; i++)
                {
                    var n = i;
                    var writer = new Thread(() =>
                    {
                        try
                        {
                            var school = TenantStore.OpenSchool(Alice, "School A");
                            school.BusyTimeout = TimeSpan.FromMinutes(10); // longer than any wait here; a TenantBusy is a failure
                            school.Write(work =>
                            {
                                order.Enqueue(n);
                                return work.Edits.InsertGroup($"G{n}", work.Edits.EnsureFolder(""));
                            });
                        }
                        catch (AmnException e) { failures.Enqueue($"writer {n}: {e.ErrorId} {e.Message}"); }
                    });
                    writer.Start();
                    writers.Add(writer);
                    // The next writer arrives only once this one is seen waiting for the lock.
                    while (WaitingForALock() < n && writer.IsAlive) Thread.Sleep(10);
                    Assert.True(writer.IsAlive, $"writer {n} ended before the lock was released: {string.Join("; ", failures)}");
                }
                Assert.Empty(order);
            } // the holder's write ends, not committed: the lock goes to the first in the queue
            writers.ForEach(t => t.Join());
            Assert.Empty(failures);
            Assert.Equal(Enumerable.Range(1, count), order);
            Assert.Equal((long)count, Scalar(Alice, "SELECT count(*) FROM groups;"));
        }

        /// <summary>The sessions of this test's database that wait for a lock (a row's, a transaction's, a table's).</summary>
        private long WaitingForALock()
            => (long)Scalar(Owner, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock';");
    }
}
