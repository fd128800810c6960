using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Model;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover.Core.Store
{
    /// <summary>
    /// Erases pupils' personal data on request or after they left (AVG/GDPR): names, birth date,
    /// gender, e-mail, username, crebo and group membership go; the number stays with the erasure
    /// date, so AMN's rule that a number is never reused still holds (a later import of it fails
    /// with NumberErased). The audit log records the number only.
    /// </summary>
    public static class StudentEraser
    {
        /// <summary>A stored pupil as an erasure sees it.</summary>
        public sealed class Candidate
        {
            public long Id;
            public string Number;
            public string Group;
            public DateTime? Erased;
        }

        /// <summary>More than this share of the tenant's pupils erased in one invocation needs -Force.</summary>
        public const double MaxShare = 0.25;

        /// <summary>The stored pupils with these numbers (erased ones included, with their date), by number.</summary>
        public static Dictionary<string, Candidate> Find(TenantWork work, IEnumerable<string> numbers) => Find(work.Connection, work.Transaction, numbers);

        /// <summary>The error when erasing <paramref name="count"/> pupils is more than <see cref="MaxShare"/> of those present; else null.</summary>
        public static AmnException LimitExceeded(TenantWork work, int count)
        {
            var present = PresentCount(work.Connection, work.Transaction);
            if (!SafetyLimits.Exceeds(count, present, MaxShare)) return null;
            return new AmnException("TooManyStudentsErased", AmnErrorCategory.LimitsExceeded,
                Messages.Format("StudentEraseLimit", count, present, work.Store.Path, 100.0 * count / present, MaxShare), count);
        }

        /// <summary>What erasing the pupils would do (-WhatIf).</summary>
        public static List<StudentErasure> WhatIf(IEnumerable<Candidate> pupils)
            => pupils.Select(p => new StudentErasure { Number = p.Number, WhatIf = true }).ToList();

        /// <summary>
        /// Erases the pupils' personal data in <paramref name="work"/> and commits it, each with an
        /// audit entry; then overwrites what the store file holds of them from earlier writes too (free
        /// pages, old row versions, the write-ahead log), whatever the file's history. Then prunes the automatic backups past their age: the
        /// result says until when the newest left still holds the data.
        /// </summary>
        public static List<StudentErasure> Erase(TenantWork work, Guid runId, IReadOnlyCollection<Candidate> pupils)
        {
            TenantStore.Execute(work.Connection, "PRAGMA secure_delete = ON;", work.Transaction);
            Erase(work.Connection, work.Transaction, runId, pupils);
            work.Commit();
            var erased = DateTime.Now;
            work.Store.ScrubFreedSpace(work.Connection);
            work.Store.PruneAutomaticBackups();
            var heldUntil = work.Store.NewestAutomaticBackup()?.DeletedAfter;
            return pupils.Select(p => new StudentErasure { Number = p.Number, Erased = erased, BackupsHoldDataUntil = heldUntil }).ToList();
        }

        /// <summary>The stored pupils with these numbers (erased ones included, with their date), by number.</summary>
        internal static Dictionary<string, Candidate> Find(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<string> numbers)
        {
            var found = new Dictionary<string, Candidate>(StringComparer.Ordinal);
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT s.id, s.number, g.name, s.erased_utc FROM students s LEFT JOIN groups g ON g.id = s.group_id WHERE s.number = $n;";
                var parameter = command.Parameters.Add("$n", SqliteType.Text);
                foreach (var number in numbers)
                {
                    parameter.Value = number;
                    using (var reader = command.ExecuteReader())
                        if (reader.Read())
                            found[number] = new Candidate
                            {
                                Id = reader.GetInt64(0), Number = reader.GetString(1), Group = reader.IsDBNull(2) ? null : reader.GetString(2),
                                Erased = reader.IsDBNull(3) ? (DateTime?)null : DateTime.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal).ToLocalTime(),
                            };
                }
            }
            return found;
        }

        /// <summary>How many pupils the tenant holds that are not erased: the base of the erasure limit.</summary>
        internal static long PresentCount(SqliteConnection connection, SqliteTransaction transaction)
            => Convert.ToInt64(TenantStore.Scalar(connection, "SELECT count(*) FROM students WHERE erased_utc IS NULL;", transaction));

        /// <summary>The SET list of an erasure: every personal field empty (a required one '', others NULL), no group.</summary>
        internal static readonly string ErasedValues = string.Join(", ", StudentField.All.Select(f => f.Column + (f.Required ? " = ''" : " = NULL"))) + ", group_id = NULL";

        internal static void Erase(SqliteConnection connection, SqliteTransaction transaction, Guid runId, IEnumerable<Candidate> pupils)
        {
            var now = Timestamp.Now();
            using (var erase = new BulkStatement(connection,
                $"UPDATE students SET {ErasedValues}, updated_utc = ?2, erased_utc = ?2 WHERE id = ?1 AND erased_utc IS NULL;"))
            {
                erase.Bind(2, now);
                foreach (var pupil in pupils)
                {
                    erase.Bind(1, pupil.Id);
                    erase.Execute();
                    AuditLog.Write(connection, transaction, runId, "EraseStudent", pupil.Number, Messages.Get("PupilErasedNote"));
                }
            }
        }
    }
}
