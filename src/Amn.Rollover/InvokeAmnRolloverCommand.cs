using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Amn.Rollover.Core.Store;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.SchoolYear;

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

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void End()
        {
            if (PlanPath != null) PlanPath = ResolveOutputPath(PlanPath, nameof(PlanPath), Force);
            if (ReportPath != null) ReportPath = ResolveOutputPath(ReportPath, nameof(ReportPath), Force);
            var progress = new ProgressReporter(this, "AMN rollover (jaarovergang)");
            var saved = Plan != null ? ReadSavedPlan() : null;
            var options = saved?.Inputs.Options ?? OptionsFromParameters();
            if (saved != null) CheckFilesUnchanged(saved.Inputs);
            // An applied plan's files were hashed just now (CheckFilesUnchanged); a plan to save needs the hashes.
            var run = RolloverRun.Read(options, (status, fraction) => progress.Report(status, fraction * 0.05), hashFiles: PlanPath != null);
            var store = Store;
            var whatIf = IsWhatIf;

            using (var work = BeginWork(whatIf))
            {
                progress.Report("Planning", 0.05);
                run.PlanAgainst(work);
                var plan = run.Plan;
                if (saved != null || PlanPath != null) run.RecordFingerprint(work);
                if (saved != null) CheckStoreUnchanged(saved, plan);
                if (PlanPath != null) WriteFile(PlanPath, RolloverPlanJson.Write(plan));
                foreach (var note in plan.Notes) WriteVerbose(note);
                foreach (var warning in plan.Warnings.Where(w => w.ErrorId != "LeadingZerosLost")) WriteWarning(warning.ToString());
                StopOnRowErrors(plan, options.AllowInvalidRows, progress);
                CheckSafetyStops(run, whatIf, progress);

                var target = $"tenant '{store.Path}': remove {plan.GroupsToRemove.Count} groups, create {plan.GroupsToCreate.Count}; pupils {plan.Students.Created.Count} new, {plan.Students.Updated.Count} updated, {plan.Students.Moved.Count} moved, {plan.Students.NotInFile.Count} not in the file; " +
                             $"staff {plan.Staff.New.Count} new, {plan.LinksToCreate.Count} links" + (options.RemoveDepartedStaff ? $", {plan.Staff.Departed.Count} departed removed" : "");
                if (!ShouldProcess(target, "Roll over to the new school year"))
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
                    result = run.Apply(work, _stop.Token, (status, fraction) => progress.Report(status, 0.08 + 0.92 * fraction),
                        backup => WriteVerbose($"Backed up '{store.Path}' to '{backup}'. Restore-AmnTenant -Path '{backup}' undoes this rollover."));
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }
                progress.Complete();
                WriteReport(plan, result, RolloverOutcome.Applied);
                WriteObject(result);
            }
        }

        private void StopOnRowErrors(RolloverPlan plan, bool allowInvalidRows, ProgressReporter progress)
        {
            if (plan.Errors.Count == 0) return;
            if (allowInvalidRows)
            {
                foreach (var error in plan.Errors) WriteWarning($"Skipped (-AllowInvalidRows): {error}");
                return;
            }
            WriteReport(plan, null, RolloverOutcome.StoppedByRowErrors);
            progress.Complete();
            var rows = plan.Errors.Select(e => (e.File, e.Row)).Distinct().Count();
            var list = string.Join(Environment.NewLine, plan.Errors.Take(50).Select(e => "  " + e));
            var more = plan.Errors.Count > 50 ? $"{Environment.NewLine}  ... and {plan.Errors.Count - 50} more (see -ReportPath, or Test-AmnImportFile)." : "";
            ThrowTerminatingError(new ErrorRecord(new AmnException("RolloverValidationFailed", AmnErrorCategory.InvalidData,
                $"The rollover did not start: {Count(rows, "row")} {(rows == 1 ? "has" : "have")} {Count(plan.Errors.Count, "error")}. Nothing was changed. Fix the files, or use -AllowInvalidRows to import the valid rows and report the rest.{Environment.NewLine}{list}{more}", plan),
                "RolloverValidationFailed", ErrorCategory.InvalidData, plan));
        }

        /// <summary>Exceeded safety limits: warnings with -WhatIf, overridden with -Force, otherwise the run stops before any change.</summary>
        private void CheckSafetyStops(RolloverRun run, bool whatIf, ProgressReporter progress)
        {
            var plan = run.Plan;
            if (plan.SafetyStops.Count == 0) return;
            if (whatIf)
            {
                foreach (var stop in plan.SafetyStops) WriteWarning($"Safety limit {stop} The run itself would stop here without -Force.");
                return;
            }
            if (Force)
            {
                run.OverrideSafetyStops();
                foreach (var stop in plan.SafetyStops) WriteWarning($"Safety limit overridden (-Force): {stop}");
                return;
            }
            WriteReport(plan, null, RolloverOutcome.StoppedBySafetyLimit);
            progress.Complete();
            var stops = string.Join(Environment.NewLine, plan.SafetyStops.Select(s => $"  {s.Limit}: {s.Message}"));
            var raise = string.Join(", ", plan.SafetyStops.Where(s => s.Parameter != null).Select(s => "-" + s.Parameter).Distinct());
            ThrowTerminatingError(new ErrorRecord(new AmnException("RolloverSafetyLimit", AmnErrorCategory.LimitsExceeded,
                $"The rollover did not start: the plan exceeds {Count(plan.SafetyStops.Count, "safety limit")}. Nothing was changed.{Environment.NewLine}{stops}{Environment.NewLine}" +
                "Check the files (Invoke-AmnRollover -WhatIf shows the plan). If they are right, " + (raise.Length > 0 ? $"set {raise} for your school, or " : "") + "run again with -Force (the report and the audit log record it).", plan),
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
                    $"-Plan applies a saved plan with the options it was made with; {string.Join(", ", readOptions.Select(o => "-" + o))} cannot change them. Make a new plan with -PlanPath instead.", path)));
            string text;
            try { text = File.ReadAllText(path); }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                throw new AmnException("FileNotFound", AmnErrorCategory.ObjectNotFound, $"Cannot read the plan '{path}': it does not exist.", path, e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new AmnException("FileNotReadable", AmnErrorCategory.ReadError, $"Cannot read the plan '{path}': {e.Message}.", path, e);
            }
            var inputs = RolloverPlanJson.ReadInputs(path, text);
            WriteVerbose($"Applying the plan '{path}', made from '{inputs.Options.StudentPath}' and '{inputs.Options.StaffPath}'.");
            return new SavedPlan { Path = path, Text = text, Inputs = inputs };
        }

        private void CheckFilesUnchanged(RolloverInputs saved)
        {
            foreach (var (file, hash) in new[] { (saved.Options.StudentPath, saved.StudentFileHash), (saved.Options.StaffPath, saved.StaffFileHash) })
                if (RolloverRun.FileHash(file) != hash)
                    throw PlanOutdated($"the file '{file}' {(File.Exists(file) ? "changed" : "is gone")} since the plan was made");
        }

        private void CheckStoreUnchanged(SavedPlan saved, RolloverPlan plan)
        {
            if (plan.Inputs.TenantFingerprint != saved.Inputs.TenantFingerprint)
                throw PlanOutdated($"tenant '{Store.Path}' is not the store the plan was made against, or it changed since");
            if (!RolloverPlanJson.SamePlan(saved.Text, plan))
                throw PlanOutdated("planned again from the same files and store, it comes out different (was it made by another version of Amn.Rollover?)");
        }

        private AmnException PlanOutdated(string why) => new AmnException("PlanOutdated", AmnErrorCategory.InvalidData,
            $"The plan '{ResolvePath(Plan)}' was not applied: {why}. Nothing was changed. Make a new plan with -PlanPath, review it, and apply that one.", Plan);

        private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

        private void WriteReport(RolloverPlan plan, RolloverResult result, RolloverOutcome outcome)
        {
            if (ReportPath == null) return;
            RolloverReport.Write(ReportPath, plan, result, outcome, $"AMN rollover {DateTime.Now:yyyy-MM-dd HH:mm}");
            WriteVerbose($"Wrote the report to '{ReportPath}'.");
        }

        private void WriteFile(string path, string text)
        {
            OutputFile.Write(path, stream =>
            {
                using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false))) writer.Write(text);
            }, "PlanNotWritten", "the plan");
            WriteVerbose($"Wrote the plan to '{path}'.");
        }

        protected override void StopProcessing() => _stop.Cancel();
    }
}
