using System;
using System.Collections.Generic;
using System.Linq;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Importing
{
    /// <summary>What an import does with one row.</summary>
    public enum ImportAction { Created, Updated, Unchanged, Failed }

    /// <summary>The outcome of one input row.</summary>
    public sealed class StudentImportRow
    {
        public int RowNumber { get; internal set; }
        public string Number { get; internal set; }
        public ImportAction Action { get; internal set; }
        /// <summary>For Updated: the fields that change, such as Group or LastName.</summary>
        public string[] Changes { get; internal set; } = new string[0];
        public ProblemList Errors { get; internal set; } = new ProblemList();
        public ProblemList Warnings { get; internal set; } = new ProblemList();

        /// <summary>The source row, for error logs.</summary>
        public StudentRecord Record { get; internal set; }
        /// <summary>The student as it is stored after the import (null for Failed rows).</summary>
        public Student Student { get; internal set; }

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
        public int Unchanged { get; internal set; }
        public int Failed { get; internal set; }
        public int GroupsCreated => NewGroups.Count;
        public TimeSpan Duration { get; internal set; }
        /// <summary>True when the import was only planned (-WhatIf) or rolled back.</summary>
        public bool WhatIf { get; set; }
        public Guid RunId { get; internal set; }
        public List<string> NewGroups { get; } = new List<string>();
        public List<StudentImportRow> Rows { get; } = new List<StudentImportRow>();

        internal string Folder;

        public string Describe() => $"{Created} new, {Updated} updated, {Unchanged} unchanged, {Failed} failed; {GroupsCreated} new groups";
        public IEnumerable<(ImportRecord Record, ProblemList Errors)> FailedRows() => Rows.Where(r => r.Action == ImportAction.Failed).Select(r => ((ImportRecord)r.Record, r.Errors));
        public IEnumerable<ProblemList> RowWarnings() => Rows.Select(r => r.Warnings);
        public IEnumerable<object> StoredObjects() => Rows.Where(r => r.Student != null).Select(r => r.Student);
    }
}
