using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    /// <summary>
    /// Set- and Remove-AmnStaffGroupLink: a staff member named by username or code, binding by property
    /// name so Import-Csv rows with gebruikersnaam/email/code and klas/groep columns pipe in. Every
    /// change is confirmed per staff member and written in one write at the end (see <see cref="StaffLinkEdit"/>).
    /// </summary>
    public abstract class StaffLinkCmdlet : AmnCmdlet
    {
        private StaffLinkEdit _edit;

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("gebruikersnaam", "Email", "e-mail", "emailadres")]
        [ArgumentCompleter(typeof(StaffNameCompleter))]
        public string UserName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("afkorting")]
        public string Code { get; set; }

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("klas", "groep", "Groups")]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Group { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected abstract LinkChange Plan(Staff staff, string[] groups, IDictionary<string, string> groupNames);
        protected abstract string Describe(LinkChange change);

        protected override void Begin() => _edit = new StaffLinkEdit(Store, Plan);

        /// <summary>Plans against what the store held when the cmdlet started and asks for confirmation; the write happens at the end.</summary>
        protected override void Process()
        {
            var staff = _edit.Find(UserName, Code);
            if (staff == null)
            {
                WriteNotFound(string.IsNullOrWhiteSpace(UserName) ? Code : UserName);
                return;
            }
            var change = _edit.Plan(staff, Group);
            foreach (var unknown in change.UnknownGroups)
                WriteWarning(Messages.Format("GroupMissingUseCreate", unknown, staff.UserName));
            if (change.IsEmpty)
            {
                WriteVerbose(Messages.Format("NothingToChange", staff.UserName));
                Emit(staff.UserName, staff.Groups);
                return;
            }
            if (ShouldProcess($"{staff.UserName} ({staff.FullName}): {Describe(change)}", MyInvocation.MyCommand.Name)) _edit.Confirm(staff, Group, change);
        }

        protected override void End()
        {
            if (_edit.ConfirmedCount == 0) return;
            var changed = Writing(_edit.Apply);
            foreach (var userName in _edit.NotFound) WriteNotFound(userName);
            foreach (var (userName, group) in _edit.GroupsGone)
                WriteWarning(Messages.Format("GroupRemovedMeanwhile", group, userName));
            foreach (var staff in changed) Emit(staff.UserName, staff.Groups);
        }

        private void WriteNotFound(string who)
        {
            WriteError(ToErrorRecord(new AmnException("StaffNotFound", AmnErrorCategory.ObjectNotFound,
                string.IsNullOrWhiteSpace(who) ? Messages.Get("NameTheStaffMember") : Messages.Format("NoStaff", who, Store.Path), who)));
        }

        private void Emit(string userName, IEnumerable<string> groups)
        {
            if (PassThru) WriteObject(groups.Select(g => new StaffGroupLink(userName, g)), enumerateCollection: true);
        }
    }
}
