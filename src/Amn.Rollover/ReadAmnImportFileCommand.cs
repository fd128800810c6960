using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommunications.Read, "AmnImportFile")]
    [OutputType(typeof(StudentRecord), typeof(StaffRecord))]
    public sealed class ReadAmnImportFileCommand : FileInspectionCmdlet
    {
        protected override void Process()
        {
            using (var reader = OpenImportFile())
            {
                var report = reader.Report;
                WriteVerbose(Messages.Format(report.Kind == ImportKind.Student ? "ReadingStudentFile" : "ReadingStaffFile", report.Path, report.DescribeFormat(), report.HeaderRow));
                foreach (var warning in report.Warnings) WriteWarning(warning.Message);

                var progress = new ProgressReporter(this, Messages.Format("ReadingFile", report.Path));
                int rows = 0, invalid = 0;
                foreach (var record in reader.ReadRecords())
                {
                    rows++;
                    if (!record.IsValid) invalid++;
                    WriteObject(record);
                    if (progress.IsDue) progress.Report(Messages.Format("RowsRead", rows), reader.Fraction);
                }
                progress.Complete();
                if (invalid > 0)
                    WriteWarning(Messages.Format("RowsWithErrors", invalid, rows, report.Path));
            }
        }
    }
}
