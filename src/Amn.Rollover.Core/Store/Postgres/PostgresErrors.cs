using System;
using System.IO;
using Npgsql;

namespace Amn.Rollover.Core.Store.Postgres
{
    /// <summary>What the server reports during an operation, as errors naming the database and server (never the password or the server's own text).</summary>
    internal static class PostgresErrors
    {
        public static T Guard<T>(string database, string server, Func<T> work)
        {
            try { return work(); }
            catch (PostgresException e) { throw Translate(e, database, server); }
            catch (Exception e) when (e is NpgsqlException || e is IOException || e is TimeoutException)
            {
                throw new AmnException("TenantConnectionLost", AmnErrorCategory.ConnectionError,
                    $"The connection to database '{database}' on '{server}' was lost during the command. Nothing was changed: the server undoes an unfinished change. Run the command again when the server can be reached.", database, e);
            }
        }

        public static void Guard(string database, string server, Action work) => Guard(database, server, () => { work(); return true; });

        private static AmnException Translate(PostgresException e, string database, string server)
        {
            switch (e.SqlState)
            {
                case "42501": // insufficient_privilege, also a row the policies refuse
                    return new AmnException("TenantAccessDenied", AmnErrorCategory.PermissionDenied,
                        $"The PostgreSQL server refused this user access to the school's data in database '{database}' on '{server}' (a role without the rights the board's set-up gives, see the README). Nothing was changed.", database, e);
                case "57P01": case "57P02": case "57P03": case "08006": case "08003":
                    return new AmnException("TenantConnectionLost", AmnErrorCategory.ConnectionError,
                        $"The PostgreSQL server of database '{database}' on '{server}' ended the connection during the command (it is shutting down or restarting). Nothing was changed: the server undoes an unfinished change. Run the command again later.", database, e);
                case "53100":
                    return new AmnException("TenantDiskFull", AmnErrorCategory.WriteError,
                        $"The PostgreSQL server of database '{database}' on '{server}' is out of disk space. Nothing was changed; ask the server's administrator to free space.", database, e);
                default:
                    return new AmnException("TenantError", AmnErrorCategory.InvalidOperation,
                        $"The PostgreSQL server of database '{database}' on '{server}' refused the command (SQLSTATE {e.SqlState}). Nothing was changed.", database, e);
            }
        }
    }
}
