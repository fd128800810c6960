using System;
using System.IO;
using Npgsql;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>What the server reports during an operation, as errors naming the database and server (never the password or the server's own text).</summary>
    internal static class PostgresErrors
    {
        /// <summary>lock_not_available: a NOWAIT lock was taken, or lock_timeout passed.</summary>
        public const string LockNotAvailable = "55P03";

        public static T Guard<T>(string database, string server, Func<T> work)
        {
            try { return work(); }
            catch (PostgresException e) { throw Translate(e, database, server); }
            catch (Exception e) when (e is NpgsqlException || e is IOException || e is TimeoutException)
            {
                throw new AmnException("TenantConnectionLost", AmnErrorCategory.ConnectionError,
                    Messages.Format("ServerConnectionLost", database, server), database, e);
            }
        }

        public static void Guard(string database, string server, Action work) => Guard(database, server, () => { work(); return true; });

        private static AmnException Translate(PostgresException e, string database, string server)
        {
            switch (e.SqlState)
            {
                case "42501": // insufficient_privilege, also a row the policies refuse
                    return new AmnException("TenantAccessDenied", AmnErrorCategory.PermissionDenied,
                        Messages.Format("ServerAccessDenied", database, server), database, e);
                case "57P01": case "57P02": case "57P03": case "08006": case "08003":
                    return new AmnException("TenantConnectionLost", AmnErrorCategory.ConnectionError,
                        Messages.Format("ServerShuttingDown", database, server), database, e);
                case "57014": // query_canceled: statement_timeout, or pg_cancel_backend
                    return new AmnException("TenantCommandCancelled", AmnErrorCategory.ConnectionError,
                        Messages.Format("ServerCancelled", database, server), database, e);
                case LockNotAvailable: // lock_timeout, the busy timeout: a lock held by hand on the school's tables
                    return new AmnException("TenantBusy", AmnErrorCategory.ResourceBusy,
                        Messages.Format("ServerLockTimeout", database, server), database, e);
                case "53100":
                    return new AmnException("TenantDiskFull", AmnErrorCategory.WriteError,
                        Messages.Format("ServerDiskFull", database, server), database, e);
                default:
                    return new AmnException("TenantError", AmnErrorCategory.InvalidOperation,
                        Messages.Format("ServerRefused", database, server, e.SqlState), database, e);
            }
        }
    }
}
