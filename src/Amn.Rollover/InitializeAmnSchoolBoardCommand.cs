using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Store.Postgres;

namespace Amn.Rollover
{
    /// <summary>
    /// Sets up (or migrates forward) a school board's PostgreSQL database and adds schools with a role
    /// each, as the database's owner. Run once by the board's IT; the schools' admins then connect
    /// with Connect-AmnTenant -ConnectionString -School as members of their school's role.
    /// </summary>
    [Cmdlet(VerbsData.Initialize, "AmnSchoolBoard", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SchoolTenant))]
    public sealed class InitializeAmnSchoolBoardCommand : AmnCmdlet
    {
        /// <summary>The board's database, as a user that owns it (or may create schemas and roles in it).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string ConnectionString { get; set; }

        [Parameter]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>Schools to add; a school that exists already is left as it is.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string[] School { get; set; } = new string[0];

        private string _connectionString;

        protected override void Begin()
        {
            _connectionString = SchoolBoardConnection.With(ConnectionString, Credential);
            if (!ShouldProcess(SchoolBoardDatabase.Describe(_connectionString), Messages.Get("MigrateBoardSchema"))) return;
            var version = SchoolBoardDatabase.Provision(_connectionString);
            WriteVerbose(Messages.Format("BoardSchemaVersion", version));
        }

        protected override void Process()
        {
            foreach (var school in School)
            {
                if (!ShouldProcess(Messages.Format("SchoolTarget", school), Messages.Get("AddSchoolAction"))) continue;
                var role = SchoolBoardDatabase.AddSchool(_connectionString, school);
                WriteVerbose(Messages.Format("GrantSchoolRole", school, role));
            }
        }

        protected override void End()
        {
            if (IsWhatIf) return;
            WriteObject(SchoolBoardDatabase.Schools(_connectionString), enumerateCollection: true);
        }
    }
}
