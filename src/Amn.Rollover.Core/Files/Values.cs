using System.Runtime.CompilerServices;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Amn.Rollover.Core.Files
{
    /// <summary>Normalisation and validation of single values, per the domain rules in design §2.</summary>
    public static class Values
    {
        public static readonly string[] KnownRoles = { "applicatiebeheerder", "regievoerder", "mentor", "docent" };

        private static readonly char[] ListSeparators = { ',', ';', '|', '\n' };

        private static readonly Dictionary<string, string> Genders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["m"] = "M", ["man"] = "M", ["mannelijk"] = "M", ["jongen"] = "M", ["male"] = "M", ["1"] = "M",
            ["v"] = "V", ["vrouw"] = "V", ["vrouwelijk"] = "V", ["meisje"] = "V", ["female"] = "V", ["f"] = "V", ["2"] = "V",
            ["x"] = "X", ["o"] = "X", ["onbekend"] = "X", ["0"] = "X", ["9"] = "X", ["other"] = "X", ["unspecified"] = "X",
            ["anders"] = "X", ["overig"] = "X", ["neutraal"] = "X", ["nietgespecificeerd"] = "X", ["niet gespecificeerd"] = "X", ["u"] = "X",
        };

        private static readonly string[] DateFormats =
        {
            "yyyy-M-d", "d-M-yyyy", "d/M/yyyy", "d.M.yyyy",
            "yyyy-M-d H:mm", "yyyy-M-d H:mm:ss", "yyyy-M-dTH:mm:ss", "yyyy-M-dTH:mm:ssK", "yyyy-M-dTH:mm:ss.FFFFFFFK",
            "d-M-yyyy H:mm", "d-M-yyyy H:mm:ss", "d/M/yyyy H:mm", "d/M/yyyy H:mm:ss", "d.M.yyyy H:mm", "d.M.yyyy H:mm:ss",
            "yyyyMMdd",
        };

        /// <summary>The earliest birth date taken as plausible.</summary>
        public static readonly DateTime EarliestBirthDate = new DateTime(1900, 1, 1);

        /// <summary>M, V or X from the SIS spellings (M/V/X/O, man/vrouw, jongen/meisje, male/female, 1/2, 0/9); null when unknown.</summary>
        [MethodImpl(HotPath.Optimize)]
        public static string NormalizeGender(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            return Genders.TryGetValue(value.Trim(), out var gender) ? gender : null;
        }

        /// <summary>
        /// local@domain.tld: one @, no spaces or the characters an address cannot hold unquoted, a dot in
        /// the domain and a top-level domain of two or more letters or digits. Hand-written because it
        /// runs for every row of large imports.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        public static bool IsEmailAddress(string value)
        {
            if (value == null || value.Length > 254) return false;
            int at = value.IndexOf('@');
            if (at <= 0 || at != value.LastIndexOf('@')) return false;
            int lastDot = value.LastIndexOf('.');
            if (lastDot < at + 2 || value.Length - lastDot - 1 < 2) return false;
            for (int i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (char.IsWhiteSpace(c) || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\') return false;
                if (i > lastDot && !(char.IsLetterOrDigit(c) || c == '-')) return false;
            }
            return value[at + 1] != '.' && value[lastDot - 1] != '.';
        }

        /// <summary>
        /// A birth date from a cell: a date cell, an Excel serial number (1900 or 1904 system), or text
        /// in ISO, d-M-yyyy, d/M/yyyy or d.M.yyyy (day first). Returns null with a reason when it is not a
        /// possible, plausible birth date.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        public static DateTime? ParseDate(object cell, bool date1904, DateTime today, out string reason)
        {
            reason = null;
            DateTime date;
            switch (cell)
            {
                case DateTime dateTime:
                    date = dateTime.Date;
                    break;
                case double serial:
                    if (!TryFromSerial(serial, date1904, out date)) { reason = Messages.Get("NotAnExcelDateNumber"); return null; }
                    break;
                default:
                    var text = Convert.ToString(cell, CultureInfo.InvariantCulture)?.Trim();
                    if (string.IsNullOrEmpty(text)) return null;
                    if (TryParseNumericDate(text, out date))
                    {
                    }
                    else if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out date))
                    {
                        date = date.Date;
                    }
                    else if (Regex.IsMatch(text, @"^\d{4,5}(\.0+)?$") && TryFromSerial(double.Parse(text, CultureInfo.InvariantCulture), date1904, out date))
                    {
                        // An Excel serial number that lost its date format on the way to CSV.
                    }
                    else
                    {
                        reason = Messages.Get("NotADate");
                        return null;
                    }
                    break;
            }
            if (date < EarliestBirthDate || date > today)
            {
                reason = Messages.Format("ImplausibleBirthDate", EarliestBirthDate);
                return null;
            }
            return date;
        }

        /// <summary>
        /// The common shapes d-M-yyyy and yyyy-M-d (with -, / or . between), parsed by hand because
        /// DateTime.TryParseExact over a list of formats is slow for every row of a large file.
        /// Anything else, including a time after the date, is left to TryParseExact.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        private static bool TryParseNumericDate(string text, out DateTime date)
        {
            date = default;
            int a = 0, b = 0, c = 0, i = 0, digitsA = 0, digitsB = 0, digitsC = 0;
            char separator;
            for (; i < text.Length && char.IsDigit(text[i]); i++) { a = a * 10 + (text[i] - '0'); digitsA++; }
            if (i >= text.Length || (text[i] != '-' && text[i] != '/' && text[i] != '.')) return false;
            separator = text[i++];
            for (; i < text.Length && char.IsDigit(text[i]); i++) { b = b * 10 + (text[i] - '0'); digitsB++; }
            if (i >= text.Length || text[i] != separator) return false;
            i++;
            for (; i < text.Length && char.IsDigit(text[i]); i++) { c = c * 10 + (text[i] - '0'); digitsC++; }
            if (i != text.Length || digitsB == 0 || digitsB > 2) return false;
            int year, month, day;
            if (digitsA == 4 && digitsC >= 1 && digitsC <= 2 && separator == '-') { year = a; month = b; day = c; }
            else if (digitsC == 4 && digitsA >= 1 && digitsA <= 2) { year = c; month = b; day = a; }
            else return false;
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
            date = new DateTime(year, month, day);
            return true;
        }

        private static bool TryFromSerial(double serial, bool date1904, out DateTime date)
        {
            date = default;
            if (double.IsNaN(serial) || serial < 1 || serial > 2958465 || serial != Math.Floor(serial)) return false;
            if (date1904)
            {
                date = new DateTime(1904, 1, 1).AddDays(serial);
                return true;
            }
            // Excel's 1900 system counts the non-existent 29 February 1900 as day 60.
            if (serial == 60) return false;
            date = new DateTime(1899, 12, 31).AddDays(serial < 60 ? serial : serial - 1);
            return true;
        }

        /// <summary>The text of a cell as a person sees it: numbers without ".0" or exponent, dates as yyyy-MM-dd, trimmed.</summary>
        [MethodImpl(HotPath.Optimize)]
        public static string CellText(object cell)
        {
            switch (cell)
            {
                case null: return null;
                case string s: return s.Trim();
                case double d:
                    if (d == Math.Floor(d) && Math.Abs(d) < 1e28) return ((decimal)d).ToString("0", CultureInfo.InvariantCulture);
                    return d.ToString("R", CultureInfo.InvariantCulture);
                case DateTime dt: return dt.TimeOfDay == TimeSpan.Zero ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                case bool b: return b ? "TRUE" : "FALSE";
                default: return Convert.ToString(cell, CultureInfo.InvariantCulture)?.Trim();
            }
        }

        /// <summary>The parts of a list in one cell ("H4a, H4b" or "mentor;docent"), as group names (see <see cref="GroupName"/>), without empties.</summary>
        public static IEnumerable<string> SplitList(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) yield break;
            foreach (var part in value.Split(ListSeparators))
            {
                var name = GroupName(part);
                if (name != null) yield return name;
            }
        }

        /// <summary>
        /// Text as it is stored and compared: Unicode NFC, so "é" typed as e + combining accent and as
        /// one character is one name. Text without combining marks, the usual case, is returned as it is without a copy.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        public static string Nfc(string text) => text == null ? null : Nfc(text, out _);

        /// <summary>
        /// NFC as <see cref="Nfc(string)"/>, and in the same pass the first control character (anything below U+0020 but tab
        /// and line breaks, and DEL) or half of a surrogate pair without its other half, or null. Text with such a half
        /// (a piped string cut in the middle of an emoji; no file decodes to one) cannot be normalised and is returned as it is.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        public static string Nfc(string text, out char? control)
        {
            control = null;
            bool stable = true, broken = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                // Below U+0300 (the first combining mark) every character is NFC as it stands: Dutch
                // names with diacritics need no look-up in the Unicode tables.
                if (c >= '\u0300')
                {
                    stable = false;
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                    else if (char.IsSurrogate(c))
                    {
                        broken = true;
                        if (control == null) control = c;
                    }
                }
                else if ((c < ' ' && c != '\t' && c != '\n' && c != '\r') || c == '\u007F') { if (control == null) control = c; }
            }
            return stable || broken || text.IsNormalized() ? text : text.Normalize();
        }

        /// <summary>
        /// A group name as stored and compared: NFC, non-breaking and other Unicode spaces as a plain
        /// space, runs of spaces as one, trimmed ("H4<NBSP>a" and "H4  a" are "H4 a"). Null when empty.
        /// </summary>
        public static string GroupName(string text)
        {
            text = Nfc(text)?.Trim();
            if (string.IsNullOrEmpty(text)) return null;
            bool plain = true;
            for (int i = 0; i < text.Length && plain; i++)
                plain = !(char.IsWhiteSpace(text[i]) && (text[i] != ' ' || (i > 0 && text[i - 1] == ' ')));
            if (plain) return text;
            var result = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                var space = char.IsWhiteSpace(c) || c == '\u200B';
                if (!space) result.Append(c);
                else if (result.Length > 0 && result[result.Length - 1] != ' ') result.Append(' ');
            }
            return result.ToString().Trim();
        }

        /// <summary>
        /// Text that went through the wrong decoder: the replacement character U+FFFD, or a lead byte of
        /// UTF-8 shown as Ã or Â followed by a continuation byte shown as Windows-1252 ("Ã«" for "ë").
        /// </summary>
        public static bool LooksMisdecoded(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\uFFFD') return true;
                if ((c == 'Ã' || c == 'Â') && i + 1 < text.Length && IsContinuationAs1252(text[i + 1])) return true;
            }
            return false;
        }

        /// <summary>The characters Windows-1252 shows for the bytes 0x80-0xBF.</summary>
        private static bool IsContinuationAs1252(char c)
            => (c >= '\u00A0' && c <= '\u00BF') || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".IndexOf(c) >= 0;

        /// <summary>The AMN role a spelling stands for ("Mentor", "AMN applicatiebeheerder"), or null when unknown.</summary>
        public static string NormalizeRole(string value)
        {
            var key = HeaderNames.Normalize(value);
            if (key.StartsWith("amn", StringComparison.Ordinal)) key = key.Substring(3);
            switch (key)
            {
                case "applicatiebeheerder": case "applicatiebeheer": case "beheerder": return "applicatiebeheerder";
                case "regievoerder": return "regievoerder";
                case "mentor": case "mentoren": return "mentor";
                case "docent": case "docenten": case "leraar": case "leerkracht": case "teacher": return "docent";
                default: return null;
            }
        }
    }
}
