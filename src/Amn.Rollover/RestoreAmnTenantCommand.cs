using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsData.Restore, "AmnTenant", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(TenantInfo))]
    public sealed class RestoreAmnTenantCommand : AmnCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "BackupPath")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter]
        public SwitchParameter NoBackup { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Process()
        {
            var backup = ResolvePath(Path);
            var checkedBackup = TenantStore.CheckBackup(backup); // completely, before anything is asked or changed
            var store = Store;
            var current = store.GetInfo();
            if (!ShouldProcess(
                Messages.Format("RestoreTarget", store.Path, current.StudentCount, current.GroupCount, current.StaffCount, backup),
                "Restore"))
            {
                return;
            }
            if (!NoBackup)
            {
                var safety = store.AutomaticBackup();
                WriteVerbose(Messages.Format("BackedUpBeforeRestoring", safety));
            }
            var erasedAgain = store.Restore(checkedBackup);
            if (erasedAgain.Count > 0)
                WriteWarning(Messages.Format(erasedAgain.Count == 1 ? "RestoreErasedAgain.One" : "RestoreErasedAgain.Other", erasedAgain.Count, Messages.Shorten(erasedAgain)));
            if (PassThru) WriteObject(store.GetInfo());
        }
    }
}
