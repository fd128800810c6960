using System;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>Who changed what, when, and in which run. One row per change the user asked for.</summary>
    public static class AuditLog
    {
        internal static void Write(SqliteConnection connection, SqliteTransaction transaction, Guid runId, string action, string target, string details)
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO audit_log (run_id, at_utc, user, machine, action, target, details) VALUES ($run, $at, $user, $machine, $action, $target, $details);";
                command.Parameters.AddWithValue("$run", runId.ToString());
                command.Parameters.AddWithValue("$at", DateTime.UtcNow.ToString("o"));
                command.Parameters.AddWithValue("$user", CurrentUser());
                command.Parameters.AddWithValue("$machine", Environment.MachineName);
                command.Parameters.AddWithValue("$action", action);
                command.Parameters.AddWithValue("$target", (object)Fit(target) ?? DBNull.Value);
                command.Parameters.AddWithValue("$details", (object)Fit(details) ?? DBNull.Value);
                command.ExecuteNonQuery();
            }
        }

        /// <summary>An entry's text at most a cell long, as every value read back from a store must be (a list of 20 long group names could pass it).</summary>
        internal static string Fit(string text)
            => text == null || text.Length <= StoredValues.MaxCharacters ? text : text.Substring(0, StoredValues.MaxCharacters - 3) + "...";

        internal static string CurrentUser()
        {
            var domain = Environment.UserDomainName;
            var user = Environment.UserName;
            return string.IsNullOrEmpty(domain) || string.Equals(domain, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
                ? user
                : domain + "\\" + user;
        }
    }
}
