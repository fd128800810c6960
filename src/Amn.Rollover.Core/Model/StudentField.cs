using System;
using System.Collections.Generic;
using System.Globalization;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover.Core.Model
{
    /// <summary>
    /// One of a pupil's personal fields, described once for every part that handles it: the import
    /// field its columns feed, its name on <see cref="Student"/> and <see cref="StudentRecord"/> and in
    /// the change list of an update, and its column in the store. <see cref="All"/> lists them in
    /// the store's column order; the number (the key) and the group (a reference) are not among them.
    /// </summary>
    public abstract class StudentField
    {
        private StudentField(ImportField field, string name, string column, bool required, bool repetitive)
        {
            Field = field;
            Name = name;
            Column = column;
            Required = required;
            Repetitive = repetitive;
        }

        public ImportField Field { get; }

        /// <summary>The property of <see cref="Student"/> and <see cref="StudentRecord"/>, and the field of a <see cref="FieldChange"/>.</summary>
        public string Name { get; }

        /// <summary>The column of the store's students table.</summary>
        public string Column { get; }

        /// <summary>NOT NULL in the store: an erasure leaves it empty rather than NULL.</summary>
        internal bool Required { get; }

        /// <summary>Many pupils share a value (names, gender, crebo): reading shares the strings.</summary>
        internal bool Repetitive { get; }

        /// <summary>The personal fields in the store's column order.</summary>
        public static IReadOnlyList<StudentField> All { get; } = new StudentField[]
        {
            new TextField(ImportField.FirstName, nameof(Student.FirstName), "first_name", true, true, s => s.FirstName, (s, v) => s.FirstName = v, r => r.FirstName),
            new TextField(ImportField.Prefix, nameof(Student.Prefix), "prefix", false, true, s => s.Prefix, (s, v) => s.Prefix = v, r => r.Prefix),
            new TextField(ImportField.LastName, nameof(Student.LastName), "last_name", true, true, s => s.LastName, (s, v) => s.LastName = v, r => r.LastName),
            new DateField(ImportField.BirthDate, nameof(Student.BirthDate), "birth_date", s => s.BirthDate, (s, v) => s.BirthDate = v, r => r.BirthDate),
            new TextField(ImportField.Gender, nameof(Student.Gender), "gender", false, true, s => s.Gender, (s, v) => s.Gender = v, r => r.Gender),
            new TextField(ImportField.CreboNumber, nameof(Student.CreboNumber), "crebo_number", false, true, s => s.CreboNumber, (s, v) => s.CreboNumber = v, r => r.CreboNumber),
            new TextField(ImportField.Email, nameof(Student.Email), "email", false, false, s => s.Email, (s, v) => s.Email = v, r => r.Email),
            new TextField(ImportField.UserName, nameof(Student.UserName), "user_name", false, false, s => s.UserName, (s, v) => s.UserName = v, r => r.UserName),
        };

        /// <summary>A copy of the pupil's personal fields and number, in the group given.</summary>
        public static Student Copy(Student from, string group)
        {
            var to = new Student { Number = from.Number, Group = group };
            foreach (var field in All) field.Copy(from, to);
            return to;
        }

        /// <summary>The pupil a record describes, in the group given (the tenant's spelling of it, or the record's).</summary>
        public static Student FromRecord(StudentRecord record, string group)
        {
            var to = new Student { Number = record.Number, Group = group };
            foreach (var field in All) field.Take(record, to);
            return to;
        }

        /// <summary>The field of an import field; null for the number, the group and staff fields. (FirstNames feeds FirstName.)</summary>
        public static StudentField For(ImportField field)
        {
            if (field == ImportField.FirstNames) field = ImportField.FirstName;
            foreach (var candidate in All) if (candidate.Field == field) return candidate;
            return null;
        }

        /// <summary>A date (yyyy-MM-dd in the store), not text.</summary>
        internal virtual bool IsDate => false;

        internal abstract bool HasValue(StudentRecord record);
        internal abstract void Copy(Student from, Student to);
        internal abstract void Take(StudentRecord from, Student to);
        internal abstract bool Same(StudentRecord record, Student stored);

        /// <summary>The value as the store holds it (a date as yyyy-MM-dd); null when empty.</summary>
        internal abstract string StoreText(Student student);
        internal abstract string StoreText(StudentRecord record);
        internal abstract void SetFromStore(Student student, string text);

        /// <summary>The value as the user reads it (a date as dd-MM-yyyy), for error logs.</summary>
        internal abstract string DisplayText(StudentRecord record);

        /// <summary>The stored yyyy-MM-dd form, parsed by hand (it is read for every stored pupil).</summary>
        internal static DateTime? ParseIsoDate(string text)
        {
            if (text == null) return null;
            if (text.Length == 10 && text[4] == '-' && text[7] == '-')
                return new DateTime(Digits(text, 0, 4), Digits(text, 5, 2), Digits(text, 8, 2));
            return DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        private static int Digits(string text, int start, int count)
        {
            int value = 0;
            for (int i = start; i < start + count; i++) value = value * 10 + (text[i] - '0');
            return value;
        }

        private sealed class TextField : StudentField
        {
            private readonly Func<Student, string> _get;
            private readonly Action<Student, string> _set;
            private readonly Func<StudentRecord, string> _record;

            public TextField(ImportField field, string name, string column, bool required, bool repetitive,
                Func<Student, string> get, Action<Student, string> set, Func<StudentRecord, string> record)
                : base(field, name, column, required, repetitive)
            {
                _get = get;
                _set = set;
                _record = record;
            }

            internal override bool HasValue(StudentRecord record) => _record(record) != null;
            internal override void Copy(Student from, Student to) => _set(to, _get(from));
            internal override void Take(StudentRecord from, Student to) => _set(to, _record(from));
            internal override bool Same(StudentRecord record, Student stored) => string.Equals(_record(record), _get(stored), StringComparison.Ordinal);
            internal override string StoreText(Student student) => _get(student);
            internal override string StoreText(StudentRecord record) => _record(record);
            internal override void SetFromStore(Student student, string text) => _set(student, text);
            internal override string DisplayText(StudentRecord record) => _record(record);
        }

        private sealed class DateField : StudentField
        {
            private readonly Func<Student, DateTime?> _get;
            private readonly Action<Student, DateTime?> _set;
            private readonly Func<StudentRecord, DateTime?> _record;

            public DateField(ImportField field, string name, string column,
                Func<Student, DateTime?> get, Action<Student, DateTime?> set, Func<StudentRecord, DateTime?> record)
                : base(field, name, column, required: false, repetitive: true)
            {
                _get = get;
                _set = set;
                _record = record;
            }

            internal override bool IsDate => true;
            internal override bool HasValue(StudentRecord record) => _record(record).HasValue;
            internal override void Copy(Student from, Student to) => _set(to, _get(from));
            internal override void Take(StudentRecord from, Student to) => _set(to, _record(from));
            internal override bool Same(StudentRecord record, Student stored) => _record(record) == _get(stored);
            internal override string StoreText(Student student) => IsoDate(_get(student));
            internal override string StoreText(StudentRecord record) => IsoDate(_record(record));
            internal override void SetFromStore(Student student, string text) => _set(student, ParseIsoDate(text));
            internal override string DisplayText(StudentRecord record) => _record(record)?.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);

            private static string IsoDate(DateTime? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
    }
}
