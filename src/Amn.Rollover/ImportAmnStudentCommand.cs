using System.Management.Automation;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Importing;

namespace Amn.Rollover
{
    [Cmdlet(VerbsData.Import, "AmnStudent", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(StudentImportResult))]
    [OutputType(typeof(Core.Model.Student))]
    public sealed class ImportAmnStudentCommand : RecordImportCmdlet<StudentRecord>
    {
        [Parameter]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(FolderCompleter))]
        public string Folder { get; set; }

        [Parameter]
        public SwitchParameter AllowIdentityChange { get; set; }

        protected override ImportKind Kind => ImportKind.Student;

        protected override System.Func<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction, object> Preload
            => (connection, transaction) => StoredStudents.Load(connection, transaction);

        protected override void EndProcessing()
        {
            var options = new StudentImportOptions { Folder = Folder, AllowIdentityChange = AllowIdentityChange, Source = Source };
            RunImport("Import students",
                (connection, transaction, stored) => StudentImporter.Plan(connection, transaction, Records, options, (StoredStudents)stored),
                (connection, transaction, plan) =>
                {
                    var progress = new ProgressReporter(this, $"Importing students into {Store.Path}");
                    StudentImporter.Apply(connection, transaction, plan, Source, Cancellation.Token, (done, total) => progress.Report($"{done} of {total} rows", (double)done / total));
                    progress.Complete();
                });
        }
    }
}
