using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;
using Microsoft.Data.Sqlite;

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

        private RolloverRun(RolloverOptions options) { Options = options; }

        public RolloverOptions Options { get; }
        public RolloverPlan Plan { get; } = new RolloverPlan();
        public Guid RunId { get; } = Guid.NewGuid();

        /// <summary>True when any row of either file has an error.</summary>
        public bool HasRowErrors => Plan.Errors.Count > 0;

        /// <summary>Step 1: reads both files completely. File-level problems throw an AmnException naming the file.</summary>
        public static RolloverRun Read(RolloverOptions options, Action<string, double> progress = null)
        {
            var run = new RolloverRun(options);
            var read = options.Read ?? new ImportFileOptions();
            read.RequireColumnMapKeys = false;
            run.Plan.StudentFile = System.IO.Path.GetFullPath(options.StudentPath);
            run.Plan.StaffFile = System.IO.Path.GetFullPath(options.StaffPath);
            run.Plan.Inputs = new RolloverInputs { Options = options, StudentFileHash = FileHash(run.Plan.StudentFile), StaffFileHash = FileHash(run.Plan.StaffFile) };
            run._students = ReadAll<StudentRecord>(options.StudentPath, ForFile(read, ImportKind.Student, options.StudentWorksheet), run.Plan, progress);
            run._staff = ReadAll<StaffRecord>(options.StaffPath, ForFile(read, ImportKind.Staff, options.StaffWorksheet), run.Plan, progress);
            run.Plan.Folder = Folders.Normalize(options.Folder);
            CheckColumnMap(read, run);

            // Cross-check: staff links should name groups of the new student file.
            var newGroups = new HashSet<string>(run._students.Where(s => s.IsValid && s.Group != null).Select(s => s.Group), StringComparer.OrdinalIgnoreCase);
            foreach (var record in run._staff)
                foreach (var group in record.Groups.Where(g => !newGroups.Contains(g)))
                    run.Plan.Warnings.Add(Problem(run.Plan.StaffFile, new ImportProblem(record.RowNumber, "klas", group, "UnknownGroup",
                        $"Row {record.RowNumber}: {record.UserName} is linked to '{group}', which no pupil in the student file is in; that link is skipped.")));
            return run;
        }

        /// <summary>Steps 2 to 5 planned against the store, without changing it.</summary>
        public void PlanAgainst(SqliteConnection connection, SqliteTransaction transaction, string tenant = null)
        {
            var plan = Plan;
            plan.Tenant = tenant;
            plan.Created = DateTime.Now;
            var groups = Store.Groups.List(connection, transaction);
            plan.GroupsToRemove.AddRange(groups.Select(g => g.Name));

            var storedStudents = StoredStudents.Load(connection, transaction);
            _studentPlan = StudentImporter.Plan(connection, transaction, _students,
                new StudentImportOptions { Folder = Options.Folder, AssumeGroupsRemoved = true, RunId = RunId, Source = plan.StudentFile }, storedStudents);
            plan.GroupsToCreate.AddRange(_studentPlan.NewGroups);
            foreach (var row in _studentPlan.Rows)
            {
                switch (row.Action)
                {
                    case ImportAction.Created: plan.Students.Created.Add(row.Number); break;
                    case ImportAction.Failed: plan.Students.Failed.Add(row.Number); break;
                    default:
                        if (row.Record.IsDuplicate) break;
                        var dataChanged = row.Changes.Any(c => c.Field != "Group");
                        if (dataChanged) plan.Students.Updated.Add(row.Number);
                        if (row.GroupChanged) plan.Students.Moved.Add(row.Number);
                        if (!dataChanged && !row.GroupChanged) plan.Students.Unchanged.Add(row.Number);
                        break;
                }
            }
            var inFile = new HashSet<string>(_studentPlan.Rows.Where(r => r.Action != ImportAction.Failed).Select(r => r.Number), StringComparer.Ordinal);
            plan.StoredStudentCount = storedStudents.Rows.Count;
            plan.Students.NotInFile.AddRange(storedStudents.Rows.Keys.Where(n => !inFile.Contains(n)).OrderBy(n => n, StringComparer.Ordinal));

            var storedStaff = StaffTable.LoadAll(connection, transaction);
            _staffPlan = StaffImporter.Plan(connection, transaction, _staff,
                new StaffImportOptions { AssumeGroupsRemoved = true, RunId = RunId }, _studentPlan.NewGroups, storedStaff);
            plan.StoredStaffCount = storedStaff.Count;
            foreach (var row in _staffPlan.Rows)
            {
                if (row.Action == ImportAction.Created) plan.Staff.New.Add(row.UserName);
                else if (row.Action == ImportAction.Failed) plan.Staff.Failed.Add(row.UserName);
                else if (row.Changes.Any(c => c.Field != "Groups")) plan.Staff.Updated.Add(row.UserName);
                foreach (var group in row.LinksAdded) plan.LinksToCreate.Add(new StaffGroupLink(row.Staff.UserName, group));
            }
            var staffInFile = new HashSet<string>(_staff.Where(s => s.UserName != null).Select(s => s.UserName), StringComparer.OrdinalIgnoreCase);
            _departed = storedStaff.Values.Where(r => !staffInFile.Contains(r.Staff.UserName)).ToList();
            plan.Staff.Departed.AddRange(_departed.Select(r => r.Staff.UserName));
            plan.Staff.RemoveDeparted = Options.RemoveDepartedStaff;

            DescribeGroups(storedStudents);
            CheckLimits();

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

        /// <summary>The plan's leavers per last year's group, the moves from group to group, and the staff of every new group.</summary>
        private void DescribeGroups(StoredStudents stored)
        {
            var plan = Plan;
            var finalYear = Options.Limits?.FinalYear ?? new FinalYearGroups();
            var leaving = new HashSet<string>(plan.Students.NotInFile, StringComparer.Ordinal);
            foreach (var group in stored.Rows.Values.GroupBy(r => r.Student.Group ?? "", StringComparer.OrdinalIgnoreCase))
            {
                var leavers = group.Where(r => leaving.Contains(r.Student.Number)).ToList();
                if (leavers.Count == 0) continue;
                var entry = new GroupLeavers { Group = group.Key, FinalYear = finalYear.IsFinalYear(group.Key), Pupils = group.Count() };
                entry.Leavers.AddRange(leavers.OrderBy(r => r.Student.Number, StringComparer.Ordinal).Select(r => Planned(r.Student, group.Key)));
                plan.LeaversByGroup.Add(entry);
            }
            plan.LeaversByGroup.Sort((a, b) => a.FinalYear != b.FinalYear ? (a.FinalYear ? -1 : 1) : GroupOrder.Compare(a.Group, b.Group));

            var moves = new Dictionary<(string, string), int>();
            void Count(string from, string to) => moves[(from, to)] = moves.TryGetValue((from, to), out var n) ? n + 1 : 1;
            foreach (var row in _studentPlan.Rows.Where(r => r.Action != ImportAction.Failed && !r.Record.IsDuplicate))
            {
                var group = row.Student?.Group ?? row.Record.Group ?? "";
                if (row.Action == ImportAction.Created)
                {
                    plan.NewStudents.Add(Planned(row.Student, group));
                    Count("(new)", group);
                }
                else Count(row.PreviousGroup ?? "", group);
            }
            plan.NewStudents.Sort((a, b) => a.Group != b.Group ? GroupOrder.Compare(a.Group, b.Group) : string.CompareOrdinal(a.Number, b.Number));
            foreach (var group in plan.LeaversByGroup) moves[(group.Group, "(left)")] = group.Leaving;
            plan.GroupMoves.AddRange(moves.OrderBy(m => m.Key.Item1, GroupOrder).ThenBy(m => m.Key.Item2, GroupOrder)
                .Select(m => new GroupMove { From = m.Key.Item1, To = m.Key.Item2, Count = m.Value }));

            var pupils = _studentPlan.Rows.Where(r => r.Action != ImportAction.Failed && !r.Record.IsDuplicate)
                .GroupBy(r => r.Student?.Group ?? r.Record.Group ?? "", StringComparer.OrdinalIgnoreCase).Where(g => g.Key != "")
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
            var staffRows = _staffPlan.Rows.Where(r => r.Action != ImportAction.Failed && r.Staff != null).ToList();
            foreach (var group in pupils.Keys.OrderBy(g => g, GroupOrder))
            {
                var linked = staffRows.Where(r => r.LinksAdded.Contains(group, StringComparer.OrdinalIgnoreCase)).ToList();
                TextList With(string role) => new TextList(linked.Where(r => r.Staff.Roles.Contains(role)).Select(r => r.Staff.FullName ?? r.Staff.UserName));
                var staffing = new GroupStaffing { Group = group, Pupils = pupils[group], Mentors = With("mentor"), Teachers = With("docent") };
                plan.NewGroups.Add(staffing);
                if (staffing.Mentors.Count == 0) plan.GroupsWithoutMentor.Add(group);
            }
            if (plan.GroupsWithoutMentor.Count > 0)
                plan.Warnings.Add(new RolloverProblem
                {
                    File = plan.StaffFile, Column = "rol", ErrorId = "GroupWithoutMentor", Value = string.Join(", ", plan.GroupsWithoutMentor),
                    Message = $"{plan.GroupsWithoutMentor.Count} of the {plan.NewGroups.Count} groups {(plan.GroupsWithoutMentor.Count == 1 ? "has" : "have")} no mentor after the rollover: {Shorten(plan.GroupsWithoutMentor)}. Link one with Set-AmnStaffGroupLink, or add the mentor to the staff file.",
                });
        }

        private static PlannedStudent Planned(Student student, string group) => new PlannedStudent { Number = student.Number, Name = student.FullName, Group = group };

        /// <summary>The signatures of a wrong file, checked against the limits; each one found stops the run unless -Force.</summary>
        private void CheckLimits()
        {
            var plan = Plan;
            var limits = Options.Limits ?? new RolloverLimits();
            void Stop(string limit, string parameter, double? percent, int? maximum, string message)
                => plan.SafetyStops.Add(new SafetyStop { Limit = limit, Parameter = parameter, Percent = percent, MaximumPercent = maximum, Message = message });
            double Percent(long part, long whole) => Math.Round(100.0 * part / whole, 1);
            var file = System.IO.Path.GetFileName(plan.StudentFile);

            var stored = plan.StoredStudentCount;
            var leavers = plan.Students.NotInFile.Count;
            if (stored > 0 && Percent(leavers, stored) > limits.MaxLeaversPercent)
                Stop("Leavers", "MaxLeaversPercent", Percent(leavers, stored), limits.MaxLeaversPercent,
                    $"{leavers} of the {stored} stored pupils ({Percent(leavers, stored):0.#}%) are not in '{file}'; the limit is {limits.MaxLeaversPercent}% (-MaxLeaversPercent). " +
                    "A normal year loses its exam classes, about 1 in 5 pupils; this many usually means another school's or location's export, or one class or department only.");

            var others = plan.LeaversByGroup.Where(g => !g.FinalYear).ToList();
            var otherLeavers = others.Sum(g => g.Leaving);
            var outsideFinalYear = stored - plan.LeaversByGroup.Where(g => g.FinalYear).Sum(g => g.Pupils);
            if (outsideFinalYear > 0 && Percent(otherLeavers, outsideFinalYear) > limits.MaxOtherLeaversPercent)
            {
                var most = string.Join(", ", others.OrderByDescending(g => g.Leaving).Take(5).Select(g => $"{(g.Group == "" ? "(no group)" : g.Group)} ({g.Leaving} of {g.Pupils})"));
                var finalYear = limits.FinalYear.Patterns.Length > 0 ? $"the groups matching -FinalYearGroup {string.Join(", ", limits.FinalYear.Patterns)}" : "groups such as H5a, V6b, M4a or 4GT";
                Stop("OtherLeavers", "MaxOtherLeaversPercent", Percent(otherLeavers, outsideFinalYear), limits.MaxOtherLeaversPercent,
                    $"{otherLeavers} of the {outsideFinalYear} pupils outside final-year groups ({Percent(otherLeavers, outsideFinalYear):0.#}%) are not in '{file}'; the limit is {limits.MaxOtherLeaversPercent}% (-MaxOtherLeaversPercent). " +
                    $"Most leave from {most}. Final-year groups are {finalYear}; if these are your exam classes, name them with -FinalYearGroup.");
            }

            var inFile = plan.Students.Created.Count + plan.Students.Updated.Union(plan.Students.Moved).Union(plan.Students.Unchanged).Count();
            var created = plan.Students.Created.Count;
            if (stored > 0 && inFile > 0 && Percent(created, inFile) > limits.MaxNewStudentsPercent)
                Stop("NewStudents", "MaxNewStudentsPercent", Percent(created, inFile), limits.MaxNewStudentsPercent,
                    $"{created} of the {inFile} pupils in '{file}' ({Percent(created, inFile):0.#}%) are new to the tenant; the limit is {limits.MaxNewStudentsPercent}% (-MaxNewStudentsPercent). " +
                    "A normal year brings one first-year intake; this many usually means another school's export, or numbers that changed (leading zeros lost in Excel?).");

            var matched = inFile - created;
            if (stored > 0 && matched > 0 && plan.Students.Moved.Count == 0 && created == 0)
                Stop("NothingMoves", null, null, null,
                    $"No pupil in '{file}' moves to another group and none is new: this looks like last year's export again. Export the new school year's groups from the SIS.");

            var linkedGroups = new HashSet<string>(_staff.SelectMany(s => s.Groups), StringComparer.OrdinalIgnoreCase);
            if (linkedGroups.Count > 0 && plan.GroupsToCreate.Count > 0 && !_studentPlan.Rows.Any(r => r.Record?.Group != null && linkedGroups.Contains(r.Record.Group)))
                Stop("GroupsUnknownToStaff", null, null, null,
                    $"None of the groups in '{file}' appears in the klas column of '{System.IO.Path.GetFileName(plan.StaffFile)}' ({Shorten(linkedGroups.OrderBy(g => g, GroupOrder).ToList())}): the two files are from different years or schools.");

            var staff = plan.StoredStaffCount;
            var departed = plan.Staff.Departed.Count;
            if (plan.Staff.RemoveDeparted && staff > 0 && Percent(departed, staff) > limits.MaxDepartedStaffPercent)
                Stop("DepartedStaff", "MaxDepartedStaffPercent", Percent(departed, staff), limits.MaxDepartedStaffPercent,
                    $"{departed} of the {staff} staff members ({Percent(departed, staff):0.#}%) are not in '{System.IO.Path.GetFileName(plan.StaffFile)}' and would be removed; the limit is {limits.MaxDepartedStaffPercent}% (-MaxDepartedStaffPercent).");
        }

        /// <summary>Marks every safety stop as overridden (-Force): the report and the audit entry say which.</summary>
        public void OverrideSafetyStops()
        {
            foreach (var stop in Plan.SafetyStops) stop.Overridden = true;
        }

        private static string Shorten(IReadOnlyList<string> names) => string.Join(", ", names.Take(10)) + (names.Count > 10 ? $" and {names.Count - 10} more" : "");

        /// <summary>Group names in the order a school reads them: H2a before H10a.</summary>
        private static readonly IComparer<string> GroupOrder = new NaturalOrder();

        private sealed class NaturalOrder : IComparer<string>
        {
            public int Compare(string x, string y)
            {
                x = x ?? ""; y = y ?? "";
                int i = 0, j = 0;
                while (i < x.Length && j < y.Length)
                {
                    if (char.IsDigit(x[i]) && char.IsDigit(y[j]))
                    {
                        int si = i, sj = j;
                        while (i < x.Length && char.IsDigit(x[i])) i++;
                        while (j < y.Length && char.IsDigit(y[j])) j++;
                        var a = x.Substring(si, i - si).TrimStart('0'); var b = y.Substring(sj, j - sj).TrimStart('0');
                        if (a.Length != b.Length) return a.Length.CompareTo(b.Length);
                        var c = string.CompareOrdinal(a, b);
                        if (c != 0) return c;
                    }
                    else
                    {
                        var c = char.ToUpperInvariant(x[i]).CompareTo(char.ToUpperInvariant(y[j]));
                        if (c != 0) return c;
                        i++; j++;
                    }
                }
                return (x.Length - i).CompareTo(y.Length - j);
            }
        }

        /// <summary>The store's data hash for a saved plan; computed only when a plan is saved or applied.</summary>
        public string Fingerprint(SqliteConnection connection, SqliteTransaction transaction)
            => Plan.Inputs.TenantFingerprint = TenantFingerprint.Compute(connection, transaction);

        private static ImportFileOptions ForFile(ImportFileOptions read, ImportKind kind, string worksheet)
        {
            var options = read.For(kind);
            if (worksheet != null) options.Worksheet = worksheet;
            return options;
        }

        internal static string FileHash(string path)
        {
            try
            {
                using (var sha = System.Security.Cryptography.SHA256.Create())
                using (var stream = new System.IO.FileStream(path, System.IO.FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.ReadWrite | System.IO.FileShare.Delete))
                    return TenantFingerprint.Hex(sha.ComputeHash(stream));
            }
            catch (System.IO.FileNotFoundException) { return null; }   // the reader says so, naming the file
            catch (System.IO.DirectoryNotFoundException) { return null; }
        }

        /// <summary>Steps 2 to 5, in the caller's transaction. Valid rows only: invalid ones were reported (and allowed) before.</summary>
        public RolloverResult Apply(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellation = default, Action<string, double> progress = null)
        {
            var result = new RolloverResult { Plan = Plan, RunId = RunId, StudentRows = _studentPlan, StaffRows = _staffPlan };
            progress?.Invoke("Step 2: removing all groups", 0.05);
            result.Groups = GroupRemoval.Preview(connection, transaction, Plan.GroupsToRemove);
            GroupRemoval.Remove(connection, transaction, result.Groups, RunId);
            cancellation.ThrowIfCancellationRequested();

            progress?.Invoke("Step 3: importing pupils into the new groups", 0.15);
            StudentImporter.Apply(connection, transaction, _studentPlan, Plan.StudentFile, cancellation,
                (done, total) => progress?.Invoke($"Step 3: {done} of {total} pupils", 0.15 + 0.65 * done / total));
            cancellation.ThrowIfCancellationRequested();

            progress?.Invoke("Step 4: importing staff and linking them to the new groups", 0.8);
            StaffImporter.Apply(connection, transaction, _staffPlan, Plan.StaffFile);
            cancellation.ThrowIfCancellationRequested();

            if (Options.RemoveDepartedStaff)
            {
                progress?.Invoke("Step 5: removing departed staff", 0.95);
                foreach (var row in _departed)
                {
                    StaffTable.Delete(connection, transaction, row.Id);
                    AuditLog.Write(connection, transaction, RunId, "RemoveStaff", row.Staff.UserName, "departed: not in " + Plan.StaffFile);
                    result.StaffRemoved.Add(row.Staff);
                }
            }
            AuditLog.Write(connection, transaction, RunId, "Rollover", Plan.StudentFile + " + " + Plan.StaffFile,
                $"groupsRemoved={Plan.GroupsToRemove.Count}; groupsCreated={Plan.GroupsToCreate.Count}; studentsCreated={Plan.Students.Created.Count}; studentsUpdated={Plan.Students.Updated.Count}; " +
                $"studentsMoved={Plan.Students.Moved.Count}; notInFile={Plan.Students.NotInFile.Count}; staffNew={Plan.Staff.New.Count}; links={Plan.LinksToCreate.Count}; staffRemoved={result.StaffRemoved.Count}" +
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
                    if (records.Count % 1000 == 0) progress?.Invoke($"Step 1: reading {reader.Report.Path}: {records.Count} rows", reader.Fraction);
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
                    $"-ColumnMap names the column '{key}', but neither '{run.Options.StudentPath}' nor '{run.Options.StaffPath}' has such a column.", key);
        }

        private static RolloverProblem Problem(string file, ImportProblem problem) => new RolloverProblem
        {
            File = file, Row = problem.Row, Column = problem.Column, Value = problem.Value, ErrorId = problem.ErrorId, Message = problem.Message,
        };
    }
}
