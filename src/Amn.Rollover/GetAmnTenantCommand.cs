using System.Management.Automation;
using Amn.Rollover.Core;
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
        private const string ListConnectedSet = "ListConnectedServer";

        /// <summary>A school board's PostgreSQL server: Host=...;Database=...;Username=... (a password is better given with -Credential).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ListSet)]
        [ValidateNotNullOrEmpty]
        public string ConnectionString { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>Without -ConnectionString: the server of the connected school (or of -Tenant).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ListSet)]
        [Parameter(Mandatory = true, ParameterSetName = ListConnectedSet)]
        public SwitchParameter ListAvailable { get; set; }

        protected override void End()
        {
            switch (ParameterSetName)
            {
                case CurrentSet:
                    WriteObject(Store.GetInfo());
                    return;
                case ListSet:
                    WriteObject(SchoolBoardConnection.Open(this, ConnectionString, Credential, SchoolBoardDatabase.Schools), enumerateCollection: true);
                    return;
            }
            // Never the default store: listing a server's schools creates no store file.
            var store = Tenant ?? TenantSession.Current;
            var schools = store?.SchoolsOnServer()
                ?? throw new AmnException("ListAvailableNeedsServer", AmnErrorCategory.InvalidArgument,
                    store == null ? Messages.Get("ListAvailableNeedsServer.NoneConnected") : Messages.Format("ListAvailableNeedsServer.File", store.Path), store?.Path);
            WriteObject(schools, enumerateCollection: true);
        }
    }
}
