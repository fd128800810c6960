using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// Writes failed rows back in their original columns, plus ErrorId, Column, Value and Message,
    /// so the admin can fix that file and import it again. UTF-8 with BOM, so Excel shows accents.
    /// </summary>
    public static class ErrorLog
    {
        public static readonly string[] ProblemColumns = { "ErrorId", "Column", "Value", "Message" };

        public static void Write(string path, IEnumerable<(ImportRecord Record, ProblemList Errors)> failed, char delimiter)
        {
            var rows = failed.ToList();
            var layout = rows.Select(r => r.Record.Layout).FirstOrDefault(l => l != null);
            var columns = layout?.Columns ?? new ImportColumn[0];
            var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter.ToString() };
            OutputFile.Write(path, stream =>
            {
                using (var writer = new StreamWriter(stream, new UTF8Encoding(true)))
                using (var csv = new CsvWriter(writer, configuration))
                {
                    foreach (var header in columns.Select(c => c.Header).Concat(ProblemColumns)) csv.WriteField(header);
                    csv.NextRecord();
                    foreach (var (record, errors) in rows)
                    {
                        // A row with an erased pupil's number keeps only the number: the log never lists an erased pupil.
                        var erased = errors.Any(e => e.ErrorId == "NumberErased");
                        foreach (var column in columns)
                            csv.WriteField(record.Layout == layout && (!erased || column.Field == ImportField.Number) ? layout.LogText(record, column) : null);
                        csv.WriteField(string.Join("; ", errors.Select(e => e.ErrorId).Distinct()));
                        csv.WriteField(string.Join("; ", errors.Select(e => e.Column).Where(c => c != null).Distinct()));
                        csv.WriteField(string.Join("; ", errors.Select(e => e.Value).Where(v => v != null).Distinct()));
                        csv.WriteField(string.Join(" ", errors.Select(e => e.Message)));
                        csv.NextRecord();
                    }
                }
            }, "ErrorLogNotWritten", Messages.Get("TheErrorLog"));
        }
    }
}
