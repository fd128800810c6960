using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover
{
    /// <summary>
    /// Turns piped objects into import records: records from Read-AmnImportFile pass as they are;
    /// any other object (an Import-Csv row, a Student from Get-AmnStudent) is read by its property
    /// names as if they were the headers of a file.
    /// </summary>
    internal sealed class PipelineRecordConverter
    {
        private readonly ImportKind _kind;
        private readonly AmnProduct _product;
        private readonly IDictionary<string, string> _columnMap;
        private readonly Dictionary<string, ColumnLayout> _layouts = new Dictionary<string, ColumnLayout>();
        private readonly DateTime _today = DateTime.Today;
        /// <summary>How this session's culture writes a DateTime as text (Export-Csv, string conversion): "7-3-2012 00:00:00" in nl-NL, "3/7/2012 12:00:00 AM" in en-US.</summary>
        private readonly string _sessionDateTimePattern = System.Globalization.CultureInfo.CurrentCulture.DateTimeFormat.ShortDatePattern + " " + System.Globalization.CultureInfo.CurrentCulture.DateTimeFormat.LongTimePattern;
        private readonly List<string> _names = new List<string>();
        private readonly List<object> _cells = new List<object>();
        private ColumnLayout _layout;
        private string[] _layoutNames;
        private int _count;

        private readonly bool _pathReadsFiles;

        /// <param name="pathReadsFiles">The cmdlet's -Path reads a file itself, so a hint may offer it.</param>
        public PipelineRecordConverter(ImportKind kind, AmnProduct product, IDictionary<string, string> columnMap, bool pathReadsFiles)
        {
            _pathReadsFiles = pathReadsFiles;
            _kind = kind;
            _product = product;
            _columnMap = columnMap;
        }

        /// <summary>Converts one object; throws an AmnException when its properties lack a required field.</summary>
        public ImportRecord Convert(PSObject input)
        {
            _count++;
            var baseObject = input.BaseObject;
            if (baseObject is ImportRecord record)
            {
                if ((_kind == ImportKind.Student) != (record is StudentRecord))
                    throw new Core.AmnException("WrongRecordKind", Core.AmnErrorCategory.InvalidArgument,
                        Messages.Format(record is StudentRecord ? "PipedStudentRecordForStaff" : "PipedStaffRecordForStudents", _count), record);
                return record;
            }

            // Objects in one pipeline nearly always share their property names (Import-Csv rows do):
            // compare the names with the previous object's instead of building a key per object.
            _names.Clear();
            _cells.Clear();
            foreach (var property in Properties(input))
            {
                if (!property.IsGettable) continue;
                _names.Add(property.Name);
                _cells.Add(SessionDate(CellValue(property)));
            }
            if (_layout == null || !SameNames(_layoutNames, _names))
            {
                var signature = string.Join("\u001f", _names);
                if (!_layouts.TryGetValue(signature, out _layout))
                {
                    _layout = ColumnLayout.Create(_names.ToList(), _kind, _product, _columnMap, Messages.Format("InputObject", _count, input.TypeNames.FirstOrDefault()), requireMapKeys: false);
                    _layouts[signature] = _layout;
                }
                _layoutNames = _names.ToArray();
            }
            var cells = _cells.ToArray();
            var built = _layout.Build(_count, cells, date1904: false, today: _today);
            _layout.CheckPipedText(built, cells, _pathReadsFiles);
            return built;
        }

        /// <summary>
        /// The object's properties in order. A PSCustomObject (an Import-Csv row) has only instance
        /// members, read here from PSObject's internal collection where this PowerShell has one: the
        /// public Properties list first builds PowerShell's member sets (psbase, psextended, ...) for
        /// each object, about 10 µs for a fresh row, most of what piping 100,000 rows used to cost.
        /// </summary>
        private static IEnumerable<PSPropertyInfo> Properties(PSObject input)
        {
            if (InstanceMembers != null && input.BaseObject is PSCustomObject)
                foreach (var member in InstanceMembers(input))
                {
                    if (member is PSPropertyInfo property) yield return property;
                }
            else
                foreach (var property in input.Properties) yield return property;
        }

        private static readonly Func<PSObject, IEnumerable> InstanceMembers = FindInstanceMembers();

        /// <summary>
        /// PSObject.InstanceMembers (internal; there in PowerShell 7.6, the version tried), or null when this
        /// PowerShell lacks it, or when $env:AMN_ROLLOVER_PUBLIC_MEMBERS_ONLY is 1 (the tests' way to run the fallback).
        /// </summary>
        private static Func<PSObject, IEnumerable> FindInstanceMembers()
        {
            if (Environment.GetEnvironmentVariable("AMN_ROLLOVER_PUBLIC_MEMBERS_ONLY") == "1") return null;
            var getter = typeof(PSObject).GetProperty("InstanceMembers", BindingFlags.NonPublic | BindingFlags.Instance)?.GetGetMethod(nonPublic: true);
            if (getter == null || !typeof(IEnumerable).IsAssignableFrom(getter.ReturnType)) return null;
            return (Func<PSObject, IEnumerable>)Delegate.CreateDelegate(typeof(Func<PSObject, IEnumerable>), getter, throwOnBindFailure: false);
        }

        private static bool SameNames(string[] known, List<string> names)
        {
            if (known.Length != names.Count) return false;
            for (int i = 0; i < known.Length; i++)
                if (!string.Equals(known[i], names[i], StringComparison.Ordinal)) return false;
            return true;
        }

        /// <summary>
        /// A date written by this PowerShell session's culture, such as Get-AmnStudent | Export-Csv
        /// wrote it, read back in that culture: the reader takes text dates day first, which swaps day
        /// and month of the invariant culture's 03/07/2012 and cannot read en-US's 3/7/2012 12:00:00 AM.
        /// Only text with the culture's exact date-and-time pattern qualifies; a SIS export's dates have no time.
        /// </summary>
        private object SessionDate(object value)
        {
            if (!(value is string text) || text.Length < 12 || text.Length > 32 || text.IndexOf(':') < 0 || !char.IsDigit(text[0])) return value;
            return DateTime.TryParseExact(text, _sessionDateTimePattern, System.Globalization.CultureInfo.CurrentCulture, System.Globalization.DateTimeStyles.None, out var date) ? (object)date : value;
        }

        private static object CellValue(PSPropertyInfo property)
        {
            object value;
            try { value = property.Value; }
            catch (GetValueException) { return null; }
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            if (value is string || value is DateTime || value == null) return value;
            if (value is IEnumerable list) return string.Join(";", list.Cast<object>().Select(o => o?.ToString()));
            return value.ToString();
        }
    }
}
