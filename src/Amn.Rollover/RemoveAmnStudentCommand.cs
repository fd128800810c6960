using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Remove, "AmnStudent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(StudentErasure))]
    public sealed class RemoveAmnStudentCommand : AmnCmdlet
    {
        /// <summary>More than this share of the tenant's pupils erased in one invocation needs -Force.</summary>
        public const double MaxShare = 0.25;

        private readonly List<string> _requested = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("deelnemersnummer")]
        [ValidateNotNullOrEmpty]
        public string[] Number { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void Process() => _requested.AddRange(Number.Select(n => n.Trim()));

        protected override void End()
        {
            var store = Store;
            var whatIf = IsWhatIf;
            var runId = Guid.NewGuid();
            using (var connection = OpenConnection())
            {
                // Erased values are overwritten on disk too, not left in free pages of the file.
                TenantStore.Execute(connection, "PRAGMA secure_delete = ON;");
                using (var transaction = whatIf ? TenantStore.BeginRead(connection) : BeginWrite(connection))
                {
                    var found = StudentEraser.Find(connection, transaction, _requested.Distinct(StringComparer.Ordinal));
                    var erase = new List<StudentEraser.Candidate>();
                    foreach (var number in _requested.Distinct(StringComparer.Ordinal))
                    {
                        if (!found.TryGetValue(number, out var pupil)) NotFound(connection, number);
                        else if (pupil.Erased != null)
                            WriteError(ToErrorRecord(new AmnException("StudentAlreadyErased", AmnErrorCategory.ObjectNotFound,
                                $"The pupil with number '{number}' was erased on {pupil.Erased:dd-MM-yyyy} already; nothing was changed.", number)));
                        else erase.Add(pupil);
                    }
                    if (erase.Count == 0) return;

                    var present = StudentEraser.PresentCount(connection, transaction);
                    if (erase.Count > MaxShare * present && !Force)
                        ThrowTerminatingError(ToErrorRecord(new AmnException("TooManyStudentsErased", AmnErrorCategory.LimitsExceeded,
                            $"This would erase {erase.Count} of the {present} pupils of tenant '{store.Path}' ({100.0 * erase.Count / present:0}%), more than {MaxShare:0%} at once. Nobody was erased; check the list (-WhatIf), then run again with -Force.", erase.Count)));

                    var confirmed = erase.Where(p => ShouldProcess($"pupil {p.Number}{(p.Group != null ? $" (group {p.Group})" : "")}: names, birth date, gender, e-mail, username, crebo and group; the number stays used", "Erase personal data")).ToList();
                    if (whatIf)
                    {
                        WriteObject(erase.Select(p => new StudentErasure { Number = p.Number, WhatIf = true }), enumerateCollection: true);
                        return;
                    }
                    if (confirmed.Count == 0) return;
                    StudentEraser.Erase(connection, transaction, runId, confirmed);
                    transaction.Commit();
                    var erased = DateTime.Now;
                    var backup = HeldInBackups(store);
                    WriteObject(confirmed.Select(p => new StudentErasure { Number = p.Number, Erased = erased, BackupsHoldDataUntil = backup }), enumerateCollection: true);
                }
                // Old versions of the erased rows leave the write-ahead log as well (best effort: a reader may hold it).
                try { TenantStore.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);"); }
                catch (Microsoft.Data.Sqlite.SqliteException) { }
            }
        }

        private void NotFound(Microsoft.Data.Sqlite.SqliteConnection connection, string number)
        {
            var hint = Students.LeadingZerosHint(connection, number);
            WriteError(ToErrorRecord(new AmnException("StudentNotFound", AmnErrorCategory.ObjectNotFound, $"No student with number '{number}' in tenant '{Store.Path}'; nothing was changed.{hint}", number)));
        }

        /// <summary>Prunes the automatic backups past their age, and says until when the rest still hold the erased data.</summary>
        private DateTime? HeldInBackups(TenantStore store)
        {
            store.PruneAutomaticBackups();
            var newest = store.NewestAutomaticBackup();
            const string manual = "Backups made with Backup-AmnTenant are yours: they hold the data until you delete them.";
            if (newest == null)
            {
                WriteVerbose("No automatic backup holds the erased data. " + manual);
                return null;
            }
            WriteWarning($"Automatic backups taken before this erasure still hold the erased data until they are deleted: the newest, '{newest.Value.Path}', " +
                         $"after {newest.Value.DeletedAfter:dd-MM-yyyy} (automatic backups are kept {store.AutomaticBackupMaxAge.TotalDays:0} days; Connect-AmnTenant -BackupMaxAgeDays). {manual}");
            return newest.Value.DeletedAfter;
        }
    }
}
