using System;
using System.IO;
using System.Linq;
using System.Text;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>Writes CSV files byte for byte as SIS exports and Excel produce them, and reads them back.</summary>
    internal static class ReaderTestFiles
    {
        public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

        public static string WriteCsv(TempFolder folder, string name, string text, Encoding encoding, bool bom)
        {
            var path = folder.File(name);
            var body = encoding.GetBytes(text);
            var preamble = bom ? Encoding.GetEncoding(encoding.CodePage).GetPreamble() : new byte[0];
            File.WriteAllBytes(path, preamble.Concat(body).ToArray());
            return path;
        }

        public static string WriteUtf8(TempFolder folder, string name, params string[] lines)
            => WriteCsv(folder, name, string.Join("\r\n", lines) + "\r\n", new UTF8Encoding(false), bom: false);

        public static (ImportFileReport Report, ImportRecord[] Records) Read(string path, ImportFileOptions options = null)
        {
            using (var reader = ImportFileReader.Open(path, options))
            {
                var records = reader.ReadRecords().ToArray();
                return (reader.Report, records);
            }
        }

        public static StudentRecord[] Students(string path, ImportFileOptions options = null) => Read(path, options).Records.Cast<StudentRecord>().ToArray();
        public static StaffRecord[] Staff(string path, ImportFileOptions options = null) => Read(path, options).Records.Cast<StaffRecord>().ToArray();
    }
}
