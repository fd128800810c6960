using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// Every row of a backup checked by the rules an import applies, before anything of it reaches a
    /// store: text that is valid UTF-8, at most a cell long and free of the control characters an import refuses; dates,
    /// genders and e-mail addresses as an import would store them; required names present; erased
    /// pupils empty; timestamps the store can read; keys unique and references that hold. A store
    /// restored from a backup that passes never fails later on what it holds.
    /// </summary>
    internal static class BackupRowCheck
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        /// <summary>What one column must hold; Key names the row in messages.</summary>
        private sealed class Rule
        {
            public string Column;
            public bool Required;
            public Func<string, string> Check; // the reason it is wrong, or null
        }

        /// <summary>The first problem of a backup at the store's latest schema (in <paramref name="connection"/>), as a message; null when there is none.</summary>
        public static string FirstProblem(SqliteConnection connection)
        {
            var today = DateTime.Today;
            Rule Text(string column, bool required = false) => new Rule { Column = column, Required = required };
            Rule Email(string column) => new Rule { Column = column, Check = v => Values.IsEmailAddress(v) ? null : Messages.Format("BackupNotAnEmail", Shorten(v)) };
            Rule Timestamp(string column, bool required = true) => new Rule { Column = column, Required = required, Check = IsTimestamp };
            Rule Date(string column) => new Rule { Column = column, Check = v => DateProblem(v, today) };

            var studentRules = new List<Rule> { Text("number", true) };
            foreach (var field in StudentField.All)
                studentRules.Add(field.IsDate ? Date(field.Column)
                    : field.Column == "gender" ? new Rule { Column = field.Column, Check = v => v == "M" || v == "V" || v == "X" ? null : Messages.Format("BackupNotAGender", Shorten(v)) }
                    : field.Column == "email" || field.Column == "user_name" ? Email(field.Column)
                    : Text(field.Column, field.Required));
            var kept = new[] { Timestamp("created_utc"), Timestamp("updated_utc"), Date("last_seen_date") };
            studentRules.AddRange(kept);
            var erasedRules = new[] { Text("number", true), Timestamp("erased_utc") }.Concat(kept).ToList();

            var staffRules = new List<Rule> { new Rule { Column = "user_name", Required = true, Check = v => Values.IsEmailAddress(v) ? null : Messages.Format("BackupNotAnEmail", Shorten(v)) } };
            staffRules.AddRange(StaffField.All.Select(f => f.Column == "email" ? Email(f.Column) : Text(f.Column, f.Column == "last_name")));
            staffRules.AddRange(new[] { Timestamp("created_utc"), Timestamp("updated_utc") });

            return Rows(connection, "folders", "path", new[] { Text("path") })
                ?? Rows(connection, "groups", "name", new[] { Text("name", true), Timestamp("created_utc") })
                ?? Rows(connection, "students", "number", studentRules, "erased_utc IS NULL")
                ?? Rows(connection, "students", "number", erasedRules, "erased_utc IS NOT NULL")
                ?? ErasedNotEmpty(connection)
                ?? Rows(connection, "staff", "user_name", staffRules)
                ?? Rows(connection, "staff_roles", "role", new[] { new Rule { Column = "role", Required = true, Check = v => Values.KnownRoles.Contains(v) ? null : Messages.Format("BackupNotARole", Shorten(v)) } })
                ?? Duplicate(connection, "students", "number", "")
                ?? Duplicate(connection, "groups", "name", " COLLATE NOCASE")
                ?? Duplicate(connection, "folders", "path", " COLLATE NOCASE")
                ?? Duplicate(connection, "staff", "user_name", " COLLATE NOCASE")
                ?? Duplicate(connection, "staff", "code", " COLLATE NOCASE")
                ?? DuplicateLink(connection, "staff_roles", "staff_id", "role")
                ?? DuplicateLink(connection, "staff_groups", "staff_id", "group_id")
                ?? BrokenReference(connection)
                ?? AgainstTheStoresSchema(connection);
        }

        /// <summary>
        /// The store's own constraints, which a backup's schema need not declare (its text can be changed by hand): a value
        /// missing where the store's schema requires one, a reference to a row the backup lacks. The first, by table, row id
        /// and column; the audit log is not restored.
        /// </summary>
        private static string AgainstTheStoresSchema(SqliteConnection connection)
        {
            using (var expected = new SqliteConnection("Data Source=:memory:"))
            {
                expected.Open();
                foreach (var migration in Schema.Migrations) TenantStore.Execute(expected, migration);
                foreach (var table in TenantRestore.Tables(expected, null, "main").Where(t => t != TenantRestore.AuditTable))
                {
                    foreach (var column in Strings(expected, $"SELECT name FROM pragma_table_info('{table}') WHERE \"notnull\" ORDER BY cid;"))
                    {
                        var id = TenantStore.Scalar(connection, $"SELECT rowid FROM \"{table}\" WHERE \"{column}\" IS NULL ORDER BY rowid LIMIT 1;");
                        if (id != null) return Messages.Format("BackupRowProblem", table, Messages.Format("BackupRowById", id), column, Messages.Get("BackupValueMissing"));
                    }
                    foreach (var reference in Strings(expected, $"SELECT \"table\" || '.' || \"to\" || '.' || \"from\" FROM pragma_foreign_key_list('{table}') ORDER BY id, seq;"))
                    {
                        var parts = reference.Split('.');
                        var id = TenantStore.Scalar(connection, $"SELECT rowid FROM \"{table}\" WHERE \"{parts[2]}\" IS NOT NULL AND \"{parts[2]}\" NOT IN (SELECT \"{parts[1]}\" FROM \"{parts[0]}\") ORDER BY rowid LIMIT 1;");
                        if (id != null) return Messages.Format("BackupBrokenReference", table, id, parts[0]);
                    }
                }
            }
            return null;
        }

        private static List<string> Strings(SqliteConnection connection, string sql) => TenantRestore.Strings(connection, null, sql);

        private static string DuplicateLink(SqliteConnection connection, string table, string first, string second)
        {
            var value = TenantStore.Scalar(connection, $"SELECT {first} || ', ' || {second} FROM \"{table}\" GROUP BY {first}, {second} HAVING count(*) > 1 LIMIT 1;");
            return value == null ? null : Messages.Format("BackupDuplicate", table, first + ", " + second, Shorten(Convert.ToString(value, CultureInfo.InvariantCulture)));
        }

        /// <summary>Each row's text columns as UTF-8 bytes, checked; the row is named by its key column, or its id when the key itself is wrong.</summary>
        private static string Rows(SqliteConnection connection, string table, string key, IReadOnlyList<Rule> rules, string where = "1")
        {
            var keyIndex = rules.ToList().FindIndex(r => r.Column == key);
            using (var command = connection.CreateCommand())
            {
                command.CommandText = $"SELECT rowid, {string.Join(", ", rules.Select(r => $"CAST({r.Column} AS BLOB)"))} FROM \"{table}\" WHERE {where} ORDER BY rowid;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                    {
                        string keyText = null;
                        for (int i = 0; i < rules.Count; i++)
                        {
                            var rule = rules[i];
                            var bytes = reader.IsDBNull(i + 1) ? null : (byte[])reader.GetValue(i + 1);
                            var problem = Problem(rule, bytes, out var text);
                            if (i == keyIndex && problem == null) keyText = text;
                            if (problem != null)
                            {
                                var row = keyText != null && i != keyIndex ? Messages.Format("BackupRowByKey", key, keyText) : Messages.Format("BackupRowById", reader.GetInt64(0));
                                return Messages.Format("BackupRowProblem", table, row, rule.Column, problem);
                            }
                        }
                    }
            }
            return null;
        }

        private static string Problem(Rule rule, byte[] bytes, out string text)
        {
            text = null;
            if (bytes == null || bytes.Length == 0) return rule.Required ? Messages.Get("BackupValueMissing") : null;
            try { text = StrictUtf8.GetString(bytes); }
            catch (DecoderFallbackException) { return Messages.Get("BackupNotUtf8"); }
            if (text.Length > ExcelLimits.MaxCellCharacters)
                return Messages.Format("BackupValueTooLong", text.Length, ExcelLimits.MaxCellCharacters);
            Values.Nfc(text, out var control); // the import's own rule: tab and line breaks are text a cell may hold
            if (control != null) return Messages.Format("BackupControlCharacter", ((int)control.Value).ToString("X4", CultureInfo.InvariantCulture));
            return rule.Check?.Invoke(text);
        }

        private static string IsTimestamp(string text)
            => DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _) ? null : Messages.Format("BackupNotATimestamp", Shorten(text));

        /// <summary>A stored date is yyyy-MM-dd, a real day, from 1900 to today (as an import takes a birth date).</summary>
        private static string DateProblem(string text, DateTime today)
        {
            if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return Messages.Format("BackupNotADate", Shorten(text));
            return date < Values.EarliestBirthDate || date > today ? Messages.Format("BackupImplausibleDate", text) : null;
        }

        private static string ErasedNotEmpty(SqliteConnection connection)
        {
            var kept = string.Join(" OR ", StudentField.All.Select(f => $"coalesce({f.Column}, '') <> ''").Concat(new[] { "group_id IS NOT NULL" }));
            var number = TenantStore.Scalar(connection, $"SELECT number FROM students WHERE erased_utc IS NOT NULL AND ({kept}) ORDER BY rowid LIMIT 1;");
            return number == null ? null : Messages.Format("BackupErasedNotEmpty", number);
        }

        private static string Duplicate(SqliteConnection connection, string table, string column, string collation)
        {
            var value = TenantStore.Scalar(connection, $"SELECT {column} FROM \"{table}\" WHERE {column} IS NOT NULL GROUP BY {column}{collation} HAVING count(*) > 1 LIMIT 1;");
            return value == null ? null : Messages.Format("BackupDuplicate", table, column, Shorten(Convert.ToString(value, CultureInfo.InvariantCulture)));
        }

        private static string BrokenReference(SqliteConnection connection)
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA foreign_key_check;";
                using (var reader = command.ExecuteReader())
                    return reader.Read() ? Messages.Format("BackupBrokenReference", reader.GetString(0), reader.GetInt64(1), reader.GetString(2)) : null;
            }
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "...";
    }
}
