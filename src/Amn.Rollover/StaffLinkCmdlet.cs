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
    /// change is confirmed per staff member and written in one transaction at the end.
    /// </summary>
    public abstract class StaffLinkCmdlet : AmnCmdlet
    {
        private readonly Guid _runId = Guid.NewGuid();
        private readonly List<(long StaffId, LinkChange Change)> _changes = new List<(long, LinkChange)>();
        private SqliteConnection _connection;
        private Dictionary<string, StaffTable.Row> _staff;
        private Dictionary<string, string> _groupNames;

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("gebruikersnaam", "Email", "e-mail", "emailadres")]
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

        protected abstract LinkChange Plan(Staff staff, IDictionary<string, string> groupNames);
        protected abstract string Describe(LinkChange change);

        protected override void BeginProcessing()
        {
            _connection = Store.OpenConnection();
            _staff = StaffTable.LoadAll(_connection);
            _groupNames = Groups.LoadIds(_connection).Keys.ToDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);
        }

        protected override void ProcessRecord()
        {
            var row = StaffLinks.Find(_staff, UserName, Code);
            if (row == null)
            {
                var who = string.IsNullOrWhiteSpace(UserName) ? Code : UserName;
                WriteError(ToErrorRecord(new AmnException("StaffNotFound", AmnErrorCategory.ObjectNotFound,
                    string.IsNullOrWhiteSpace(who) ? "Name the staff member with -UserName or -Code." : $"No staff member '{who}' in tenant '{Store.Path}'.", who)));
                return;
            }
            var change = Plan(row.Staff, _groupNames);
            foreach (var unknown in change.UnknownGroups)
                WriteWarning($"The group '{unknown}' does not exist, so {row.Staff.UserName} is not linked to it. Use -CreateMissingGroups to create it.");
            if (change.IsEmpty)
            {
                WriteVerbose($"{row.Staff.UserName}: nothing to change.");
                Emit(row.Staff.UserName, row.Staff.Groups);
                return;
            }
            if (!ShouldProcess($"{row.Staff.UserName} ({row.Staff.FullName}): {Describe(change)}", MyInvocation.MyCommand.Name)) return;
            _changes.Add((row.Id, change));
            // Later pipeline rows for the same person build on this change.
            row.Staff.Groups = row.Staff.Groups.Except(change.Removed, StringComparer.OrdinalIgnoreCase).Concat(change.Added).ToArray();
        }

        protected override void EndProcessing()
        {
            if (_changes.Count > 0)
            {
                using (var transaction = _connection.BeginTransaction())
                {
                    foreach (var (staffId, change) in _changes) StaffLinks.Apply(_connection, transaction, staffId, change, _runId);
                    transaction.Commit();
                }
                foreach (var userName in _changes.Select(c => c.Change.UserName).Distinct(StringComparer.OrdinalIgnoreCase))
                    Emit(userName, _staff[userName].Staff.Groups);
            }
            _connection.Dispose();
        }

        private void Emit(string userName, IEnumerable<string> groups)
        {
            if (PassThru) WriteObject(groups.Select(g => new StaffGroupLink(userName, g)), enumerateCollection: true);
        }

        protected override void StopProcessing() => _connection?.Dispose();
    }
}
