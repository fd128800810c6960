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
            var whatIf = IsWhatIf;
            var requested = _requested.Distinct(StringComparer.Ordinal).ToList();
            using (var work = BeginWork(whatIf))
            {
                var found = StudentEraser.Find(work, requested);
                var erase = new List<StudentEraser.Candidate>();
                foreach (var number in requested)
                {
                    if (!found.TryGetValue(number, out var pupil))
                        WriteError(ToErrorRecord(new AmnException("StudentNotFound", AmnErrorCategory.ObjectNotFound,
                            $"No student with number '{number}' in tenant '{Store.Path}'; nothing was changed.{Students.LeadingZerosHint(work, number)}", number)));
                    else if (pupil.Erased != null)
                        WriteError(ToErrorRecord(new AmnException("StudentAlreadyErased", AmnErrorCategory.ObjectNotFound,
                            $"The pupil with number '{number}' was erased on {pupil.Erased:dd-MM-yyyy} already; nothing was changed.", number)));
                    else erase.Add(pupil);
                }
                if (erase.Count == 0) return;
                var limit = StudentEraser.LimitExceeded(work, erase.Count);
                if (limit != null && !Force) ThrowTerminatingError(ToErrorRecord(limit));

                var confirmed = erase.Where(p => ShouldProcess($"pupil {p.Number}{(p.Group != null ? $" (group {p.Group})" : "")}: names, birth date, gender, e-mail, username, crebo and group; the number stays used", "Erase personal data")).ToList();
                if (whatIf)
                {
                    WriteObject(StudentEraser.WhatIf(erase), enumerateCollection: true);
                    return;
                }
                if (confirmed.Count == 0) return;
                var erasures = StudentEraser.Erase(work, Guid.NewGuid(), confirmed);
                TellWhereTheDataRemains();
                WriteObject(erasures, enumerateCollection: true);
            }
        }

        /// <summary>Says until when the automatic backups left after the erasure, and on a server the old row versions, still hold the erased data.</summary>
        private void TellWhereTheDataRemains()
        {
            if (Store.Kind == "PostgreSQL")
                WriteWarning("On the school board's server the erased values are gone from the school's tables, but PostgreSQL keeps the old row versions in its files until autovacuum frees their space and new data overwrites it. " +
                             "The board's IT can run VACUUM FULL amn.students to remove them now; the server's own backups keep them as long as those are kept.");
            var newest = Store.NewestAutomaticBackup();
            const string manual = "Backups made with Backup-AmnTenant are yours: they hold the data until you delete them.";
            if (newest == null)
            {
                WriteVerbose("No automatic backup holds the erased data. " + manual);
                return;
            }
            WriteWarning($"Automatic backups taken before this erasure still hold the erased data until they are deleted: the newest, '{newest.Value.Path}', " +
                         $"after {newest.Value.DeletedAfter:dd-MM-yyyy} (automatic backups are kept {Store.AutomaticBackupMaxAge.TotalDays:0} days; Connect-AmnTenant -BackupMaxAgeDays). {manual}");
        }
    }
}
