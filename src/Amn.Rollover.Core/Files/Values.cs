using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Amn.Rollover.Core.Files
{
    /// <summary>Normalisation and validation of single values, per the domain rules in design §2.</summary>
    public static class Values
    {
        public static readonly string[] KnownRoles = { "applicatiebeheerder", "regievoerder", "mentor", "docent" };

        private static readonly Regex EmailPattern = new Regex(@"^[^@\s""(),:;<>\[\]\\]+@[^@\s""(),:;<>\[\]\\]+\.[A-Za-z0-9-]{2,}$", RegexOptions.Compiled | RegexOptions.CultureInvariant);
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
        public static string NormalizeGender(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            return Genders.TryGetValue(value.Trim(), out var gender) ? gender : null;
        }

        public static bool IsEmailAddress(string value) => value != null && value.Length <= 254 && EmailPattern.IsMatch(value);

        /// <summary>
        /// A birth date from a cell: a date cell, an Excel serial number (1900 or 1904 system), or text
        /// in ISO, d-M-yyyy, d/M/yyyy or d.M.yyyy (day first). Returns null with a reason when it is not a
        /// possible, plausible birth date.
        /// </summary>
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
                    if (!TryFromSerial(serial, date1904, out date)) { reason = "is not a valid Excel date number"; return null; }
                    break;
                default:
                    var text = Convert.ToString(cell, CultureInfo.InvariantCulture)?.Trim();
                    if (string.IsNullOrEmpty(text)) return null;
                    if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out date))
                    {
                        date = date.Date;
                    }
                    else if (Regex.IsMatch(text, @"^\d{4,5}(\.0+)?$") && TryFromSerial(double.Parse(text, CultureInfo.InvariantCulture), date1904, out date))
                    {
                        // An Excel serial number that lost its date format on the way to CSV.
                    }
                    else
                    {
                        reason = "is not a date; use dd-mm-jjjj (e.g. 31-12-2010) or jjjj-mm-dd";
                        return null;
                    }
                    break;
            }
            if (date < EarliestBirthDate || date > today)
            {
                reason = $"is not a plausible birth date (before {EarliestBirthDate:dd-MM-yyyy} or in the future)";
                return null;
            }
            return date;
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

        /// <summary>The parts of a list in one cell ("H4a, H4b" or "mentor;docent"), trimmed, without empties.</summary>
        public static IEnumerable<string> SplitList(string value)
        {
            if (string.IsNullOrWhiteSpace(value)) yield break;
            foreach (var part in value.Split(ListSeparators))
            {
                var trimmed = part.Trim();
                if (trimmed.Length > 0) yield return trimmed;
            }
        }

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
