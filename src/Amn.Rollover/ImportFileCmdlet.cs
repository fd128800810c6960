using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover
{
    /// <summary>The parameters that say how to read an import file, shared by every cmdlet that reads one.</summary>
    public abstract class ImportFileCmdlet : AmnCmdlet
    {
        [Parameter]
        public char? Delimiter { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EncodingCompleter))]
        [ValidateNotNullOrEmpty]
        public string Encoding { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(WorksheetCompleter))]
        [ValidateNotNullOrEmpty]
        public string Worksheet { get; set; }

        [Parameter]
        public Hashtable ColumnMap { get; set; }

        [Parameter]
        public AmnProduct Product { get; set; }

        protected ImportFileOptions BuildOptions(ImportKind? kind) => new ImportFileOptions
        {
            Kind = kind,
            Delimiter = Delimiter,
            Encoding = Encoding,
            Worksheet = Worksheet,
            ColumnMap = ToDictionary(ColumnMap),
            Product = Product,
        };

        internal static IDictionary<string, string> ToDictionary(Hashtable map)
        {
            if (map == null) return null;
            var result = new Dictionary<string, string>();
            foreach (DictionaryEntry entry in map) result[entry.Key.ToString()] = entry.Value?.ToString();
            return result;
        }

        /// <summary>Opens a file for reading, turning file-level problems into terminating errors.</summary>
        protected ImportFileReader OpenImportFile(string path, ImportKind? kind)
        {
            var reader = ImportFileReader.Open(ResolvePath(path), BuildOptions(kind));
            if (reader.Report.WorksheetNote != null) WriteVerbose(reader.Report.WorksheetNote);
            return reader;
        }
    }


    /// <summary>Test- and Read-AmnImportFile: any file, by path or from Get-ChildItem, of a kind given or inferred.</summary>
    public abstract class FileInspectionCmdlet : ImportFileCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter]
        public ImportKind? Kind { get; set; }

        protected ImportFileReader OpenImportFile() => OpenImportFile(Path, Kind);
    }
}
