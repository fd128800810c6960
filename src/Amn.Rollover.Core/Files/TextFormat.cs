using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Amn.Rollover.Core.Files
{
    /// <summary>Finds the encoding and delimiter of a CSV file the way a person would guess them.</summary>
    public static class TextFormat
    {
        public static readonly char[] CandidateDelimiters = { ';', ',', '\t', '|' };

        private static bool _codePagesRegistered;

        /// <summary>Windows-1252: what Excel and Magister write as "ANSI" in Western Europe.</summary>
        public static Encoding Windows1252
        {
            get
            {
                if (!_codePagesRegistered)
                {
                    Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                    _codePagesRegistered = true;
                }
                return Encoding.GetEncoding(1252);
            }
        }

        /// <summary>
        /// The encoding of a text file and the length of its byte-order mark: UTF-8/UTF-16 by BOM, else
        /// UTF-8 when every byte of the file is valid UTF-8, else Windows-1252. Reads the file in chunks.
        /// </summary>
        public static (Encoding Encoding, int BomLength) DetectEncoding(Stream stream)
        {
            var start = stream.Position;
            var bom = new byte[3];
            int read = stream.Read(bom, 0, 3);
            stream.Position = start;
            if (read >= 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF) return (new UTF8Encoding(false), 3);
            if (read >= 2 && bom[0] == 0xFF && bom[1] == 0xFE) return (new UnicodeEncoding(false, false), 2);
            if (read >= 2 && bom[0] == 0xFE && bom[1] == 0xFF) return (new UnicodeEncoding(true, false), 2);
            var utf16 = Utf16WithoutBom(stream);
            stream.Position = start;
            if (utf16 != null) return (utf16, 0);
            var encoding = IsValidUtf8(stream) ? (Encoding)new UTF8Encoding(false) : Windows1252;
            stream.Position = start;
            return (encoding, 0);
        }

        /// <summary>
        /// The BOM length at the start of the stream for a given encoding (0 when absent). A UTF-8 mark in
        /// front of a file read in a single-byte encoding on request (-Encoding windows-1252, for a file that
        /// claims UTF-8 but is not) is skipped too: as Windows-1252 it would be "ï»¿" in the first header.
        /// </summary>
        public static int BomLength(Stream stream, Encoding encoding)
        {
            var preamble = encoding.GetPreamble();
            if (preamble.Length == 0) preamble = Mark(encoding);
            if (preamble.Length == 0) return 0;
            var start = stream.Position;
            var head = new byte[preamble.Length];
            int read = stream.Read(head, 0, head.Length);
            stream.Position = start;
            return read == head.Length && head.SequenceEqual(preamble) ? preamble.Length : 0;
        }

        /// <summary>
        /// UTF-16 without a byte-order mark, told by its zero bytes: text in Latin script has a zero in
        /// every other byte (odd positions for little-endian), which no 8-bit text has.
        /// </summary>
        private static Encoding Utf16WithoutBom(Stream stream)
        {
            var head = new byte[4096];
            int read = 0, n;
            while (read < head.Length && (n = stream.Read(head, read, head.Length - read)) > 0) read += n;
            if (read < 4) return null;
            int evenZeros = 0, oddZeros = 0;
            for (int i = 0; i + 1 < read; i += 2)
            {
                if (head[i] == 0) evenZeros++;
                if (head[i + 1] == 0) oddZeros++;
            }
            int pairs = read / 2;
            if (oddZeros * 10 >= pairs * 4 && evenZeros * 20 < pairs) return new UnicodeEncoding(false, false);
            if (evenZeros * 10 >= pairs * 4 && oddZeros * 20 < pairs) return new UnicodeEncoding(true, false);
            return null;
        }

        /// <summary>
        /// Up to <paramref name="count"/> lines from the stream's position, reading at most 256 KB of
        /// text: a file whose first line is longer is sniffed on what fits, never read whole.
        /// </summary>
        public static List<string> FirstLines(Stream stream, Encoding encoding, int count)
        {
            var start = stream.Position;
            var reader = new StreamReader(stream, encoding, false, 16 * 1024);
            var block = new char[256 * 1024];
            int length = 0, read;
            while (length < block.Length && (read = reader.Read(block, length, block.Length - length)) > 0) length += read;
            stream.Position = start;
            var lines = new string(block, 0, length).Split('\n').Take(count).Select(l => l.TrimEnd('\r')).ToList();
            return lines;
        }

        /// <summary>The byte-order mark a file in this encoding may start with (the encodings made here write none themselves).</summary>
        private static byte[] Mark(Encoding encoding)
        {
            switch (encoding.CodePage)
            {
                case 1200: return new byte[] { 0xFF, 0xFE };
                case 1201: return new byte[] { 0xFE, 0xFF };
                default: return encoding.CodePage == 65001 || encoding.IsSingleByte ? new byte[] { 0xEF, 0xBB, 0xBF } : new byte[0];
            }
        }

        /// <summary>The encoding with a decoder that throws on bytes it cannot decode, where the default one puts U+FFFD in their place without a word.</summary>
        public static Encoding Strict(Encoding encoding)
        {
            var strict = (Encoding)encoding.Clone();
            strict.DecoderFallback = DecoderFallback.ExceptionFallback;
            return strict;
        }

        /// <summary>
        /// The error for a text file that holds bytes its encoding cannot decode, naming the first line that
        /// does and its bytes. Looks for it from <paramref name="start"/> (past the byte-order mark) again, so
        /// it costs nothing until a decoder has failed. A UTF-8 mark gets words of its own: it is a claim the
        /// file breaks, usually Windows-1252 text behind a mark another program put there.
        /// </summary>
        public static AmnException UndecodableText(Stream stream, int start, Encoding encoding, string path)
        {
            var (line, bytes) = FirstUndecodable(stream, start, encoding);
            var shown = string.Join(" ", bytes.Select(b => "0x" + b.ToString("X2")));
            var key = start == 3 && encoding.CodePage == 65001 ? "Utf8MarkButNotUtf8" : "NotValidInEncoding";
            return new AmnException("InvalidEncoding", AmnErrorCategory.InvalidData, Messages.Format(key, path, line, shown, DisplayName(encoding)), path);
        }

        /// <summary>
        /// The line (from 1) of the first bytes <paramref name="encoding"/> cannot decode, and those bytes.
        /// Lines are counted on the bytes: a line feed is 0x0A in every encoding read here but UTF-16, where
        /// it is the code unit 0x000A, and no multi-byte sequence of UTF-8 holds that byte.
        /// </summary>
        private static (int Line, byte[] Bytes) FirstUndecodable(Stream stream, int start, Encoding encoding)
        {
            var decoder = Strict(encoding).GetDecoder();
            var utf16 = encoding.CodePage == 1200 || encoding.CodePage == 1201;
            var lowByte = encoding.CodePage == 1201 ? 1 : 0; // where the 0x0A of a UTF-16 line feed is
            var bytes = new byte[64 * 1024]; // even, so a UTF-16 code unit never straddles two blocks
            var chars = new char[encoding.GetMaxCharCount(bytes.Length) + 4];
            int line = 1;
            stream.Position = start;
            int NewLines(int count)
            {
                int n = 0;
                if (!utf16) { for (int i = 0; i < count; i++) if (bytes[i] == 0x0A) n++; }
                else for (int i = 0; i + 1 < count; i += 2) if (bytes[i + lowByte] == 0x0A && bytes[i + 1 - lowByte] == 0) n++;
                return n;
            }
            while (true)
            {
                int read = 0, n;
                while (read < bytes.Length && (n = stream.Read(bytes, read, bytes.Length - read)) > 0) read += n;
                try
                {
                    decoder.GetChars(bytes, 0, read, chars, 0, flush: read == 0);
                }
                catch (DecoderFallbackException e)
                {
                    return (line + NewLines(Math.Max(0, Math.Min(read, e.Index))), e.BytesUnknown ?? new byte[0]);
                }
                if (read == 0) return (line, new byte[0]); // not met again: name the last line
                line += NewLines(read);
            }
        }

        private static bool IsValidUtf8(Stream stream)
        {
            var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
            var bytes = new byte[64 * 1024];
            var chars = new char[64 * 1024 + 4];
            try
            {
                int read;
                while ((read = stream.Read(bytes, 0, bytes.Length)) > 0)
                    decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }

        /// <summary>
        /// The delimiter of the first lines: the candidate that occurs most often (outside quotes) on
        /// the line where any candidate occurs most. Title lines above the header have none, so they
        /// do not disturb the choice. Comma when no line has any.
        /// </summary>
        public static char SniffDelimiter(IEnumerable<string> lines)
        {
            // The delimiter is the character that splits the most lines into the same number of
            // fields; a line with a list in one cell ("H4a, H4b, V5c") has more commas than the file
            // has semicolons, but only on that line. Ties go to the larger number of fields.
            var sample = lines.ToList();
            char best = ',';
            (int Lines, int Count) bestScore = (0, 0);
            foreach (var candidate in CandidateDelimiters)
            {
                var counts = sample.Select(line => CountOutsideQuotes(line, candidate)).Where(n => n > 0).ToList();
                if (counts.Count == 0) continue;
                var mode = counts.GroupBy(n => n).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key).First();
                var score = (mode.Count(), mode.Key);
                if (score.Item1 > bestScore.Lines || (score.Item1 == bestScore.Lines && score.Item2 > bestScore.Count)) { best = candidate; bestScore = score; }
            }
            return best;
        }

        /// <summary>How often a character occurs outside double quotes.</summary>
        public static int CountOutsideQuotes(string line, char c)
        {
            int count = 0;
            bool quoted = false;
            foreach (var ch in line)
            {
                if (ch == '"') quoted = !quoted;
                else if (ch == c && !quoted) count++;
            }
            return count;
        }

        /// <summary>A name for an encoding as users type it for -Encoding.</summary>
        public static string DisplayName(Encoding encoding)
        {
            switch (encoding.CodePage)
            {
                case 65001: return "utf-8";
                case 1200: return "utf-16LE";
                case 1201: return "utf-16BE";
                case 1252: return "windows-1252";
                default: return encoding.WebName;
            }
        }

        /// <summary>An encoding from a name as PowerShell users write it (utf8, utf8BOM, unicode, ansi, 1252, latin1, ...).</summary>
        public static Encoding ParseEncoding(string name)
        {
            switch (HeaderNames.Normalize(name))
            {
                case "utf8": case "utf8bom": case "utf8nobom": return new UTF8Encoding(false);
                case "unicode": case "utf16": case "utf16le": return new UnicodeEncoding(false, false);
                case "bigendianunicode": case "utf16be": return new UnicodeEncoding(true, false);
                case "ansi": case "default": case "windows1252": case "cp1252": case "1252": return Windows1252;
                case "latin1": case "iso88591": return Encoding.GetEncoding(28591);
                case "ascii": case "usascii": return Encoding.ASCII;
            }
            try
            {
                _ = Windows1252; // registers the code-page provider
                return int.TryParse(name, out var codePage) ? Encoding.GetEncoding(codePage) : Encoding.GetEncoding(name);
            }
            catch (ArgumentException)
            {
                throw new AmnException("UnknownEncoding", AmnErrorCategory.InvalidArgument, Messages.Format("NotAnEncoding", name), name);
            }
        }
    }
}
