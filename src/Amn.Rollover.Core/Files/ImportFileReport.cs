using System.Collections.Generic;

namespace Amn.Rollover.Core.Files
{
    /// <summary>AMN's import preview screen, as an object: how the file was read and what is wrong with it.</summary>
    public sealed class ImportFileReport
    {
        public string Path { get; internal set; }
        public FileFormat Format { get; internal set; }
        public string Encoding { get; internal set; }
        public string Delimiter { get; internal set; }
        public string Worksheet { get; internal set; }
        /// <summary>Why this worksheet was read, when it is not the first and no -Worksheet was given; otherwise null.</summary>
        public string WorksheetNote { get; internal set; }
        public int HeaderRow { get; internal set; }
        public ImportKind Kind { get; internal set; }
        public IReadOnlyList<ImportColumn> Columns { get; internal set; }
        public int RowCount { get; internal set; }
        public int ValidRowCount { get; internal set; }
        public ProblemList Errors { get; } = new ProblemList();
        public ProblemList Warnings { get; } = new ProblemList();

        public bool IsValid => Errors.Count == 0;

        /// <summary>How the file was read, in the user's language: "Csv, windows-1252, delimiter ';'" or "Xlsx, worksheet 'Personeel'".</summary>
        public string DescribeFormat()
            => Format
               + (Encoding != null ? ", " + Encoding : "")
               + (Delimiter != null ? ", " + Messages.Format("FileDelimiter", Delimiter == "\t" ? Messages.Get("Tab") : Delimiter) : "")
               + (Worksheet != null ? ", " + Messages.Format("FileWorksheet", Worksheet) : "");
    }
}
