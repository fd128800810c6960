using System.Management.Automation;
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
                WriteVerbose($"Reading {report.Path}: {report.Format}{(report.Encoding != null ? ", " + report.Encoding : "")}{(report.Delimiter != null ? ", delimiter '" + (report.Delimiter == "\t" ? "tab" : report.Delimiter) + "'" : "")}{(report.Worksheet != null ? ", worksheet '" + report.Worksheet + "'" : "")}, header on row {report.HeaderRow}, {report.Kind} records.");
                foreach (var warning in report.Warnings) WriteWarning(warning.Message);

                var progress = new ProgressReporter(this, $"Reading {report.Path}");
                int rows = 0, invalid = 0;
                foreach (var record in reader.ReadRecords())
                {
                    rows++;
                    if (!record.IsValid) invalid++;
                    WriteObject(record);
                    if (progress.IsDue) progress.Report($"{rows} rows read", reader.Fraction);
                }
                progress.Complete();
                if (invalid > 0)
                    WriteWarning($"{invalid} of {rows} rows in '{report.Path}' have errors; see each record's Errors, or run Test-AmnImportFile for the full list.");
            }
        }
    }
}
