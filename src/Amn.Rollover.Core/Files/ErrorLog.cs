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
            var headers = rows.Select(r => r.Record.SourceHeaders).FirstOrDefault(h => h != null) ?? new string[0];
            var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter.ToString() };
            try
            {
                using (var writer = new StreamWriter(path, false, new UTF8Encoding(true)))
                using (var csv = new CsvWriter(writer, configuration))
                {
                    foreach (var header in headers.Concat(ProblemColumns)) csv.WriteField(header);
                    csv.NextRecord();
                    foreach (var (record, errors) in rows)
                    {
                        for (int i = 0; i < headers.Length; i++)
                            csv.WriteField(record.SourceHeaders == headers && record.SourceValues != null && i < record.SourceValues.Length ? record.SourceValues[i] : null);
                        csv.WriteField(string.Join("; ", errors.Select(e => e.ErrorId).Distinct()));
                        csv.WriteField(string.Join("; ", errors.Select(e => e.Column).Where(c => c != null).Distinct()));
                        csv.WriteField(string.Join("; ", errors.Select(e => e.Value).Where(v => v != null).Distinct()));
                        csv.WriteField(string.Join(" ", errors.Select(e => e.Message)));
                        csv.NextRecord();
                    }
                }
            }
            catch (IOException e)
            {
                throw new AmnException("ErrorLogNotWritten", AmnErrorCategory.WriteError, $"Cannot write the error log '{path}': {e.Message}", path, e);
            }
        }
    }
}
