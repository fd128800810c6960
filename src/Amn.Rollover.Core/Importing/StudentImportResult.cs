using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Importing
{
    /// <summary>What an import does with one row.</summary>
    /// <summary>
    /// The one vocabulary of outcomes, for Import-AmnStudent, Import-AmnStaff, the rollover's plan, its
    /// report and the audit log alike: Moved is a pupil in another group (by name) than before, with or
    /// without other changes; Updated is other data changed in the same group. (NotInFile, for stored
    /// pupils and staff the file lacks, is the rollover's.)
    /// </summary>
    public enum ImportAction { Created, Updated, Moved, Unchanged, Failed }

    /// <summary>The outcome of one input row.</summary>
    public sealed class StudentImportRow
    {
        public int RowNumber { get; internal set; }
        public string Number { get; internal set; }
        public ImportAction Action { get; internal set; }
        /// <summary>For Updated: the fields that change, old -> new, such as Group: H3a -> H4a.</summary>
        public ChangeList Changes { get; internal set; } = ChangeList.Empty;

        private ProblemList _errors;
        private ProblemList _warnings;

        /// <summary>The row's problems: the record's, plus any the import found (the record itself is not changed).</summary>
        public ProblemList Errors => _errors ?? Record?.Errors ?? (_errors = new ProblemList());
        public ProblemList Warnings => _warnings ?? Record?.Warnings ?? (_warnings = new ProblemList());

        internal void AddError(ImportProblem problem)
        {
            if (_errors == null) _errors = new ProblemList(Record == null || Record.IsValid ? Enumerable.Empty<ImportProblem>() : Record.Errors);
            _errors.Add(problem);
        }

        internal void AddWarning(ImportProblem problem)
        {
            if (_warnings == null) _warnings = new ProblemList(Record == null || !Record.HasWarnings ? Enumerable.Empty<ImportProblem>() : Record.Warnings);
            _warnings.Add(problem);
        }

        internal bool HasErrors => _errors != null ? _errors.Count > 0 : Record != null && !Record.IsValid;

        /// <summary>The source row, for error logs.</summary>
        public StudentRecord Record { get; internal set; }
        private Student _student;

        /// <summary>The student as it is stored after the import (null for Failed rows); made from the record for new pupils.</summary>
        public Student Student
        {
            get
            {
                if (_student != null || Action != ImportAction.Created || Record == null) return _student;
                return StudentField.FromRecord(Record, TargetGroup);
            }
            internal set => _student = value;
        }

        /// <summary>For new pupils: their group, spelled as the tenant has it.</summary>
        internal string TargetGroup;

        /// <summary>True when the stored row is rewritten: data or group changed, or its group was removed and made again (a rollover).</summary>
        internal bool NeedsWrite;

        internal long? ExistingId;
        /// <summary>The group before the import (before the rollover removed it); null when new or without one.</summary>
        public string PreviousGroup { get; internal set; }
        /// <summary>True when the pupil ends up in another group than before.</summary>
        public bool GroupChanged { get; internal set; }
    }

    /// <summary>What the import cmdlets need of any import's summary.</summary>
    public interface IImportResult
    {
        bool WhatIf { get; set; }
        /// <summary>The counts, for a confirmation prompt.</summary>
        string Describe();
        IEnumerable<(ImportRecord Record, ProblemList Errors)> FailedRows();
        IEnumerable<ProblemList> RowWarnings();
        /// <summary>The stored objects after the import, for -PassThru.</summary>
        IEnumerable<object> StoredObjects();
    }

    /// <summary>The summary of one Import-AmnStudent invocation.</summary>
    public sealed class StudentImportResult : IImportResult
    {
        public int Created { get; internal set; }
        public int Updated { get; internal set; }
        public int Moved { get; internal set; }
        public int Unchanged { get; internal set; }
        public int Failed { get; internal set; }
        public int GroupsCreated => NewGroups.Count;

        internal void Count(ImportAction action, int by)
        {
            switch (action)
            {
                case ImportAction.Created: Created += by; break;
                case ImportAction.Updated: Updated += by; break;
                case ImportAction.Moved: Moved += by; break;
                case ImportAction.Unchanged: Unchanged += by; break;
                case ImportAction.Failed: Failed += by; break;
            }
        }
        public TimeSpan Duration { get; internal set; }
        /// <summary>True when the import was only planned (-WhatIf) or rolled back.</summary>
        public bool WhatIf { get; set; }
        public Guid RunId { get; internal set; }
        public List<string> NewGroups { get; } = new List<string>();
        public List<StudentImportRow> Rows { get; } = new List<StudentImportRow>();

        internal string Folder;

        public string Describe() => Messages.Format("StudentImportSummary", Created, Updated, Moved, Unchanged, Failed, GroupsCreated);
        public IEnumerable<(ImportRecord Record, ProblemList Errors)> FailedRows() => Rows.Where(r => r.Action == ImportAction.Failed).Select(r => ((ImportRecord)r.Record, r.Errors));
        public IEnumerable<ProblemList> RowWarnings() => Rows.Where(r => r.Record == null || r.Record.HasWarnings).Select(r => r.Warnings);
        public IEnumerable<object> StoredObjects() => Rows.Where(r => r.Student != null).Select(r => r.Student);
    }
}
