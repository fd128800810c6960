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
            using (var change = BeginChange())
            {
                var work = change.Plan;
                var found = StudentEraser.Find(work, requested);
                var erase = new List<StudentEraser.Candidate>();
                foreach (var number in requested)
                {
                    if (!found.TryGetValue(number, out var pupil))
                        WriteError(ToErrorRecord(new AmnException("StudentNotFound", AmnErrorCategory.ObjectNotFound,
                            Messages.Format("NoStudentNumberUnchanged", number, Store.Path, Students.LeadingZerosHint(work, number)), number)));
                    else if (pupil.Erased != null)
                        WriteError(ToErrorRecord(new AmnException("StudentAlreadyErased", AmnErrorCategory.ObjectNotFound,
                            Messages.Format("PupilErasedAlready", number, pupil.Erased), number)));
                    else erase.Add(pupil);
                }
                if (erase.Count == 0) return;
                var limit = StudentEraser.LimitExceeded(work, erase.Count);
                if (limit != null && !Force)
                {
                    // The limit's message sends the admin to -WhatIf for the list: there it is a warning, with the list.
                    if (!whatIf) ThrowTerminatingError(ToErrorRecord(limit));
                    WriteWarning(Messages.Format("EraseLimitWhatIf", limit.Message));
                }

                var confirmed = erase.Where(p => ShouldProcess(
                    p.Group != null ? Messages.Format("ErasePupilInGroup", p.Number, p.Group) : Messages.Format("ErasePupil", p.Number), Messages.Get("ErasePupilAction"))).ToList();
                if (whatIf)
                {
                    WriteObject(StudentEraser.WhatIf(erase), enumerateCollection: true);
                    return;
                }
                if (confirmed.Count == 0) return;
                var erasures = Writing(_ => StudentEraser.Erase(change, Guid.NewGuid(), confirmed));
                TellWhereTheDataRemains();
                WriteObject(erasures, enumerateCollection: true);
            }
        }

        /// <summary>Says until when the automatic backups left after the erasure, and on a server the old row versions, still hold the erased data.</summary>
        private void TellWhereTheDataRemains()
        {
            if (Store.KeepsOldRowVersions)
                WriteWarning(Messages.Get("ServerKeepsOldRows"));
            var newest = Store.NewestAutomaticBackup();
            var manual = Messages.Get("ManualBackupsAreYours");
            if (newest == null)
            {
                WriteVerbose(Messages.Get("NoAutomaticBackupHoldsErased") + manual);
                return;
            }
            WriteWarning(Messages.Format("AutomaticBackupsHoldErased", newest.Value.Path, newest.Value.DeletedAfter, Store.AutomaticBackupMaxAge.TotalDays, manual));
        }
    }
}
