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
        /// <summary>False when one column map serves several files, so a key may name a column of another file.</summary>
        public bool RequireColumnMapKeys { get; set; } = true;

        public ImportFileOptions For(ImportKind kind) => Copy(kind, Worksheet);

        /// <summary>The same options for another worksheet; null keeps this one's.</summary>
        public ImportFileOptions WithWorksheet(string worksheet) => Copy(Kind, worksheet ?? Worksheet);

        private ImportFileOptions Copy(ImportKind? kind, string worksheet) => new ImportFileOptions
        {
            Kind = kind, Delimiter = Delimiter, Encoding = Encoding, Worksheet = worksheet, ColumnMap = ColumnMap, Product = Product, RequireColumnMapKeys = RequireColumnMapKeys,
        };
    }
}
