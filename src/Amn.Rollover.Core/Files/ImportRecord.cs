using System;
using System.Collections.Generic;

using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.Files
{
    /// <summary>One data row of an import file, normalised, with the problems found in it.</summary>
    public abstract class ImportRecord
    {
        /// <summary>The row as a person sees it in Excel or a text editor.</summary>
        public int RowNumber { get; set; }
        private ProblemList _errors;
        private ProblemList _warnings;

        // Created on first use: most rows of a large import have no problems, and a million empty lists add up.
        public ProblemList Errors => _errors ?? (_errors = new ProblemList());
        public ProblemList Warnings => _warnings ?? (_warnings = new ProblemList());

        public bool IsValid => _errors == null || _errors.Count == 0;

        internal bool HasWarnings => _warnings != null && _warnings.Count > 0;

        /// <summary>
        /// The source row as read, in the order of the layout's columns, kept only for rows that fail
        /// while being read (for the error log; a million valid rows need not keep their raw cells).
        /// </summary>
        internal object[] SourceValues { get; set; }
        /// <summary>The columns the record was read from; null for records made in code.</summary>
        internal ColumnLayout Layout { get; set; }

        /// <summary>The fields the source had a column for; absent fields leave stored values alone on import.</summary>
        internal ISet<ImportField> PresentFields { get; set; }

        /// <summary>True for an exact repeat of an earlier row with the same key; it is reported, then skipped.</summary>
        public bool IsDuplicate { get; internal set; }

        internal void AddError(string column, string value, string errorId, string message)
            => Errors.Add(new ImportProblem(RowNumber, column, value, errorId, message));

        internal void AddWarning(string column, string value, string errorId, string message)
            => Warnings.Add(new ImportProblem(RowNumber, column, value, errorId, message));

        /// <summary>The key that identifies the person: Number for students, UserName for staff.</summary>
        internal abstract string Key { get; }

        /// <summary>A text of all normalised fields, to tell an exact repeat from a differing row.</summary>
        internal abstract string ContentSignature();

        /// <summary>A hash of <see cref="ContentSignature"/> for this process, without building the text.</summary>
        internal abstract int ContentHash();

        protected static int Combine(int hash, string value) => unchecked(hash * 31 + (value == null ? 0 : StringComparer.Ordinal.GetHashCode(value)));
    }

    /// <summary>A participant (deelnemer) row.</summary>
    public sealed class StudentRecord : ImportRecord
    {
        public string Number { get; set; }
        public string FirstName { get; set; }
        public string Prefix { get; set; }
        public string LastName { get; set; }
        public DateTime? BirthDate { get; set; }
        public string Gender { get; set; }
        public string Group { get; set; }
        public string CreboNumber { get; set; }
        public string Email { get; set; }
        public string UserName { get; set; }

        internal override string Key => Number;

        internal override string ContentSignature()
            => string.Join("\u001f", Number, FirstName, Prefix, LastName, BirthDate?.ToString("yyyy-MM-dd"), Gender, Group, CreboNumber, Email, UserName);

        internal override int ContentHash()
        {
            int hash = Combine(Combine(Combine(Combine(17, Number), FirstName), Prefix), LastName);
            hash = unchecked(hash * 31 + (BirthDate?.GetHashCode() ?? 0));
            return Combine(Combine(Combine(Combine(Combine(hash, Gender), Group), CreboNumber), Email), UserName);
        }
    }

    /// <summary>A staff (personeel) row.</summary>
    public sealed class StaffRecord : ImportRecord
    {
        public string UserName { get; set; }
        public string Code { get; set; }
        public string FirstName { get; set; }
        public string Prefix { get; set; }
        public string LastName { get; set; }
        public string Email { get; set; }
        public TextList Roles { get; set; } = TextList.Empty;
        public TextList Groups { get; set; } = TextList.Empty;

        internal override string Key => UserName;

        internal override string ContentSignature()
            => string.Join("\u001f", UserName?.ToLowerInvariant(), Code, FirstName, Prefix, LastName, Email, string.Join(",", Roles), string.Join(",", Groups));

        internal override int ContentHash() => StringComparer.Ordinal.GetHashCode(ContentSignature());
    }
}
