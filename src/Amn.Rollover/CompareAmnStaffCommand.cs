using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsData.Compare, "AmnStaff", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(StaffComparisonResult))]
    public sealed class CompareAmnStaffCommand : ImportFileCmdlet
    {
        private const string PathSet = "Path";
        private const string ReferenceSet = "ReferenceObject";

        private readonly List<StaffRecord> _records = new List<StaffRecord>();
        private PipelineRecordConverter _converter;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ReferenceSet)]
        public PSObject ReferenceObject { get; set; }

        protected override void Process()
        {
            var file = ReferenceObject?.BaseObject as System.IO.FileSystemInfo; // Get-Item piped in: the file is the input
            if (ParameterSetName == PathSet || file != null)
            {
                using (var reader = OpenImportFile(file?.FullName ?? Path, ImportKind.Staff))
                    _records.AddRange(reader.ReadRecords().Cast<StaffRecord>());
                return;
            }
            _converter = _converter ?? new PipelineRecordConverter(ImportKind.Staff, Product, ToDictionary(ColumnMap), pathReadsFiles: true);
            _records.Add((StaffRecord)_converter.Convert(ReferenceObject));
        }

        protected override void End()
        {
            var unusable = _records.Count(r => string.IsNullOrEmpty(r.UserName));
            if (unusable > 0) WriteWarning(Messages.Format("StaffRowsWithoutUserName", unusable));
            using (var read = BeginRead())
            {
                var results = StaffComparison.Compare(_records, StaffTable.LoadAll(read));
                WriteVerbose(Messages.Format("StaffComparison", results.Count(r => r.Status == StaffStatus.New), results.Count(r => r.Status == StaffStatus.Existing), results.Count(r => r.Status == StaffStatus.Departed)));
                WriteObject(results, enumerateCollection: true);
            }
        }
    }
}
