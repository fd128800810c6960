using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Xml;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// The parts of an .xlsx package found as Excel finds them: through the package relationships
    /// (_rels/.rels, then the workbook's), part names compared case-insensitively and with either
    /// slash. Writers differ here (xl/SharedStrings.xml, backslashes, workbooks outside xl/).
    /// </summary>
    internal sealed class XlsxPackage
    {
        /// <summary>Parts that inflate more than this many times are refused above <see cref="BombMinimumBytes"/> (spreadsheet XML compresses 5 to 20 times).</summary>
        private const long BombRatio = 100, BombMinimumBytes = 64L * 1024 * 1024;

        private readonly Dictionary<string, ZipArchiveEntry> _entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
        private readonly string _path;

        public XlsxPackage(ZipArchive archive, string path)
        {
            _path = path;
            foreach (var entry in archive.Entries)
            {
                var name = Normalize(entry.FullName);
                if (!_entries.ContainsKey(name)) _entries[name] = entry;
            }
            WorkbookPath = Relationships("").Find(r => r.Type == "officeDocument").Target ?? "xl/workbook.xml";
            if (WorkbookPath.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) || Find("xl/workbook.bin") != null)
                throw new AmnException("BinaryWorkbook", AmnErrorCategory.InvalidData,
                    Messages.Format("XlsbNotSupported", path), path);
            if (Find(WorkbookPath) == null) throw new InvalidDataException(Messages.Format("WorkbookPartMissing", WorkbookPath));
            var workbookRelationships = Relationships(WorkbookPath);
            SharedStringsPath = workbookRelationships.Find(r => r.Type == "sharedStrings").Target ?? Sibling(WorkbookPath, "sharedStrings.xml");
            StylesPath = workbookRelationships.Find(r => r.Type == "styles").Target ?? Sibling(WorkbookPath, "styles.xml");
            WorkbookRelationships = workbookRelationships;
        }

        public string WorkbookPath { get; }
        public string SharedStringsPath { get; }
        public string StylesPath { get; }
        public List<(string Id, string Type, string Target)> WorkbookRelationships { get; }

        public ZipArchiveEntry Find(string path) => path != null && _entries.TryGetValue(Normalize(path), out var entry) ? entry : null;

        /// <summary>The relationships of a part ("" for the package itself): id, type (the last segment of its URI) and the target's part path.</summary>
        public List<(string Id, string Type, string Target)> Relationships(string partPath)
        {
            var result = new List<(string, string, string)>();
            var folder = partPath.Contains("/") ? partPath.Substring(0, partPath.LastIndexOf('/') + 1) : "";
            var relsPath = folder + "_rels/" + partPath.Substring(folder.Length) + ".rels";
            using (var xml = Open(relsPath))
            {
                if (xml == null) return result;
                while (xml.Read())
                {
                    if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "Relationship") continue;
                    if (string.Equals(xml.GetAttribute("TargetMode"), "External", StringComparison.OrdinalIgnoreCase)) continue;
                    var type = xml.GetAttribute("Type") ?? "";
                    result.Add((xml.GetAttribute("Id") ?? "", type.Substring(type.LastIndexOf('/') + 1), Resolve(folder, xml.GetAttribute("Target"))));
                }
            }
            return result;
        }

        /// <summary>An XML reader over a part, or null when the package has no such part. A part that is a zip bomb is refused before it is read.</summary>
        public XmlReader Open(string path, bool ignoreWhitespace = true)
        {
            var entry = FindReadable(path);
            return entry == null ? null : XmlReader.Create(entry.Open(), Settings(ignoreWhitespace));
        }

        /// <summary>As <see cref="Open(string, bool)"/>, through a <see cref="ElementWindowStream"/> the caller checkpoints at every element.</summary>
        public XmlReader Open(string path, bool ignoreWhitespace, out ElementWindowStream window)
        {
            var entry = FindReadable(path);
            window = entry == null ? null : new ElementWindowStream(entry.Open());
            return window == null ? null : XmlReader.Create(window, Settings(ignoreWhitespace));
        }

        /// <summary>The part, or null when missing; refused when its header says it inflates like a zip bomb, or when it declares a DTD.</summary>
        private ZipArchiveEntry FindReadable(string path)
        {
            var entry = Find(path);
            if (entry != null && entry.Length > BombMinimumBytes && entry.Length > BombRatio * Math.Max(1, entry.CompressedLength))
                throw new AmnException("FileLimitExceeded", AmnErrorCategory.LimitsExceeded,
                    Messages.Format("ZipBomb", _path, entry.FullName, entry.CompressedLength, entry.Length, BombRatio), _path);
            if (entry != null && DeclaresDtd(entry))
                throw new AmnException("UnreadableWorkbook", AmnErrorCategory.InvalidData, Messages.Format("WorkbookDeclaresDtd", _path, entry.FullName), _path);
            return entry;
        }

        /// <summary>
        /// Whether the part's prolog holds a &lt;!DOCTYPE&gt;. Excel never writes one; it is how XXE and billion-laughs
        /// files attack. The XML reader refuses it too, but without a line or a reason a user could act on, so the
        /// prolog (the first few kilobytes: declaration, comments, processing instructions) is looked at first.
        /// </summary>
        private static bool DeclaresDtd(ZipArchiveEntry entry)
        {
            var head = new byte[8 * 1024];
            int length = 0, read;
            using (var stream = entry.Open())
                while (length < head.Length && (read = stream.Read(head, length, head.Length - length)) > 0) length += read;
            var utf16 = length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0x3C && head[1] == 0x00));
            var text = utf16 ? System.Text.Encoding.Unicode.GetString(head, 0, length & ~1) : System.Text.Encoding.UTF8.GetString(head, 0, length);
            int i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '\uFEFF' || char.IsWhiteSpace(c)) { i++; continue; }
                if (string.CompareOrdinal(text, i, "<?", 0, 2) == 0) i = Past(text, i, "?>");
                else if (string.CompareOrdinal(text, i, "<!--", 0, 4) == 0) i = Past(text, i, "-->");
                else return string.CompareOrdinal(text, i, "<!DOCTYPE", 0, 9) == 0;
            }
            return false;
        }

        private static int Past(string text, int start, string end)
        {
            var at = text.IndexOf(end, start, StringComparison.Ordinal);
            return at < 0 ? text.Length : at + end.Length;
        }

        public static XmlReaderSettings Settings(bool ignoreWhitespace = true)
            => new XmlReaderSettings { IgnoreWhitespace = ignoreWhitespace, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = true };

        /// <summary>A relationship target as a part path: absolute ("/xl/x.xml") or relative to the source's folder, "../" resolved.</summary>
        private static string Resolve(string folder, string target)
        {
            if (string.IsNullOrEmpty(target)) return null;
            target = target.Replace('\\', '/');
            var path = target.StartsWith("/", StringComparison.Ordinal) ? target.Substring(1) : folder + target;
            var parts = new List<string>();
            foreach (var part in path.Split('/'))
            {
                if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
                else if (part.Length > 0 && part != ".") parts.Add(part);
            }
            return string.Join("/", parts);
        }

        private static string Sibling(string partPath, string name)
            => (partPath.Contains("/") ? partPath.Substring(0, partPath.LastIndexOf('/') + 1) : "") + name;

        private static string Normalize(string name) => name.Replace('\\', '/').TrimStart('/');
    }
}
