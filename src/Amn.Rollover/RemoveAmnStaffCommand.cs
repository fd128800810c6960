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
                WriteError(ToErrorRecord(new AmnException("NoUserName", AmnErrorCategory.InvalidArgument, Messages.Get("PipedObjectWithoutUserName"), InputObject)));
                return;
            }
            _requested.Add(name);
        }

        protected override void End()
        {
            var removal = StaffRemoval.Plan(Store, _requested);
            foreach (var name in removal.NotFound)
                WriteError(ToErrorRecord(new AmnException("StaffNotFound", AmnErrorCategory.ObjectNotFound, Messages.Format("NoStaff", name, Store.Path), name)));
            var notFoundBefore = removal.NotFound.Count;
            if (removal.Found.Count == 0) return;
            // The whole invocation counts: a pipeline of departed staff is one removal.
            var limit = removal.LimitExceeded();
            if (limit != null && !Force) ThrowTerminatingError(ToErrorRecord(limit));

            var confirmed = removal.Found.Where(s => ShouldProcess(
                Messages.Format("RemoveStaffTarget", s.UserName, s.FullName + (s.Roles.Count > 0 ? ", " + string.Join("/", s.Roles) : ""), s.Groups.Count), Messages.Get("RemoveStaffAction"))).ToList();
            if (confirmed.Count == 0) return;
            var removed = Writing(waiting => removal.Remove(confirmed, backup: !NoBackup, waiting));
            foreach (var name in removal.NotFound.Skip(notFoundBefore))
                WriteError(ToErrorRecord(new AmnException("StaffNotFound", AmnErrorCategory.ObjectNotFound, Messages.Format("NoStaffAnyMore", name, Store.Path), name)));
            if (removal.BackupPath != null) WriteVerbose(Messages.Format("BackedUpBeforeRemovingStaff", removal.BackupPath, confirmed.Count));
            if (PassThru) WriteObject(removed, enumerateCollection: true);
        }
    }
}
