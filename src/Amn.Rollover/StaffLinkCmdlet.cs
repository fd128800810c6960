using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover
{
    /// <summary>
    /// Set- and Remove-AmnStaffGroupLink: a staff member named by username or code, binding by property
    /// name so Import-Csv rows with gebruikersnaam/email/code and klas/groep columns pipe in. Every
    /// change is confirmed per staff member and written in one transaction at the end, planned again
    /// inside it.
    /// </summary>
    public abstract class StaffLinkCmdlet : AmnCmdlet
    {
        private readonly Guid _runId = Guid.NewGuid();
        private readonly List<(string UserName, string[] Groups)> _confirmed = new List<(string, string[])>();
        private Dictionary<string, StaffTable.Row> _staff;
        private Dictionary<string, string> _groupNames;

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

        protected override void Begin()
        {
            (_staff, _groupNames) = Read(connection => LoadState(connection, null));
        }

        /// <summary>Plans against what the store held when the cmdlet started and asks for confirmation; the write happens at the end.</summary>
        protected override void Process()
        {
            var row = StaffLinks.Find(_staff, UserName, Code);
            if (row == null)
            {
                WriteNotFound(string.IsNullOrWhiteSpace(UserName) ? Code : UserName);
                return;
            }
            var change = Plan(row.Staff, Group, _groupNames);
            foreach (var unknown in change.UnknownGroups)
                WriteWarning($"The group '{unknown}' does not exist, so {row.Staff.UserName} is not linked to it. Use -CreateMissingGroups to create it.");
            if (change.IsEmpty)
            {
                WriteVerbose($"{row.Staff.UserName}: nothing to change.");
                Emit(row.Staff.UserName, row.Staff.Groups);
                return;
            }
            if (!ShouldProcess($"{row.Staff.UserName} ({row.Staff.FullName}): {Describe(change)}", MyInvocation.MyCommand.Name)) return;
            _confirmed.Add((row.Staff.UserName, (string[])Group.Clone()));
            // Later pipeline rows for the same person build on this change.
            row.Staff.Groups = row.Staff.Groups.Except(change.Removed, StringComparer.OrdinalIgnoreCase).Concat(change.Added).ToArray();
        }

        /// <summary>
        /// Plans each confirmed change again inside the write transaction, against the store as it is
        /// now: another session may have removed a group or a staff member since the cmdlet started.
        /// </summary>
        protected override void End()
        {
            if (_confirmed.Count == 0) return;
            var changed = Write((connection, transaction) =>
            {
                var (staff, groupNames) = LoadState(connection, transaction);
                var names = new List<string>();
                foreach (var (userName, groups) in _confirmed)
                {
                    if (!staff.TryGetValue(userName, out var row)) { WriteNotFound(userName); continue; }
                    var change = Plan(row.Staff, groups, groupNames);
                    foreach (var unknown in change.UnknownGroups)
                        WriteWarning($"The group '{unknown}' no longer exists (another session removed it), so {row.Staff.UserName} is not linked to it.");
                    if (change.IsEmpty) continue;
                    StaffLinks.Apply(connection, transaction, row.Id, change, _runId);
                    row.Staff.Groups = row.Staff.Groups.Except(change.Removed, StringComparer.OrdinalIgnoreCase).Concat(change.Added).ToArray();
                    if (!names.Contains(userName, StringComparer.OrdinalIgnoreCase)) names.Add(userName);
                }
                return names.Select(n => staff[n].Staff).ToList();
            });
            foreach (var staff in changed) Emit(staff.UserName, staff.Groups);
        }

        private static (Dictionary<string, StaffTable.Row>, Dictionary<string, string>) LoadState(SqliteConnection connection, SqliteTransaction transaction)
            => (StaffTable.LoadAll(connection, transaction),
                Groups.LoadIds(connection, transaction).Keys.ToDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase));

        private void WriteNotFound(string who)
        {
            WriteError(ToErrorRecord(new AmnException("StaffNotFound", AmnErrorCategory.ObjectNotFound,
                string.IsNullOrWhiteSpace(who) ? "Name the staff member with -UserName or -Code." : $"No staff member '{who}' in tenant '{Store.Path}'.", who)));
        }

        private void Emit(string userName, IEnumerable<string> groups)
        {
            if (PassThru) WriteObject(groups.Select(g => new StaffGroupLink(userName, g)), enumerateCollection: true);
        }
    }
}
