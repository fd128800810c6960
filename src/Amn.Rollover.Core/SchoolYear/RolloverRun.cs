using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>
    /// The five steps of the jaarovergang as one run: read and validate both files completely, plan
    /// against the store, then (when applied) remove all groups, import the pupils into the new
    /// groups, import the staff and their links, and remove departed staff, all in the caller's
    /// transaction so the store is either as before or fully rolled over.
    /// </summary>
    public sealed class RolloverRun
    {
        private List<StudentRecord> _students;
        private List<StaffRecord> _staff;
        private StudentImportResult _studentPlan;
        private StaffImportResult _staffPlan;
        private List<StaffTable.Row> _departed;
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

        private RolloverRun(RolloverOptions options) { Options = options; }

        public RolloverOptions Options { get; }
        public RolloverPlan Plan { get; } = new RolloverPlan();
        public Guid RunId { get; } = Guid.NewGuid();

        /// <summary>
        /// Step 1: reads both files completely. File-level problems throw an AmnException naming the
        /// file. With <paramref name="hashFiles"/> (a plan to save) both files are hashed before they are read.
        /// </summary>
        public static RolloverRun Read(RolloverOptions options, Action<string, double> progress = null, bool hashFiles = false)
        {
            var run = new RolloverRun(options);
            var read = options.Read ?? new ImportFileOptions();
            read.RequireColumnMapKeys = false;
            run.Plan.StudentFile = System.IO.Path.GetFullPath(options.StudentPath);
            run.Plan.StaffFile = System.IO.Path.GetFullPath(options.StaffPath);
            run.Plan.Inputs = new RolloverInputs { Options = options };
            if (hashFiles) (run.Plan.Inputs.StudentFileHash, run.Plan.Inputs.StaffFileHash) = (FileHash(run.Plan.StudentFile), FileHash(run.Plan.StaffFile));
            run._students = ReadAll<StudentRecord>(options.StudentPath, read.For(ImportKind.Student).WithWorksheet(options.StudentWorksheet), run.Plan, progress);
            run._staff = ReadAll<StaffRecord>(options.StaffPath, read.For(ImportKind.Staff).WithWorksheet(options.StaffWorksheet), run.Plan, progress);
            run.Plan.Folder = Folders.Normalize(options.Folder);
            CheckColumnMap(read, run);

            // Cross-check: staff links should name groups of the new student file.
            var newGroups = new HashSet<string>(run._students.Where(s => s.IsValid && s.Group != null).Select(s => s.Group), StringComparer.OrdinalIgnoreCase);
            foreach (var record in run._staff)
                foreach (var group in record.Groups.Where(g => !newGroups.Contains(g)))
                    run.Plan.Warnings.Add(Problem(run.Plan.StaffFile, new ImportProblem(record.RowNumber, "klas", group, "UnknownGroup",
                        Messages.Format("LinkToGroupWithoutPupils", record.RowNumber, record.UserName, group))));
            return run;
        }

        /// <summary>Steps 2 to 5 planned against the tenant, without changing it.</summary>
        public void PlanAgainst(TenantWork work) => PlanAgainst(work.Queries, work.Store.Path);

        /// <summary>Records the tenant's data hash in the plan's inputs; needed only when a plan is saved or applied.</summary>
        public void RecordFingerprint(TenantWork work) => Plan.Inputs.TenantFingerprint = work.Queries.Fingerprint();

        /// <summary>
        /// Steps 2 to 5 as the planned <paramref name="change"/>, after an automatic backup inside its lock, committed:
        /// the tenant is changed whole or, when anything fails or the run is cancelled, not at all.
        /// <paramref name="backedUp"/> is told the backup's path before the first change.
        /// </summary>
        public RolloverResult Apply(PlannedChange change, CancellationToken cancellation = default, Action<string, double> progress = null, Action<string> backedUp = null)
        {
            progress?.Invoke(Messages.Get("BackingUpStore"), 0);
            string backup = null;
            var result = change.Apply(work => Apply(work.Queries, work.Edits, cancellation, progress == null ? (Action<string, double>)null : (status, fraction) => progress(status, 0.02 + 0.98 * fraction)),
                backup: true, backedUp: path => { backup = path; backedUp?.Invoke(path); });
            result.BackupPath = backup;
            result.Duration = _clock.Elapsed;
            return result;
        }

        /// <summary>Steps 2 to 5 planned against the store, without changing it.</summary>
        private void PlanAgainst(ITenantQueries queries, string tenant)
        {
            var plan = Plan;
            plan.Tenant = tenant;
            plan.Created = DateTime.Now;
            var groups = queries.Groups();
            plan.GroupsToRemove.AddRange(groups.Select(g => g.Name));

            var storedStudents = queries.StoredStudents();
            _studentPlan = StudentImporter.Plan(queries, _students,
                new StudentImportOptions { Folder = Options.Folder, AssumeGroupsRemoved = true, InRollover = true, RunId = RunId, Source = plan.StudentFile }, storedStudents);
            plan.GroupsToCreate.AddRange(_studentPlan.NewGroups);
            foreach (var row in _studentPlan.Rows)
            {
                switch (row.Action)
                {
                    case ImportAction.Created: plan.Students.Created.Add(row.Number); break;
                    case ImportAction.Failed: plan.Students.Failed.Add(row.Number); break;
                    default:
                        if (row.Record.IsDuplicate) break;
                        if (row.Action == ImportAction.Moved) plan.Students.Moved.Add(row.Number);
                        else if (row.Action == ImportAction.Updated) plan.Students.Updated.Add(row.Number);
                        else plan.Students.Unchanged.Add(row.Number);
                        break;
                }
            }
            var inFile = new HashSet<string>(_studentPlan.Rows.Where(r => r.Action != ImportAction.Failed).Select(r => r.Number), StringComparer.Ordinal);
            var present = storedStudents.Rows.Values.Where(r => r.Erased == null).ToList(); // an erased pupil is only a used number
            plan.StoredStudentCount = present.Count;
            plan.Students.NotInFile.AddRange(present.Select(r => r.Student.Number).Where(n => !inFile.Contains(n)).OrderBy(n => n, StringComparer.Ordinal));

            var storedStaff = queries.Staff();
            var staffInFile = new HashSet<string>(_staff.Where(s => s.UserName != null).Select(s => s.UserName), StringComparer.OrdinalIgnoreCase);
            _departed = storedStaff.Values.Where(r => !staffInFile.Contains(r.Staff.UserName)).ToList();
            // Removed before the staff are written (Apply), departed staff hold no code: a new teacher may take one over.
            var staying = Options.RemoveDepartedStaff ? storedStaff.Values.Where(r => staffInFile.Contains(r.Staff.UserName)).ToDictionary(r => r.Staff.UserName, StringComparer.OrdinalIgnoreCase) : storedStaff;
            _staffPlan = StaffImporter.Plan(queries, _staff,
                new StaffImportOptions { AssumeGroupsRemoved = true, RunId = RunId }, _studentPlan.NewGroups, staying);
            plan.StoredStaffCount = storedStaff.Count;
            foreach (var row in _staffPlan.Rows)
            {
                if (row.Action == ImportAction.Created) plan.Staff.Created.Add(row.UserName);
                else if (row.Action == ImportAction.Failed) plan.Staff.Failed.Add(row.UserName);
                else if (row.Action == ImportAction.Updated) plan.Staff.Updated.Add(row.UserName);
                else if (!row.Record.IsDuplicate) plan.Staff.Unchanged.Add(row.UserName);
                foreach (var group in row.LinksAdded) plan.LinksToCreate.Add(new StaffGroupLink(row.Staff.UserName, group));
            }
            plan.Staff.NotInFile.AddRange(_departed.Select(r => r.Staff.UserName));
            plan.Staff.RemoveDeparted = Options.RemoveDepartedStaff;

            PlanDescription.Describe(plan, storedStudents, _studentPlan, _staffPlan, Options.Limits?.FinalYear ?? new FinalYearGroups());
            SafetyChecks.Run(plan, Options.Limits ?? RolloverLimits.Defaults, _staff, _studentPlan);

            // The planners find problems only the store shows (a reused number, a taken code): they count as row errors too.
            AddPlannerErrors(plan.StudentFile, _studentPlan.Rows.Where(r => r.Action == ImportAction.Failed).SelectMany(r => r.Errors));
            AddPlannerErrors(plan.StaffFile, _staffPlan.Rows.Where(r => r.Action == ImportAction.Failed).SelectMany(r => r.Errors));
        }

        private void AddPlannerErrors(string file, IEnumerable<ImportProblem> errors)
        {
            foreach (var error in errors)
                if (!Plan.Errors.Any(e => e.File == file && e.Row == error.Row && e.ErrorId == error.ErrorId))
                    Plan.Errors.Add(Problem(file, error));
        }

        /// <summary>Marks every safety stop as overridden (-Force): the report and the audit entry say which.</summary>
        public void OverrideSafetyStops()
        {
            foreach (var stop in Plan.SafetyStops) stop.Overridden = true;
        }


        /// <summary>The SHA-256 of a file's bytes as hex (what a saved plan records); null when it cannot be read.</summary>
        public static string FileHash(string path)
        {
            try
            {
                using (var sha = System.Security.Cryptography.SHA256.Create())
                using (var stream = Files.InputFile.OpenRead(path))
                    return TenantFingerprint.Hex(sha.ComputeHash(stream));
            }
            // A file that cannot be read gets its own error from the reader, naming the file.
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException) { return null; }
        }

        /// <summary>Steps 2 to 5, in the caller's transaction. Valid rows only: invalid ones were reported (and allowed) before.</summary>
        private RolloverResult Apply(ITenantQueries queries, ITenantEdits edits, CancellationToken cancellation, Action<string, double> progress)
        {
            var result = new RolloverResult { Plan = Plan, RunId = RunId, StudentRows = _studentPlan, StaffRows = _staffPlan };
            progress?.Invoke(Messages.Get("Step2"), 0.05);
            result.Groups = GroupRemoval.Preview(queries, Plan.GroupsToRemove);
            GroupRemoval.Remove(queries, edits, result.Groups, RunId);
            cancellation.ThrowIfCancellationRequested();

            progress?.Invoke(Messages.Get("Step3"), 0.15);
            StudentImporter.Apply(edits, _studentPlan, Plan.StudentFile, cancellation,
                (done, total) => progress?.Invoke(Messages.Format("Step3Progress", done, total), 0.15 + 0.65 * done / total));
            cancellation.ThrowIfCancellationRequested();

            // Step 5 before step 4 writes: a code a departed teacher held is free for the one who takes it over.
            if (Options.RemoveDepartedStaff)
            {
                progress?.Invoke(Messages.Get("Step5"), 0.8);
                foreach (var row in _departed)
                {
                    edits.DeleteStaff(row.Id);
                    edits.Audit(RunId, "RemoveStaff", row.Staff.UserName, "departed: not in " + Plan.StaffFile);
                    result.StaffRemoved.Add(row.Staff);
                }
            }

            progress?.Invoke(Messages.Get("Step4"), 0.85);
            StaffImporter.Apply(queries, edits, _staffPlan, Plan.StaffFile);
            cancellation.ThrowIfCancellationRequested();

            edits.Audit(RunId, "Rollover", Plan.StudentFile + " + " + Plan.StaffFile,
                $"groupsRemoved={Plan.GroupsToRemove.Count}; groupsCreated={Plan.GroupsToCreate.Count}; " +
                $"students: created={Plan.Students.Created.Count}, updated={Plan.Students.Updated.Count}, moved={Plan.Students.Moved.Count}, unchanged={Plan.Students.Unchanged.Count}, failed={Plan.Students.Failed.Count}, notInFile={Plan.Students.NotInFile.Count}; " +
                $"staff: created={Plan.Staff.Created.Count}, updated={Plan.Staff.Updated.Count}, unchanged={Plan.Staff.Unchanged.Count}, failed={Plan.Staff.Failed.Count}, notInFile={Plan.Staff.NotInFile.Count}; links={Plan.LinksToCreate.Count}; staffRemoved={result.StaffRemoved.Count}" +
                (Plan.SafetyStops.Count > 0 ? "; overridden=" + string.Join(",", Plan.SafetyStops.Select(stop => stop.Limit)) : ""));
            return result;
        }

        private static List<T> ReadAll<T>(string path, ImportFileOptions options, RolloverPlan plan, Action<string, double> progress) where T : ImportRecord
        {
            var records = new List<T>();
            using (var reader = ImportFileReader.Open(path, options))
            {
                if (reader.Report.WorksheetNote != null) plan.Notes.Add(reader.Report.WorksheetNote);
                foreach (var warning in reader.Report.Warnings) plan.Warnings.Add(Problem(reader.Report.Path, warning));
                // Duplicates are left to the planners, which see all rows (AddPlannerErrors).
                foreach (var record in reader.ReadRecords(trackDuplicates: false))
                {
                    records.Add((T)record);
                    if (!record.IsValid) foreach (var error in record.Errors) plan.Errors.Add(Problem(reader.Report.Path, error));
                    if (record.HasWarnings) foreach (var warning in record.Warnings) plan.Warnings.Add(Problem(reader.Report.Path, warning));
                    if (records.Count % 1000 == 0) progress?.Invoke(Messages.Format("Step1", reader.Report.Path, records.Count), reader.Fraction);
                }
            }
            return records;
        }

        private static void CheckColumnMap(ImportFileOptions read, RolloverRun run)
        {
            // A column map key must name a column of at least one of the two files.
            if (read.ColumnMap == null) return;
            var headers = run._students.Concat<ImportRecord>(run._staff).Select(r => r.Layout).Where(l => l != null).Distinct().SelectMany(l => l.Columns.Select(c => c.Header));
            var known = new HashSet<string>(headers, StringComparer.OrdinalIgnoreCase);
            foreach (var key in read.ColumnMap.Keys.Where(k => !known.Contains(k.Trim())))
                throw new AmnException("ColumnMapHeaderNotFound", AmnErrorCategory.InvalidArgument,
                    Messages.Format("ColumnMapColumnInNeither", key, run.Options.StudentPath, run.Options.StaffPath), key);
        }

        private static RolloverProblem Problem(string file, ImportProblem problem) => new RolloverProblem
        {
            File = file, Row = problem.Row, Column = problem.Column, Value = problem.Value, ErrorId = problem.ErrorId, Message = problem.Message,
        };
    }
}
