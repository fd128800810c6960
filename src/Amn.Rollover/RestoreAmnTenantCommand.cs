using System.IO;
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
            if (!File.Exists(backup))
            {
                ThrowTerminatingError(ToErrorRecord(new AmnException("BackupNotFound", AmnErrorCategory.ObjectNotFound, $"The backup file '{backup}' does not exist.", backup)));
            }
            var checkedBackup = TenantStore.CheckBackup(backup); // completely, before anything is asked or changed
            var store = Store;
            var current = store.GetInfo();
            if (!ShouldProcess(
                $"tenant store '{store.Path}' ({current.StudentCount} students, {current.GroupCount} groups, {current.StaffCount} staff), replacing all of its content with the backup '{backup}'",
                "Restore"))
            {
                return;
            }
            if (!NoBackup)
            {
                var safety = store.AutomaticBackup();
                WriteVerbose($"Backed up the current content to '{safety}' before restoring.");
            }
            store.Restore(checkedBackup);
            if (PassThru) WriteObject(store.GetInfo());
        }
    }
}
