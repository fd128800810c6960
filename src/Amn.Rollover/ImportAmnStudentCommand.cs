using System;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsData.Import, "AmnStudent", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(StudentImportResult))]
    [OutputType(typeof(Core.Model.Student))]
    public sealed class ImportAmnStudentCommand : RecordImportCmdlet<StudentRecord>
    {
        private bool _write;
        private bool _declined;
        private volatile StudentImportSession _session;

        [Parameter]
        [ArgumentCompleter(typeof(FolderCompleter))]
        [ValidateNotNull]
        public string Folder { get; set; }

        [Parameter]
        public SwitchParameter AllowIdentityChange { get; set; }

        protected override ImportKind Kind => ImportKind.Student;

        /// <summary>
        /// Pupils are planned and written on another thread while the input is still being read, so
        /// the confirmation comes first, without counts. -WhatIf plans the same way and writes nothing,
        /// so it asks nothing first and says at the end what the import would do, with the counts.
        /// </summary>
        protected override void Begin()
        {
            CheckErrorLogPath();
            var source = Path != null ? Messages.Format("ImportStudentsFromFile", Store.Path, ResolvePath(Path)) : Messages.Format("ImportStudentsFromPipeline", Store.Path);
            _write = !IsWhatIf && ShouldProcess(source, Messages.Get("ImportStudentsAction"));
            _declined = !_write && !IsWhatIf;
            if (_declined) return;
            // Asked already, before anything was read: the pupils are planned and written under the lock.
            Change = BeginChange(_write ? Confirmation.NotAsked : Confirmation.WhatIf);
            var options = new StudentImportOptions { Folder = Folder, AllowIdentityChange = AllowIdentityChange };
            var work = Work;
            StartConsumer(records =>
            {
                using (var session = new StudentImportSession(work, options, _write))
                {
                    _session = session;
                    foreach (var record in records) session.Add(record);
                    return session.Complete(Source); // the queue is drained, so Source has been set
                }
            });
        }

        protected override void Process()
        {
            if (!_declined) base.Process();
        }

        protected override void End()
        {
            if (_declined) return;
            var result = (StudentImportResult)FinishConsumer(Messages.Format("ImportingStudentsInto", Store.Path), () => _session?.Result.Rows.Count ?? 0);
            WarnGroupsInOtherFolders(result);
            if (!_write) ShouldProcess(Messages.Format("ImportTarget", Store.Path, result.Rows.Count, Source ?? Messages.Get("NoInput"), result.Describe()), Messages.Get("ImportStudentsAction")); // -WhatIf: says so, returns false
            Finish(result, _write);
        }

        /// <summary>-Folder places the groups this import creates; one that exists already stays in its folder, and the admin is told so, once.</summary>
        private void WarnGroupsInOtherFolders(StudentImportResult result)
        {
            if (Folder == null) return;
            var folder = Folders.Normalize(Folder);
            var used = new System.Collections.Generic.HashSet<string>(
                result.Rows.Where(r => r.Action != ImportAction.Failed).Select(r => r.Student?.Group).Where(g => g != null), StringComparer.OrdinalIgnoreCase);
            used.ExceptWith(result.NewGroups);
            if (used.Count == 0) return;
            var elsewhere = Groups.List(Work).Where(g => used.Contains(g.Name) && !string.Equals(g.Folder ?? "", folder, StringComparison.OrdinalIgnoreCase))
                .OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).ToList();
            if (elsewhere.Count == 0) return;
            var list = string.Join(", ", elsewhere.Take(10).Select(g => $"{g.Name} ({(string.IsNullOrEmpty(g.Folder) ? Messages.Get("ViewRootFolder") : g.Folder)})"))
                       + (elsewhere.Count > 10 ? Messages.Format("AndMore", elsewhere.Count - 10) : "");
            WriteWarning(Messages.Format("FolderNotApplied", Folder, Messages.Count("GroupsElsewhere", elsewhere.Count), list));
        }
    }
}
