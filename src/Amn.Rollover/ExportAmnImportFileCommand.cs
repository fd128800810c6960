using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Export;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsData.Export, "AmnImportFile", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportAmnImportFileCommand : AmnCmdlet
    {
        private readonly List<Student> _students = new List<Student>();
        private readonly List<Staff> _staff = new List<Staff>();
        private PipelineRecordConverter _converter;
        private bool _piped;

        [Parameter(Mandatory = true)]
        public ImportKind Kind { get; set; }

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter(ValueFromPipeline = true)]
        public PSObject InputObject { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string Group { get; set; }

        [Parameter]
        public char Delimiter { get; set; } = ',';

        /// <summary>For piped rows: which property feeds which AMN field (@{ 'Leerlingnummer' = 'deelnemersnummer' }), as the import cmdlets read it.</summary>
        [Parameter]
        public Hashtable ColumnMap { get; set; }

        /// <summary>Replaces an existing file at -Path.</summary>
        [Parameter]
        public SwitchParameter AllowOverwrite { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private List<string> _tenantGroups;

        protected override void Process()
        {
            if (InputObject == null) return;
            _piped = true;
            switch (InputObject.BaseObject)
            {
                case Student student when Kind == ImportKind.Student: _students.Add(student); return;
                case Staff staff when Kind == ImportKind.Staff: _staff.Add(staff); return;
            }
            _converter = _converter ?? new PipelineRecordConverter(Kind, AmnProduct.None, ImportFileCmdlet.ToDictionary(ColumnMap), pathReadsFiles: false);
            var record = _converter.Convert(InputObject);
            if (!record.IsValid)
            {
                var first = record.Errors[0];
                WriteError(new ErrorRecord(new AmnException(first.ErrorId, AmnErrorCategory.InvalidData, Messages.Format("NotExported", string.Join(" ", record.Errors.Select(e => e.Message))), record),
                    first.ErrorId, ErrorCategory.InvalidData, record));
                return;
            }
            if (record is StudentRecord s)
                _students.Add(StudentField.FromRecord(s, s.Group));
            else if (record is StaffRecord p)
                _staff.Add(StaffField.FromRecord(p));
        }

        protected override void End()
        {
            var path = ResolveOutputPath(Path, nameof(Path));
            OutputFile.CheckOverwrite(path, AllowOverwrite, nameof(Path));
            AmnImportFileWriter.IsXlsx(path);
            if (!_piped) LoadFromTenant();
            var group = Group == null ? null : new WildcardPattern(Group, WildcardOptions.IgnoreCase);
            if (Group != null && !WildcardPattern.ContainsWildcardCharacters(Group) && !KnownGroups().Contains(Group))
                ThrowTerminatingError(ToErrorRecord(new AmnException("GroupNotFound", AmnErrorCategory.ObjectNotFound,
                    _piped ? Messages.Format("NoGroupAmongPiped", Group) : Messages.Format("NoGroupInTenantNotExported", Group, Store.Path), Group)));
            var students = _students.Where(s => group == null || (s.Group != null && group.IsMatch(s.Group))).ToList();
            var staff = _staff.Where(s => group == null || s.Groups.Any(group.IsMatch)).ToList();
            var count = Kind == ImportKind.Student ? students.Count : staff.Count;

            if (!ShouldProcess(Messages.Format(Kind == ImportKind.Student ? "ExportStudentsTarget" : "ExportStaffTarget", path, count), Messages.Get("ExportAction"))) return;
            if (Kind == ImportKind.Student) AmnImportFileWriter.WriteStudents(path, students, Delimiter);
            else AmnImportFileWriter.WriteStaff(path, staff, Delimiter);
            WriteVerbose(Messages.Format("WroteRows", count, path));
            if (PassThru) WriteFileItem(path);
        }

        private void LoadFromTenant()
        {
            using (var read = BeginRead())
            {
                if (Kind == ImportKind.Student) _students.AddRange(Students.Query(read));
                else _staff.AddRange(StaffTable.LoadAll(read).Values.Select(r => r.Staff));
                _tenantGroups = Groups.Names(read).ToList();
            }
        }

        /// <summary>The group names -Group may name: the tenant's groups, or those of the piped objects.</summary>
        private HashSet<string> KnownGroups()
            => new HashSet<string>(_piped ? _students.Select(s => s.Group).Concat(_staff.SelectMany(s => s.Groups)).Where(g => g != null) : _tenantGroups, StringComparer.OrdinalIgnoreCase);
    }
}
