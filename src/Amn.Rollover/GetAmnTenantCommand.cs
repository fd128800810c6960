using System.Management.Automation;
using Amn.Rollover.Core.Store;
using Amn.Rollover.Core.Store.Postgres;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Get, "AmnTenant", DefaultParameterSetName = CurrentSet)]
    [OutputType(typeof(TenantInfo), typeof(SchoolTenant))]
    public sealed class GetAmnTenantCommand : AmnCmdlet
    {
        private const string CurrentSet = "Current";
        private const string ListSet = "ListAvailable";

        /// <summary>A school board's PostgreSQL server: Host=...;Database=...;Username=... (a password is better given with -Credential).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string ConnectionString { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [Credential]
        public PSCredential Credential { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ListSet)]
        public SwitchParameter ListAvailable { get; set; }

        protected override void End()
        {
            if (ParameterSetName == CurrentSet)
            {
                WriteObject(Store.GetInfo());
                return;
            }
            WriteObject(SchoolBoardConnection.Open(this, ConnectionString, Credential, SchoolBoardDatabase.Schools), enumerateCollection: true);
        }
    }
}
