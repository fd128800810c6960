using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Remove, "AmnStaff", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = UserNameSet)]
    [OutputType(typeof(Staff))]
    public sealed class RemoveAmnStaffCommand : AmnCmdlet
    {
        private const string UserNameSet = "UserName";
        private const string InputSet = "InputObject";

        private readonly List<string> _requested = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = UserNameSet)]
        [Alias("gebruikersnaam")]
        [ArgumentCompleter(typeof(StaffNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] UserName { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public PSObject InputObject { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter NoBackup { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Process()
        {
            if (ParameterSetName == UserNameSet)
            {
                _requested.AddRange(UserName);
                return;
            }
            var name = InputObject.Properties["UserName"]?.Value?.ToString();
            if (string.IsNullOrWhiteSpace(name))
            {
                WriteError(ToErrorRecord(new AmnException("NoUserName", AmnErrorCategory.InvalidArgument, "The piped object has no UserName property.", InputObject)));
                return;
            }
            _requested.Add(name);
        }

        protected override void End()
        {
            var store = Store;
            Dictionary<string, StaffTable.Row> staff;
            staff = Read(connection => StaffTable.LoadAll(connection));

            var found = new List<StaffTable.Row>();
            foreach (var name in _requested.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (staff.TryGetValue(name.Trim(), out var row)) found.Add(row);
                else WriteError(ToErrorRecord(new AmnException("StaffNotFound", AmnErrorCategory.ObjectNotFound, $"No staff member '{name}' in tenant '{store.Path}'.", name)));
            }
            if (found.Count == 0) return;

            // The whole invocation counts: a pipeline of departed staff is one removal.
            if (SafetyLimits.Exceeds(found.Count, staff.Count) && !Force)
            {
                ThrowTerminatingError(ToErrorRecord(new AmnException("TooManyStaffRemoved", AmnErrorCategory.LimitsExceeded,
                    $"This would remove {found.Count} of the {staff.Count} staff members of tenant '{store.Path}' ({100.0 * found.Count / staff.Count:0}%), more than {SafetyLimits.MaxShare:0%} at once. That usually means the wrong staff file. Nobody was removed; check the list, then run again with -Force.", found.Count)));
            }

            var confirmed = found.Where(r => ShouldProcess(
                $"{r.Staff.UserName} ({r.Staff.FullName}{(r.Staff.Roles.Count > 0 ? ", " + string.Join("/", r.Staff.Roles) : "")}) and {r.Staff.Groups.Count} group links", "Remove staff member")).ToList();
            if (confirmed.Count == 0) return;

            if (confirmed.Count > 1 && !NoBackup)
            {
                var backup = store.AutomaticBackup();
                WriteVerbose($"Backed up the store to '{backup}' before removing {confirmed.Count} staff members.");
            }
            var runId = Guid.NewGuid();
            var removed = Write((connection, transaction) =>
            {
                // Only who is still there: another session may have removed someone meanwhile.
                var now = StaffTable.LoadAll(connection, transaction);
                var present = confirmed.Where(r => now.ContainsKey(r.Staff.UserName)).ToList();
                foreach (var row in present)
                {
                    StaffTable.Delete(connection, transaction, now[row.Staff.UserName].Id);
                    AuditLog.Write(connection, transaction, runId, "RemoveStaff", row.Staff.UserName,
                        $"roles={string.Join(",", row.Staff.Roles)}; groups={string.Join(",", row.Staff.Groups)}");
                }
                return present;
            });
            if (PassThru) WriteObject(removed.Select(r => r.Staff), enumerateCollection: true);
        }
    }

}
