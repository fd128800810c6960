using System.Collections.Generic;
using System.Linq;

namespace Amn.Rollover.Core.Files
{
    /// <summary>One problem with an import file or one of its rows: where it is, what value, and a stable id.</summary>
    public sealed class ImportProblem
    {
        public ImportProblem(int? row, string column, string value, string errorId, string message)
        {
            Row = row;
            Column = column;
            Value = value;
            ErrorId = errorId;
            Message = message;
        }

        /// <summary>The row as a person sees it in Excel or a text editor; null for a problem with the whole file.</summary>
        public int? Row { get; }
        /// <summary>The column header as written in the file.</summary>
        public string Column { get; }
        public string Value { get; }
        public string ErrorId { get; }
        public string Message { get; }

        public override string ToString() => $"{ErrorId}: {Message}";
    }

    /// <summary>A list of problems that reads well in a table cell or a CSV column.</summary>
    public sealed class ProblemList : List<ImportProblem>
    {
        public ProblemList() { }
        public ProblemList(IEnumerable<ImportProblem> problems) : base(problems) { }

        public override string ToString() => string.Join("; ", this.Select(p => p.ToString()));
    }
}
