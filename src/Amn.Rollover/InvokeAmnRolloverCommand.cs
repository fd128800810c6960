using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Amn.Rollover.Core;
using Amn.Rollover.Core.SchoolYear;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsLifecycle.Invoke, "AmnRollover", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(RolloverResult))]
    public sealed class InvokeAmnRolloverCommand : ImportFileCmdlet
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string StudentPath { get; set; }

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string StaffPath { get; set; }

        [Parameter]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(FolderCompleter))]
        public string Folder { get; set; }

        [Parameter]
        public SwitchParameter RemoveDepartedStaff { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string PlanPath { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ReportPath { get; set; }

        [Parameter]
        public SwitchParameter AllowInvalidRows { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void End()
        {
            var clock = Stopwatch.StartNew();
            if (PlanPath != null) PlanPath = ResolveOutputPath(PlanPath, nameof(PlanPath));
            if (ReportPath != null) ReportPath = ResolveOutputPath(ReportPath, nameof(ReportPath));
            var progress = new ProgressReporter(this, "AMN rollover (jaarovergang)");
            var options = new RolloverOptions
            {
                StudentPath = ResolvePath(StudentPath),
                StaffPath = ResolvePath(StaffPath),
                Read = BuildOptions(null),
                Folder = Folder,
                RemoveDepartedStaff = RemoveDepartedStaff,
            };
            var run = RolloverRun.Read(options, (status, fraction) => progress.Report(status, fraction * 0.05));
            var store = Store;
            var whatIf = IsWhatIf;

            using (var connection = OpenConnection())
            using (var transaction = whatIf ? connection.BeginTransaction(deferred: true) : BeginWrite(connection))
            {
                progress.Report("Planning", 0.05);
                run.PlanAgainst(connection, transaction);
                var plan = run.Plan;
                if (PlanPath != null) WriteFile(ResolvePath(PlanPath), RolloverPlanJson.Write(plan));
                foreach (var warning in plan.Warnings.Where(w => w.ErrorId != "LeadingZerosLost")) WriteWarning(warning.ToString());

                if (run.HasRowErrors && !AllowInvalidRows)
                {
                    WriteReport(plan, null);
                    progress.Complete();
                    var list = string.Join(Environment.NewLine, plan.Errors.Take(50).Select(e => "  " + e));
                    var more = plan.Errors.Count > 50 ? $"{Environment.NewLine}  ... and {plan.Errors.Count - 50} more (see -ReportPath, or Test-AmnImportFile)." : "";
                    ThrowTerminatingError(new ErrorRecord(new AmnException("RolloverValidationFailed", AmnErrorCategory.InvalidData,
                        $"The rollover did not start: {plan.Errors.Count} rows have errors. Nothing was changed. Fix the files, or use -AllowInvalidRows to import the valid rows and report the rest.{Environment.NewLine}{list}{more}", plan),
                        "RolloverValidationFailed", ErrorCategory.InvalidData, plan));
                }
                foreach (var error in plan.Errors) WriteWarning($"Skipped (-AllowInvalidRows): {error}");
                var safety = run.SafetyProblems().ToList();
                if (safety.Count > 0 && whatIf)
                {
                    foreach (var problem in safety) WriteWarning($"{problem} The run itself would stop here without -Force.");
                }
                else if (safety.Count > 0 && !Force)
                {
                    progress.Complete();
                    ThrowTerminatingError(new ErrorRecord(new AmnException("RolloverSafetyLimit", AmnErrorCategory.LimitsExceeded,
                        $"The rollover did not start: {string.Join(" ", safety)} More than {SafetyLimits.MaxShare:0%} usually means a wrong or truncated file. Nothing was changed; check the files, then run again with -Force.", plan),
                        "RolloverSafetyLimit", ErrorCategory.LimitsExceeded, plan));
                }

                var target = $"tenant '{store.Path}': remove {plan.GroupsToRemove.Count} groups, create {plan.GroupsToCreate.Count}; pupils {plan.Students.Created.Count} new, {plan.Students.Updated.Count} updated, {plan.Students.Moved.Count} moved, {plan.Students.NotInFile.Count} not in the file; " +
                             $"staff {plan.Staff.New.Count} new, {plan.LinksToCreate.Count} links" + (RemoveDepartedStaff ? $", {plan.Staff.Departed.Count} departed removed" : "");
                if (!ShouldProcess(target, "Roll over to the new school year"))
                {
                    progress.Complete();
                    if (!whatIf) return;
                    var preview = run.Preview();
                    preview.Duration = clock.Elapsed;
                    WriteReport(plan, preview);
                    WriteObject(preview);
                    return;
                }

                progress.Report("Backing up the store", 0.08);
                var backup = store.AutomaticBackup();
                WriteVerbose($"Backed up '{store.Path}' to '{backup}'. Restore-AmnTenant -Path '{backup}' undoes this rollover.");
                RolloverResult result;
                try
                {
                    result = run.Apply(connection, transaction, _stop.Token, (status, fraction) => progress.Report(status, 0.1 + 0.9 * fraction));
                }
                catch (OperationCanceledException)
                {
                    throw new PipelineStoppedException();
                }
                transaction.Commit();
                progress.Complete();
                result.BackupPath = backup;
                result.Duration = clock.Elapsed;
                WriteReport(plan, result);
                WriteObject(result);
            }
        }

        private void WriteReport(RolloverPlan plan, RolloverResult result)
        {
            if (ReportPath == null) return;
            var path = ResolvePath(ReportPath);
            RolloverReport.Write(path, plan, result, $"AMN rollover {DateTime.Now:yyyy-MM-dd HH:mm}");
            WriteVerbose($"Wrote the report to '{path}'.");
        }

        private void WriteFile(string path, string text)
        {
            try { File.WriteAllText(path, text, new System.Text.UTF8Encoding(false)); }
            catch (IOException e) { ThrowTerminatingError(ToErrorRecord(new AmnException("PlanNotWritten", AmnErrorCategory.WriteError, $"Cannot write the plan '{path}': {e.Message}", path, e))); }
            WriteVerbose($"Wrote the plan to '{path}'.");
        }

        protected override void StopProcessing() => _stop.Cancel();
    }
}
