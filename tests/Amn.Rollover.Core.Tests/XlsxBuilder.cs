using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// Writes an .xlsx package part by part, so a test can make exactly the file a writer (or an
    /// attacker) makes: odd part names, odd XML, extra elements. Defaults give a valid one-sheet workbook.
    /// </summary>
    internal sealed class XlsxBuilder
    {
        public const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        private const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

        public Dictionary<string, string> Parts { get; } = new Dictionary<string, string>
        {
            ["[Content_Types].xml"] = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
            ["_rels/.rels"] = $"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{Rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
            ["xl/_rels/workbook.xml.rels"] = $"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{Rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"{Rel}/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"{Rel}/styles\" Target=\"styles.xml\"/></Relationships>",
            ["xl/workbook.xml"] = Workbook(""),
            ["xl/styles.xml"] = $"<?xml version=\"1.0\"?><styleSheet xmlns=\"{Main}\"><cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"21\"/></cellXfs></styleSheet>",
            ["xl/sharedStrings.xml"] = $"<?xml version=\"1.0\"?><sst xmlns=\"{Main}\"/>",
        };

        /// <summary>Style 1 shows a date (built-in format 14), style 2 a time (21).</summary>
        public const int DateStyle = 1, TimeStyle = 2;

        public static string Workbook(string workbookPr, string sheetName = "Leerlingen")
            => $"<?xml version=\"1.0\"?><workbook xmlns=\"{Main}\" xmlns:r=\"{Rel}\" xmlns:x15=\"http://schemas.microsoft.com/office/spreadsheetml/2010/11/main\">{workbookPr}<sheets><sheet name=\"{sheetName}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

        /// <summary>The worksheet from rows of raw XML (each the inside of sheetData).</summary>
        public XlsxBuilder Sheet(string sheetData)
        {
            Parts["xl/worksheets/sheet1.xml"] = $"<?xml version=\"1.0\"?><worksheet xmlns=\"{Main}\"><sheetData>{sheetData}</sheetData></worksheet>";
            return this;
        }

        public XlsxBuilder SharedStrings(params string[] texts)
        {
            Parts["xl/sharedStrings.xml"] = $"<?xml version=\"1.0\"?><sst xmlns=\"{Main}\">" + string.Concat(texts.Select(t => $"<si><t xml:space=\"preserve\">{t}</t></si>")) + "</sst>";
            return this;
        }

        /// <summary>A row of inline-string cells A, B, C, ...</summary>
        public static string Row(int number, params string[] texts)
            => $"<row r=\"{number}\">" + string.Concat(texts.Select((t, i) => $"<c r=\"{(char)('A' + i)}{number}\" t=\"inlineStr\"><is><t>{t}</t></is></c>")) + "</row>";

        public string Write(string path)
        {
            using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
            foreach (var (name, content) in Parts)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
                using var stream = entry.Open();
                var bytes = Encoding.UTF8.GetBytes(content);
                stream.Write(bytes, 0, bytes.Length);
            }
            return path;
        }
    }
}
