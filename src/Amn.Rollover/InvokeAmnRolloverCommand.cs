using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.SchoolYear;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsLifecycle.Invoke, "AmnRollover", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = FilesSet)]
    [OutputType(typeof(RolloverResult), typeof(RolloverPlan))]
    public sealed class InvokeAmnRolloverCommand : ImportFileCmdlet
    {
        private const string FilesSet = "Files";
        private const string SavedPlanSet = "SavedPlan";
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = FilesSet)]
        [ValidateNotNullOrEmpty]
        public string StudentPath { get; set; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = FilesSet)]
        [ValidateNotNullOrEmpty]
        public string StaffPath { get; set; }

        /// <summary>A plan saved with -PlanPath, applied exactly as it was reviewed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SavedPlanSet)]
        [ValidateNotNullOrEmpty]
        public string Plan { get; set; }

        [Parameter(ParameterSetName = FilesSet)]
        [ArgumentCompleter(typeof(WorksheetCompleter))]
        [ValidateNotNullOrEmpty]
        public string StudentWorksheet { get; set; }

        [Parameter(ParameterSetName = FilesSet)]
        [ArgumentCompleter(typeof(WorksheetCompleter))]
        [ValidateNotNullOrEmpty]
        public string StaffWorksheet { get; set; }

        [Parameter(ParameterSetName = FilesSet)]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(FolderCompleter))]
        public string Folder { get; set; }

        [Parameter(ParameterSetName = FilesSet)]
        public SwitchParameter RemoveDepartedStaff { get; set; }

        [Parameter(ParameterSetName = FilesSet)]
        [ValidateNotNullOrEmpty]
        public string PlanPath { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ReportPath { get; set; }

        [Parameter(ParameterSetName = FilesSet)]
        public SwitchParameter AllowInvalidRows { get; set; }

        [Parameter(ParameterSetName = FilesSet)]
        [ValidateRange(0, 100)]
        public int MaxLeaversPercent { get; set; } = RolloverLimits.Defaults.MaxLeaversPercent;

        [Parameter(ParameterSetName = FilesSet)]
        [ValidateRange(0, 100)]
        public int MaxOtherLeaversPercent { get; set; } = RolloverLimits.Defaults.MaxOtherLeaversPercent;

        [Parameter(ParameterSetName = FilesSet)]
        [ValidateRange(0, 100)]
        public int MaxNewStudentsPercent { get; set; } = RolloverLimits.Defaults.MaxNewStudentsPercent;

        [Parameter(ParameterSetName = FilesSet)]
        [ValidateRange(0, 100)]
        public int MaxDepartedStaffPercent { get; set; } = RolloverLimits.Defaults.MaxDepartedStaffPercent;

        [Parameter(ParameterSetName = FilesSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] FinalYearGroup { get; set; }

        /// <summary>Overrides the safety limits, and nothing else.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Replaces an existing -ReportPath or -PlanPath file.</summary>
        [Parameter]
        public SwitchParameter AllowOverwrite { get; set; }

        /// <summary>The language of the report and of this run's messages; $PSUICulture when not given.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(CultureCompleter))]
        public CultureInfo Culture { get; set; }

        protected override void End()
        {
            using (Messages.UseCulture(Culture)) Run();
        }

        private void Run()
        {
            if (PlanPath != null) PlanPath = ResolveOutputPath(PlanPath, nameof(PlanPath));
            if (ReportPath != null) ReportPath = ResolveOutputPath(ReportPath, nameof(ReportPath));
            var progress = new ProgressReporter(this, Messages.Get("RolloverActivity"));
            var saved = Plan != null ? ReadSavedPlan() : null;
            var options = saved?.Inputs.Options ?? OptionsFromParameters();
            if (saved != null) CheckFilesUnchanged(saved.Inputs);
            // An applied plan's files were hashed just now (CheckFilesUnchanged); a plan to save needs the hashes.
            var run = RolloverRun.Read(options, (status, fraction) => progress.Report(status, fraction * 0.05), hashFiles: PlanPath != null);
            var store = Store;
            var whatIf = IsWhatIf;

            // Asked by default (ConfirmImpact High): planned on a read, and the lock taken after the answer.
            using (var change = BeginChange())
            {
                var work = change.Plan;
                progress.Report(Messages.Get("Planning"), 0.05);
                run.PlanAgainst(work);
                var plan = run.Plan;
                if (saved != null || PlanPath != null) run.RecordFingerprint(work);
                if (saved != null) CheckStoreUnchanged(saved, plan);
                foreach (var note in plan.Notes) WriteVerbose(note);
                foreach (var warning in plan.Warnings.Where(w => w.ErrorId != "LeadingZerosLost")) WriteWarning(warning.ToString());
                StopOnRowErrors(plan, options.AllowInvalidRows, progress);
                CheckSafetyStops(run, whatIf, progress);
                // Only now the question of existing files: its answer (-AllowOverwrite) must never be
                // what an admin reaches for while a safety limit is the real problem.
                if (PlanPath != null) OutputFile.CheckOverwrite(PlanPath, AllowOverwrite, nameof(PlanPath));
                if (ReportPath != null) OutputFile.CheckOverwrite(ReportPath, AllowOverwrite, nameof(ReportPath));
                if (PlanPath != null) WriteFile(PlanPath, RolloverPlanJson.Write(plan));

                var target = Messages.Format("RolloverTarget", store.Path, plan.GroupsToRemove.Count, plan.GroupsToCreate.Count,
                                 plan.Students.Created.Count, plan.Students.Updated.Count, plan.Students.Moved.Count, plan.Students.NotInFile.Count,
                                 plan.Staff.Created.Count, plan.Staff.Updated.Count, plan.LinksToCreate.Count)
                             + (options.RemoveDepartedStaff ? Messages.Format("RolloverTargetDeparted", plan.Staff.NotInFile.Count) : "");
                if (!ShouldProcess(target, Messages.Get("RolloverAction")))
                {
                    progress.Complete();
                    if (!whatIf) return;
                    WriteReport(plan, null, RolloverOutcome.Planned);
                    WriteObject(plan);
                    return;
                }

                RolloverResult result;
                try
                {
                    result = Writing(_ => run.Apply(change, _stop.Token, (status, fraction) => progress.Report(status, 0.08 + 0.92 * fraction),
                        backup => WriteVerbose(Messages.Format("RolloverBackedUp", store.Path, backup))));
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }
                progress.Complete();
                WriteObject(result);
                try { WriteReport(plan, result, RolloverOutcome.Applied); }
                catch (AmnException e) when (e.ErrorId == "ReportNotWritten")
                {
                    // After the commit: the rollover holds; say so plainly, and why the report is missing.
                    WriteError(ToErrorRecord(new AmnException(e.ErrorId, AmnErrorCategory.WriteError,
                        Messages.Format("RolloverAppliedReportNotWritten", result.BackupPath, ReportPath, OutputFile.Reason(e)), ReportPath, e)));
                }
            }
        }

        private void StopOnRowErrors(RolloverPlan plan, bool allowInvalidRows, ProgressReporter progress)
        {
            if (plan.Errors.Count == 0) return;
            if (allowInvalidRows)
            {
                foreach (var error in plan.Errors) WriteWarning(Messages.Format("SkippedInvalidRow", error));
                return;
            }
            var unwritten = WriteStoppedReport(plan, RolloverOutcome.StoppedByRowErrors);
            progress.Complete();
            var rows = plan.Errors.Select(e => (e.File, e.Row)).Distinct().Count();
            var list = string.Join(Environment.NewLine, plan.Errors.Take(50).Select(e => "  " + e));
            var more = plan.Errors.Count > 50 ? Messages.Format("AndMoreErrors", Environment.NewLine, plan.Errors.Count - 50) : "";
            ThrowTerminatingError(new ErrorRecord(new AmnException("RolloverValidationFailed", AmnErrorCategory.InvalidData,
                Messages.Format("RolloverRowErrors", Messages.Count("RowsHave", rows), Messages.Count("Errors", plan.Errors.Count), Environment.NewLine, list, more) + unwritten, plan),
                "RolloverValidationFailed", ErrorCategory.InvalidData, plan));
        }

        /// <summary>Exceeded safety limits: warnings with -WhatIf, overridden with -Force, otherwise the run stops before any change.</summary>
        private void CheckSafetyStops(RolloverRun run, bool whatIf, ProgressReporter progress)
        {
            var plan = run.Plan;
            if (plan.SafetyStops.Count == 0) return;
            if (whatIf)
            {
                foreach (var stop in plan.SafetyStops) WriteWarning(Messages.Format("SafetyLimitWhatIf", stop));
                return;
            }
            if (Force)
            {
                run.OverrideSafetyStops();
                foreach (var stop in plan.SafetyStops) WriteWarning(Messages.Format("SafetyLimitOverridden", stop));
                return;
            }
            var unwritten = WriteStoppedReport(plan, RolloverOutcome.StoppedBySafetyLimit);
            progress.Complete();
            var stops = string.Join(Environment.NewLine, plan.SafetyStops.Select(s => $"  {s.Limit}: {s.Message}"));
            var raise = string.Join(", ", plan.SafetyStops.Where(s => s.Parameter != null).Select(s => "-" + s.Parameter).Distinct());
            ThrowTerminatingError(new ErrorRecord(new AmnException("RolloverSafetyLimit", AmnErrorCategory.LimitsExceeded,
                Messages.Format("RolloverSafetyStops", Messages.Count("SafetyLimits", plan.SafetyStops.Count), Environment.NewLine, stops)
                + (raise.Length > 0 ? Messages.Format("RolloverSafetyStopsRaise", raise) : Messages.Get("RolloverSafetyStopsForce")) + unwritten, plan),
                "RolloverSafetyLimit", ErrorCategory.LimitsExceeded, plan));
        }

        private RolloverOptions OptionsFromParameters() => new RolloverOptions
        {
            StudentPath = ResolvePath(StudentPath),
            StaffPath = ResolvePath(StaffPath),
            Read = BuildOptions(null),
            StudentWorksheet = StudentWorksheet,
            StaffWorksheet = StaffWorksheet,
            Folder = Folder,
            RemoveDepartedStaff = RemoveDepartedStaff,
            AllowInvalidRows = AllowInvalidRows,
            Limits = new RolloverLimits
            {
                MaxLeaversPercent = MaxLeaversPercent,
                MaxOtherLeaversPercent = MaxOtherLeaversPercent,
                MaxNewStudentsPercent = MaxNewStudentsPercent,
                MaxDepartedStaffPercent = MaxDepartedStaffPercent,
                FinalYear = new FinalYearGroups(FinalYearGroup),
            },
        };

        private sealed class SavedPlan
        {
            public string Path;
            public string Text;
            public RolloverInputs Inputs;
        }

        private SavedPlan ReadSavedPlan()
        {
            var path = ResolvePath(Plan);
            var readOptions = new[] { nameof(Delimiter), nameof(Encoding), nameof(Worksheet), nameof(ColumnMap), nameof(Product) }.Where(MyInvocation.BoundParameters.ContainsKey).ToList();
            if (readOptions.Count > 0)
                ThrowTerminatingError(ToErrorRecord(new AmnException("PlanOptionsFixed", AmnErrorCategory.InvalidArgument,
                    Messages.Format("PlanOptionsFixed", string.Join(", ", readOptions.Select(o => "-" + o))), path)));
            string text;
            try { text = InputFile.ReadAllText(path); }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                throw new AmnException("FileNotFound", AmnErrorCategory.ObjectNotFound, Messages.Format("PlanNotFound", path), path, e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new AmnException("FileNotReadable", AmnErrorCategory.ReadError, Messages.Format("PlanNotReadable", path, e.Message), path, e);
            }
            var inputs = RolloverPlanJson.ReadInputs(path, text);
            WriteVerbose(Messages.Format("ApplyingPlan", path, inputs.Options.StudentPath, inputs.Options.StaffPath));
            return new SavedPlan { Path = path, Text = text, Inputs = inputs };
        }

        private void CheckFilesUnchanged(RolloverInputs saved)
        {
            foreach (var (file, hash) in new[] { (saved.Options.StudentPath, saved.StudentFileHash), (saved.Options.StaffPath, saved.StaffFileHash) })
                if (RolloverRun.FileHash(file) != hash)
                    throw PlanOutdated(Messages.Format(File.Exists(file) ? "PlanFileChanged" : "PlanFileGone", file));
        }

        private void CheckStoreUnchanged(SavedPlan saved, RolloverPlan plan)
        {
            if (plan.Inputs.TenantFingerprint != saved.Inputs.TenantFingerprint)
                throw PlanOutdated(Messages.Format("PlanStoreChanged", Store.Path));
            if (!RolloverPlanJson.SamePlan(saved.Text, plan))
                throw PlanOutdated(Messages.Get("PlanDiffers"));
        }

        private AmnException PlanOutdated(string why) => new AmnException("PlanOutdated", AmnErrorCategory.InvalidData,
            Messages.Format("PlanOutdated", ResolvePath(Plan), why), Plan);

        private void WriteReport(RolloverPlan plan, RolloverResult result, RolloverOutcome outcome)
        {
            if (ReportPath == null) return;
            RolloverReport.Write(ReportPath, plan, result, outcome, Messages.Format("ReportTitle", DateTime.Now));
            WriteVerbose(Messages.Format("WroteReport", ReportPath));
        }

        /// <summary>
        /// The report of a run that stopped, written unless an existing file is in the way; then the
        /// sentence that tells the stop's message so (the file question never comes before the stop).
        /// </summary>
        private string WriteStoppedReport(RolloverPlan plan, RolloverOutcome outcome)
        {
            if (ReportPath == null) return "";
            if (System.IO.File.Exists(ReportPath) && !AllowOverwrite) return Messages.Format("ReportNotWrittenExists", ReportPath);
            WriteReport(plan, null, outcome);
            return "";
        }

        private void WriteFile(string path, string text)
        {
            OutputFile.Write(path, stream =>
            {
                using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false))) writer.Write(text);
            }, "PlanNotWritten", Messages.Get("ThePlan"));
            WriteVerbose(Messages.Format("WrotePlan", path));
        }

        protected override void StopProcessing() => _stop.Cancel();
    }
}
