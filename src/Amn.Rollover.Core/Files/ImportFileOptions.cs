using System.Collections.Generic;

namespace Amn.Rollover.Core.Files
{
    /// <summary>How to read an import file; everything left null is detected.</summary>
    public sealed class ImportFileOptions
    {
        public ImportKind? Kind { get; set; }
        public char? Delimiter { get; set; }
        public string Encoding { get; set; }
        public string Worksheet { get; set; }
        /// <summary>Source header → AMN field name or record property name ('Negeren' ignores the column).</summary>
        public IDictionary<string, string> ColumnMap { get; set; }
        public AmnProduct Product { get; set; }
    }
}
