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
        public static Dictionary<string, Candidate> Find(TenantWork work, IEnumerable<string> numbers) => work.Queries.ErasureCandidates(numbers);

        /// <summary>The error when erasing <paramref name="count"/> pupils is more than <see cref="MaxShare"/> of those present; else null.</summary>
        public static AmnException LimitExceeded(TenantWork work, int count)
        {
            var present = work.Queries.Counts().Students;
            if (!SafetyLimits.Exceeds(count, present, MaxShare)) return null;
            return new AmnException("TooManyStudentsErased", AmnErrorCategory.LimitsExceeded,
                Messages.Format("StudentEraseLimit", count, present, work.Store.Path, 100.0 * count / present, MaxShare), count);
        }

        /// <summary>What erasing the pupils would do (-WhatIf).</summary>
        public static List<StudentErasure> WhatIf(IEnumerable<Candidate> pupils)
            => pupils.Select(p => new StudentErasure { Number = p.Number, Group = p.Group, WhatIf = true }).ToList();

        /// <summary>
        /// Erases the pupils' personal data in <paramref name="work"/> and commits it, each with an
        /// audit entry; then overwrites what the store file holds of them from earlier writes too (free
        /// pages, old row versions, the write-ahead log), whatever the file's history. Then prunes the automatic backups past their age: the
        /// result says until when the newest left still holds the data.
        /// </summary>
        public static List<StudentErasure> Erase(PlannedChange change, Guid runId, IReadOnlyCollection<Candidate> pupils)
        {
            var erased = default(DateTime);
            change.Apply(work =>
            {
                foreach (var pupil in pupils)
                {
                    work.Edits.Erase(pupil.Id);
                    work.Edits.Audit(runId, "EraseStudent", pupil.Number, Messages.Get("PupilErasedNote"));
                }
                return true;
            }, afterCommit: work =>
            {
                erased = DateTime.Now;
                work.Store.ScrubFreedSpace(work);
                work.Store.PruneAutomaticBackups();
            });
            var heldUntil = change.Plan.Store.NewestAutomaticBackup()?.DeletedAfter;
            return pupils.Select(p => new StudentErasure { Number = p.Number, Group = p.Group, Erased = erased, BackupsHoldDataUntil = heldUntil }).ToList();
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
                                Erased = reader.IsDBNull(3) ? (DateTime?)null : Timestamp.Parse(reader.GetString(3)).ToLocalTime(),
                            };
                }
            }
            return found;
        }

        /// <summary>The pupils the store holds as erased, by number, with their ids and the stored times of their erasure.</summary>
        internal static Dictionary<string, (long Id, string ErasedUtc)> Erasures(SqliteConnection connection, SqliteTransaction transaction)
        {
            var erased = new Dictionary<string, (long, string)>(StringComparer.Ordinal);
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT id, number, erased_utc FROM students WHERE erased_utc IS NOT NULL;";
                using (var reader = command.ExecuteReader())
                    while (reader.Read())
                        erased[StoredValues.Text(reader, 1, connection, "students", "number", null, reader.GetInt64(0))] = (reader.GetInt64(0), reader.GetString(2));
            }
            return erased;
        }

        /// <summary>The SET list of an erasure: every personal field empty (a required one '', others NULL), no group.</summary>
        internal static readonly string ErasedValues = string.Join(", ", StudentField.All.Select(f => f.Column + (f.Required ? " = ''" : " = NULL"))) + ", group_id = NULL";

        internal static void Erase(SqliteConnection connection, SqliteTransaction transaction, long studentId)
        {
            var now = Timestamp.Now();
            using (var erase = new BulkStatement(connection, $"UPDATE students SET {ErasedValues}, updated_utc = ?2, erased_utc = ?2 WHERE id = ?1 AND erased_utc IS NULL;"))
            {
                erase.Bind(1, studentId);
                erase.Bind(2, now);
                erase.Execute();
            }
        }
    }
}
