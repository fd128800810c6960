using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover.Core.Importing
{
    /// <summary>How to import staff.</summary>
    public sealed class StaffImportOptions
    {
        /// <summary>Creates groups that the klas columns name but the tenant lacks, instead of skipping those links.</summary>
        public bool CreateMissingGroups { get; set; }
        /// <summary>Plans as if every group, and so every link, had been removed first (rollover step 2 before step 4).</summary>
        public bool AssumeGroupsRemoved { get; set; }
        /// <summary>Makes each imported staff member's links exactly the file's, removing the others.</summary>
        public bool Exclusive { get; set; }
        public Guid RunId { get; set; } = Guid.NewGuid();
    }

    /// <summary>The outcome of one staff row.</summary>
    public sealed class StaffImportRow
    {
        public int RowNumber { get; internal set; }
        public string UserName { get; internal set; }
        public ImportAction Action { get; internal set; }
        public ChangeList Changes { get; internal set; } = ChangeList.Empty;
        public TextList LinksAdded { get; internal set; } = TextList.Empty;
        public TextList LinksRemoved { get; internal set; } = TextList.Empty;
        public ProblemList Errors { get; internal set; } = new ProblemList();
        public ProblemList Warnings { get; internal set; } = new ProblemList();
        public StaffRecord Record { get; internal set; }
        /// <summary>The staff member as stored after the import (null for Failed rows).</summary>
        public Staff Staff { get; internal set; }

        internal long? ExistingId;
        internal bool RolesChanged;
    }

    /// <summary>The summary of one Import-AmnStaff invocation.</summary>
    public sealed class StaffImportResult : IImportResult
    {
        public int Created { get; internal set; }
        public int Updated { get; internal set; }
        public int Unchanged { get; internal set; }
        public int Failed { get; internal set; }
        public int LinksAdded { get; internal set; }
        public int LinksRemoved { get; internal set; }
        public TimeSpan Duration { get; internal set; }
        public bool WhatIf { get; set; }
        public Guid RunId { get; internal set; }
        public List<string> NewGroups { get; } = new List<string>();
        public List<StaffImportRow> Rows { get; } = new List<StaffImportRow>();

        public string Describe() => Messages.Format("StaffImportSummary", Created, Updated, Unchanged, Failed, LinksAdded, LinksRemoved);
        public IEnumerable<(ImportRecord Record, ProblemList Errors)> FailedRows() => Rows.Where(r => r.Action == ImportAction.Failed).Select(r => ((ImportRecord)r.Record, r.Errors));
        public IEnumerable<ProblemList> RowWarnings() => Rows.Select(r => r.Warnings);
        public IEnumerable<object> StoredObjects() => Rows.Where(r => r.Staff != null).Select(r => r.Staff);
    }

    /// <summary>
    /// Upserts staff by username: names, code and e-mail from the columns the file has, roles from
    /// rol, group links from the klas columns. Plan first, then apply, in the caller's transaction.
    /// </summary>
    public static class StaffImporter
    {
        /// <summary>Decides every row's action against the tenant, without writing.</summary>
        public static StaffImportResult Plan(TenantWork work, IReadOnlyList<StaffRecord> records, StaffImportOptions options)
            => Plan(work.Queries, records, options);

        /// <summary>Writes a plan in <paramref name="work"/> (the caller commits).</summary>
        public static void Apply(TenantWork work, StaffImportResult plan, string source) => Apply(work.Queries, work.Edits, plan, source);

        /// <param name="knownGroups">
        /// Groups to treat as existing besides the stored ones: the rollover links staff to the groups
        /// its student import is about to create.
        /// </param>
        /// <param name="stored">The stored staff, when the caller loaded them already in this transaction.</param>
        internal static StaffImportResult Plan(ITenantQueries queries, IReadOnlyList<StaffRecord> records, StaffImportOptions options,
            IEnumerable<string> knownGroups = null, IReadOnlyDictionary<string, StaffTable.Row> stored = null)
        {
            var clock = Stopwatch.StartNew();
            stored = stored ?? queries.Staff();
            var groups = options.AssumeGroupsRemoved ? new string[0] : queries.GroupIds().Keys.ToArray();
            // A code its stored owner gives up in this file is free for a colleague in the same file, as long as the
            // owner's row goes through: planned again without the codes of owners whose rows failed, until none fails.
            var givenUp = CodesGivenUp(records, stored);
            var released = givenUp;
            while (true)
            {
                var result = PlanRows(records, options, groups.Concat(knownGroups ?? Enumerable.Empty<string>()), stored, givenUp, released);
                var planned = new HashSet<string>(result.Rows.Where(row => row.Staff != null).Select(row => row.UserName), StringComparer.OrdinalIgnoreCase);
                var kept = released.Where(r => planned.Contains(r.Value.Owner)).ToDictionary(r => r.Key, r => r.Value, StringComparer.OrdinalIgnoreCase);
                if (kept.Count == released.Count)
                {
                    result.Duration = clock.Elapsed;
                    return result;
                }
                released = kept;
            }
        }

        /// <summary>The stored codes whose owners' rows in the file give them another code (or none), by code, with the owner and that row.</summary>
        private static Dictionary<string, (string Owner, int Row)> CodesGivenUp(IReadOnlyList<StaffRecord> records, IReadOnlyDictionary<string, StaffTable.Row> stored)
        {
            var given = new Dictionary<string, (string, int)>(StringComparer.OrdinalIgnoreCase);
            foreach (var record in records.Where(r => r.UserName != null && r.Errors.Count == 0 && (r.PresentFields == null || r.PresentFields.Contains(ImportField.Code))))
                if (stored.TryGetValue(record.UserName, out var owner) && owner.Staff.Code != null && !string.Equals(owner.Staff.Code, record.Code, StringComparison.OrdinalIgnoreCase))
                    given[owner.Staff.Code] = (owner.Staff.UserName, record.RowNumber);
            return given;
        }

        private static StaffImportResult PlanRows(IReadOnlyList<StaffRecord> records, StaffImportOptions options, IEnumerable<string> knownGroups,
            IReadOnlyDictionary<string, StaffTable.Row> stored, Dictionary<string, (string Owner, int Row)> givenUp, Dictionary<string, (string Owner, int Row)> released)
        {
            var result = new StaffImportResult { RunId = options.RunId };
            var groupNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in knownGroups)
                if (!groupNames.ContainsKey(name)) groupNames[name] = name;
            var codes = stored.Values.Where(r => r.Staff.Code != null && !released.ContainsKey(r.Staff.Code)).ToDictionary(r => r.Staff.Code, r => r.Staff.UserName, StringComparer.OrdinalIgnoreCase);
            var conflicts = FindConflicts(records);

            foreach (var record in records)
            {
                var row = new StaffImportRow { RowNumber = record.RowNumber, UserName = record.UserName, Record = record, Errors = new ProblemList(record.Errors), Warnings = new ProblemList(record.Warnings) };
                result.Rows.Add(row);
                if (conflicts.TryGetValue(record, out var conflict))
                {
                    if (conflict.IsRepeat)
                    {
                        row.Warnings.Add(DuplicateKeys.Repeat(record.RowNumber, conflict.OtherRow, UserNameColumn, record.UserName));
                        row.Action = ImportAction.Unchanged;
                        result.Unchanged++;
                        continue;
                    }
                    if (!row.Errors.Any(e => e.ErrorId == conflict.Problem.ErrorId))
                        row.Errors.Add(conflict.Problem);
                }
                if (row.Errors.Count > 0) { Fail(result, row); continue; }

                stored.TryGetValue(record.UserName, out var existing);
                if (record.Code != null && codes.TryGetValue(record.Code, out var owner) && !string.Equals(owner, record.UserName, StringComparison.OrdinalIgnoreCase))
                {
                    row.Errors.Add(Problem(record, "DuplicateCode", record.Code, givenUp.TryGetValue(record.Code, out var giving)
                        ? Messages.Format("CodeKeptByOwner", record.RowNumber, record.Code, owner, giving.Row)
                        : Messages.Format("CodeTaken", record.RowNumber, record.Code, owner)));
                    Fail(result, row);
                    continue;
                }

                var present = record.PresentFields ?? new HashSet<ImportField>(Enum.GetValues(typeof(ImportField)).Cast<ImportField>());
                var before = existing?.Staff;
                // The file is the truth for the columns it has; columns it lacks keep the stored value.
                var after = new Staff
                {
                    UserName = record.UserName,
                    Roles = before == null || present.Contains(ImportField.Roles) ? StaffTable.SortRoles(record.Roles) : before.Roles,
                };
                foreach (var field in StaffField.All)
                    field.Set(after, before == null || present.Contains(field.Field) ? field.Get(record) : field.Get(before));

                // Links: the file's groups that exist (or get created); unknown ones are skipped with a warning.
                var wanted = new List<string>();
                foreach (var group in record.Groups)
                {
                    if (groupNames.TryGetValue(group, out var spelling)) { wanted.Add(spelling); continue; }
                    if (options.CreateMissingGroups)
                    {
                        groupNames[group] = group;
                        result.NewGroups.Add(group);
                        wanted.Add(group);
                        continue;
                    }
                    row.Warnings.Add(Problem(record, "UnknownGroup", group, Messages.Format("GroupMissingImportStudentsFirst", record.RowNumber, group, record.UserName)));
                }
                var current = options.AssumeGroupsRemoved || before == null ? TextList.Empty : before.Groups;
                var added = wanted.Where(g => !current.Contains(g, StringComparer.OrdinalIgnoreCase)).ToArray();
                var removed = options.Exclusive && present.Contains(ImportField.Groups)
                    ? current.Where(g => !wanted.Contains(g, StringComparer.OrdinalIgnoreCase)).ToArray()
                    : new string[0];
                after.Groups = current.Except(removed, StringComparer.OrdinalIgnoreCase).Concat(added).OrderBy(g => g, StringComparer.OrdinalIgnoreCase).ToArray();
                row.LinksAdded = added;
                row.LinksRemoved = removed;
                row.Staff = after;
                if (after.Code != null) codes[after.Code] = after.UserName;

                if (existing == null)
                {
                    row.Action = ImportAction.Created;
                    result.Created++;
                }
                else
                {
                    row.ExistingId = existing.Id;
                    row.Changes = Changes(before, after);
                    row.RolesChanged = row.Changes.Includes("Roles");
                    row.Action = row.Changes.Count == 0 ? ImportAction.Unchanged : ImportAction.Updated;
                    if (row.Action == ImportAction.Updated) result.Updated++; else result.Unchanged++;
                }
                result.LinksAdded += added.Length;
                result.LinksRemoved += removed.Length;
            }
            return result;
        }

        /// <summary>Writes a plan: missing groups (root folder), staff, roles and links, and an audit entry.</summary>
        internal static void Apply(ITenantQueries queries, ITenantEdits edits, StaffImportResult plan, string source)
        {
            var clock = Stopwatch.StartNew();
            var groups = queries.GroupIds();
            if (plan.NewGroups.Count > 0)
            {
                var root = edits.EnsureFolder("");
                foreach (var name in plan.NewGroups.Where(n => !groups.ContainsKey(n)))
                    groups[name] = edits.InsertGroup(name, root);
            }
            using (var writer = edits.StaffWriter())
            {
                // A code given up in this file is let go before any row takes it (a store file checks codes row by row).
                foreach (var row in plan.Rows.Where(r => r.Action == ImportAction.Updated && r.Changes.Includes(nameof(Staff.Code))))
                    writer.ReleaseCode(row.ExistingId.Value);
                // An unchanged row still writes its links when they were removed with their groups (a rollover).
                foreach (var row in plan.Rows.Where(r => r.Action == ImportAction.Created || r.Action == ImportAction.Updated || r.LinksAdded.Count + r.LinksRemoved.Count > 0))
                {
                    long id;
                    if (row.Action == ImportAction.Created)
                    {
                        id = writer.Insert(row.Staff);
                        writer.SetRoles(id, row.Staff.Roles);
                    }
                    else
                    {
                        id = row.ExistingId.Value;
                        if (row.Action == ImportAction.Updated) writer.Update(id, row.Staff);
                        if (row.RolesChanged) writer.SetRoles(id, row.Staff.Roles);
                    }
                    foreach (var group in row.LinksAdded) writer.AddLink(id, groups[group]);
                    foreach (var group in row.LinksRemoved) writer.RemoveLink(id, groups[group]);
                }
                writer.Flush();
            }
            edits.Audit(plan.RunId, "ImportStaff", source,
                $"created={plan.Created}; updated={plan.Updated}; unchanged={plan.Unchanged}; failed={plan.Failed}; linksAdded={plan.LinksAdded}; linksRemoved={plan.LinksRemoved}");
            plan.Duration += clock.Elapsed;
        }

        private static ChangeList Changes(Staff before, Staff after)
        {
            var changes = new List<FieldChange>();
            void Compare(string field, string old, string now) => ChangeList.Compare(changes, field, old, now);
            Compare("UserName", before.UserName, after.UserName);
            foreach (var field in StaffField.All) Compare(field.Name, field.Get(before), field.Get(after));
            if (!before.Roles.SequenceEqual(after.Roles, StringComparer.OrdinalIgnoreCase)) changes.Add(new FieldChange("Roles", before.Roles.ToString(), after.Roles.ToString()));
            // By name, against the links stored before: a rollover that links a teacher to the recreated M1a again changes nothing.
            var stored = new HashSet<string>(before.Groups, StringComparer.OrdinalIgnoreCase);
            if (!stored.SetEquals(after.Groups))
                changes.Add(new FieldChange("Groups", before.Groups.ToString(), string.Join(", ", after.Groups)));
            return new ChangeList(changes);
        }

        /// <summary>A repeat of row OtherRow, or the problem of a conflicting row.</summary>
        private sealed class Conflict { public bool IsRepeat; public int OtherRow; public ImportProblem Problem; }

        private const string UserNameColumn = "gebruikersnaam";

        /// <summary>Rows that share a username (repeats or conflicts) or a code with another row.</summary>
        private static Dictionary<StaffRecord, Conflict> FindConflicts(IReadOnlyList<StaffRecord> records)
        {
            var result = new Dictionary<StaffRecord, Conflict>();
            foreach (var group in records.Where(r => r.UserName != null).GroupBy(r => r.UserName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                var first = group.First();
                bool allSame = group.All(r => r.ContentSignature() == first.ContentSignature());
                foreach (var record in group)
                {
                    if (allSame && record == first) continue;
                    var other = record == first ? group.Skip(1).First() : first;
                    result[record] = allSame
                        ? new Conflict { IsRepeat = true, OtherRow = first.RowNumber }
                        : new Conflict { Problem = DuplicateKeys.Conflict(ImportKind.Staff, record.RowNumber, other.RowNumber, UserNameColumn, record.UserName) };
                }
            }
            var distinctPeople = records.Where(r => r.Code != null && r.UserName != null && !(result.TryGetValue(r, out var c) && c.IsRepeat));
            foreach (var group in distinctPeople.GroupBy(r => r.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Select(r => r.UserName).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1))
                foreach (var record in group)
                    if (!result.ContainsKey(record))
                        result[record] = new Conflict { Problem = Problem(record, "DuplicateCode", record.Code, Messages.Format("CodeUsedTwice", record.RowNumber, record.Code)) };
            return result;
        }

        private static ImportProblem Problem(StaffRecord record, string errorId, string value, string message)
        {
            var column = errorId == "DuplicateCode" ? "code" : errorId == "UnknownGroup" ? "klas" : UserNameColumn;
            return new ImportProblem(record.RowNumber, column, value, errorId, message);
        }

        private static void Fail(StaffImportResult result, StaffImportRow row)
        {
            row.Action = ImportAction.Failed;
            result.Failed++;
        }
    }
}
