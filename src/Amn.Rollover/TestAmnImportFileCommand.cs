using System.Management.Automation;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover
{
    [Cmdlet(VerbsDiagnostic.Test, "AmnImportFile")]
    [OutputType(typeof(ImportFileReport))]
    public sealed class TestAmnImportFileCommand : ImportFileCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter]
        public ImportKind? Kind { get; set; }

        protected override void ProcessRecord()
        {
            using (var reader = OpenImportFile(Path, Kind))
            {
                var progress = new ProgressReporter(this, $"Checking {reader.Report.Path}");
                var report = reader.Validate((rows, fraction) => progress.Report($"{rows} rows read", fraction));
                progress.Complete();
                WriteObject(report);
            }
        }
    }
}
