using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover
{
    [Cmdlet(VerbsDiagnostic.Test, "AmnImportFile")]
    [OutputType(typeof(ImportFileReport))]
    public sealed class TestAmnImportFileCommand : FileInspectionCmdlet
    {
        protected override void Process()
        {
            using (var reader = OpenImportFile())
            {
                var progress = new ProgressReporter(this, Messages.Format("CheckingFile", reader.Report.Path));
                var report = reader.Validate((rows, fraction) => { if (progress.IsDue) progress.Report(Messages.Format("RowsRead", rows), fraction); });
                progress.Complete();
                WriteObject(report);
            }
        }
    }
}
