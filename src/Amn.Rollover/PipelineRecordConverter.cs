using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
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
        private int _count;

        public PipelineRecordConverter(ImportKind kind, AmnProduct product, IDictionary<string, string> columnMap)
        {
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
                        $"Input object {_count} is a {(record is StudentRecord ? "student" : "staff")} record, but this cmdlet imports {_kind.ToString().ToLowerInvariant()}.", record);
                return record;
            }

            var properties = input.Properties.Where(p => p.IsGettable && !(p is PSCodeProperty || p is PSScriptProperty && p.Name == "PSPath")).ToList();
            var names = properties.Select(p => p.Name).ToList();
            var signature = string.Join("\u001f", names);
            if (!_layouts.TryGetValue(signature, out var layout))
            {
                layout = ColumnLayout.Create(names, _kind, _product, _columnMap, $"Input object {_count} ({input.TypeNames.FirstOrDefault()})", requireMapKeys: false);
                _layouts[signature] = layout;
            }
            var cells = new object[properties.Count];
            for (int i = 0; i < cells.Length; i++) cells[i] = CellValue(properties[i]);
            return layout.Build(_count, cells, date1904: false, today: _today);
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
