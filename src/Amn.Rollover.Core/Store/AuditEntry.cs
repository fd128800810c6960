using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>One change recorded in the audit log.</summary>
    public sealed class AuditEntry
    {
        /// <summary>The audit log, newest first, filtered by run, time and action (a wildcard pattern).</summary>
        public static IEnumerable<AuditEntry> Query(TenantWork work, Guid? runId = null, DateTime? since = null, string action = null)
            => work.Queries.AuditLog(runId, since, action);

        public long Id { get; internal set; }
        /// <summary>When, in local time.</summary>
        public DateTime Time { get; internal set; }
        public string User { get; internal set; }
        /// <summary>The computer the change was made from.</summary>
        public string Machine { get; internal set; }
        public string Action { get; internal set; }
        public string Target { get; internal set; }
        public string Details { get; internal set; }
        /// <summary>Shared by every entry of one import, removal or rollover.</summary>
        public Guid RunId { get; internal set; }

        /// <summary>Entries newest first, optionally of one run, since a moment, or with one action.</summary>
        internal static IEnumerable<AuditEntry> Query(SqliteConnection connection, Guid? runId = null, DateTime? since = null, string action = null, SqliteTransaction transaction = null)
        {
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                var where = new List<string>();
                if (runId.HasValue) { where.Add("run_id = $run"); command.Parameters.AddWithValue("$run", runId.Value.ToString()); }
                if (since.HasValue) { where.Add("at_utc >= $since"); command.Parameters.AddWithValue("$since", since.Value.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture)); }
                if (action != null) { where.Add("action = $action COLLATE NOCASE"); command.Parameters.AddWithValue("$action", action); }
                command.CommandText = "SELECT id, at_utc, user, action, target, details, run_id, machine FROM audit_log" +
                                      (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY id DESC;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                        yield return new AuditEntry
                        {
                            Id = reader.GetInt64(0),
                            Time = DateTime.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToLocalTime(),
                            User = StoredValues.Text(reader, 2, connection, TenantRestore.AuditTable, "user", null, reader.GetInt64(0)),
                            Action = StoredValues.Text(reader, 3, connection, TenantRestore.AuditTable, "action", null, reader.GetInt64(0)),
                            Target = StoredValues.Text(reader, 4, connection, TenantRestore.AuditTable, "target", null, reader.GetInt64(0)),
                            Details = StoredValues.Text(reader, 5, connection, TenantRestore.AuditTable, "details", null, reader.GetInt64(0)),
                            RunId = Guid.Parse(reader.GetString(6)),
                            Machine = StoredValues.Text(reader, 7, connection, TenantRestore.AuditTable, "machine", null, reader.GetInt64(0)),
                        };
            }
        }
    }
}
