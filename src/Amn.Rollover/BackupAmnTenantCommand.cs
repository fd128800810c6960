using System.IO;
using System.Management.Automation;
using Amn.Rollover.Core;

namespace Amn.Rollover
{
    [Cmdlet(VerbsData.Backup, "AmnTenant")]
    [OutputType(typeof(FileInfo))]
    public sealed class BackupAmnTenantCommand : AmnCmdlet
    {
        /// <summary>-Path too: the name Restore-AmnTenant gives the backup file.</summary>
        [Parameter(Position = 0)]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; }

        protected override void End()
        {
            var destination = Destination == null ? null : ResolvePath(Destination);
            if (destination != null && Directory.Exists(destination))
            {
                destination = System.IO.Path.Combine(destination, System.IO.Path.GetFileName(Store.DefaultBackupPath()));
            }
            var path = Store.Backup(destination);
            WriteVerbose(Messages.Format("BackedUpTo", Store.Path, path));
            WriteFileItem(path);
        }
    }
}
