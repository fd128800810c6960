using System;
using System.Collections.Generic;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover.Core.Model
{
    /// <summary>
    /// One of a staff member's own fields, described once for every part that handles it: the import
    /// field its column feeds, its name on <see cref="Staff"/> and <see cref="StaffRecord"/> and in the
    /// change list of an update, and its column in the store. <see cref="All"/> lists them in the
    /// store's column order; the username (the key), roles and group links are not among them.
    /// </summary>
    public sealed class StaffField
    {
        private readonly Func<Staff, string> _get;
        private readonly Action<Staff, string> _set;
        private readonly Func<StaffRecord, string> _record;

        private StaffField(ImportField field, string name, string column, Func<Staff, string> get, Action<Staff, string> set, Func<StaffRecord, string> record)
        {
            Field = field;
            Name = name;
            Column = column;
            _get = get;
            _set = set;
            _record = record;
        }

        public ImportField Field { get; }

        /// <summary>The property of <see cref="Staff"/> and <see cref="StaffRecord"/>, and the field of a <see cref="FieldChange"/>.</summary>
        public string Name { get; }

        /// <summary>The column of the store's staff table.</summary>
        public string Column { get; }

        /// <summary>The fields in the store's column order.</summary>
        public static IReadOnlyList<StaffField> All { get; } = new[]
        {
            new StaffField(ImportField.Code, nameof(Staff.Code), "code", s => s.Code, (s, v) => s.Code = v, r => r.Code),
            new StaffField(ImportField.FirstName, nameof(Staff.FirstName), "first_name", s => s.FirstName, (s, v) => s.FirstName = v, r => r.FirstName),
            new StaffField(ImportField.Prefix, nameof(Staff.Prefix), "prefix", s => s.Prefix, (s, v) => s.Prefix = v, r => r.Prefix),
            new StaffField(ImportField.LastName, nameof(Staff.LastName), "last_name", s => s.LastName, (s, v) => s.LastName = v, r => r.LastName),
            new StaffField(ImportField.Email, nameof(Staff.Email), "email", s => s.Email, (s, v) => s.Email = v, r => r.Email),
        };

        /// <summary>The staff member a record describes, with its roles and group links.</summary>
        public static Staff FromRecord(StaffRecord record)
        {
            var staff = new Staff { UserName = record.UserName, Roles = record.Roles, Groups = record.Groups };
            foreach (var field in All) field.Set(staff, field.Get(record));
            return staff;
        }

        /// <summary>The field of an import field; null for the username, roles, groups and pupil fields. (FirstNames feeds FirstName.)</summary>
        public static StaffField For(ImportField field)
        {
            if (field == ImportField.FirstNames) field = ImportField.FirstName;
            foreach (var candidate in All) if (candidate.Field == field) return candidate;
            return null;
        }

        internal string Get(Staff staff) => _get(staff);
        internal string Get(StaffRecord record) => _record(record);
        internal void Set(Staff staff, string value) => _set(staff, value);
    }
}
