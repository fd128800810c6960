using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Remove, "AmnGroup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NameSet)]
    [OutputType(typeof(GroupRemovalResult), typeof(Group))]
    public sealed class RemoveAmnGroupCommand : AmnCmdlet
    {
        private const string AllSet = "All";
        private const string FolderSet = "Folder";
        private const string NameSet = "Name";
        private const string InputSet = "InputObject";

        private readonly List<string> _confirmed = new List<string>();
        private readonly List<string> _whatIf = new List<string>();

        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = FolderSet)]
        [ValidateNotNull]
        [ArgumentCompleter(typeof(FolderCompleter))]
        public string Folder { get; set; }

        [Parameter(ParameterSetName = FolderSet)]
        public SwitchParameter Recurse { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public Group[] InputObject { get; set; }

        [Parameter]
        public SwitchParameter NoBackup { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void Process()
        {
            if (ParameterSetName != InputSet) return;
            foreach (var group in InputObject)
            {
                var target = Messages.Format("RemoveGroupTarget", group.Name, FolderText(group.Folder), group.StudentCount, group.StaffCount);
                if (ShouldProcess(target, Messages.Get("RemoveGroupAction"))) _confirmed.Add(group.Name);
                else if (IsWhatIf) _whatIf.Add(group.Name);
            }
        }

        protected override void End()
        {
            List<string> names;
            using (var read = BeginRead())
            {
                names = ParameterSetName == InputSet ? _confirmed.Concat(_whatIf).ToList() : Select(read);
                var preview = GroupRemoval.Preview(read, names, whatIf: ParameterSetName == InputSet ? _confirmed.Count == 0 : IsWhatIf);
                if (ParameterSetName != InputSet)
                {
                    if (preview.GroupsRemoved == 0) { Emit(preview); return; }
                    var target = Messages.Format("RemoveGroupsTarget", preview.GroupsRemoved, Store.Path, preview.MembershipsCleared, preview.StaffLinksRemoved);
                    if (!ShouldProcess(target, Messages.Get("RemoveGroupsAction")))
                    {
                        if (IsWhatIf) Emit(preview);
                        return;
                    }
                }
                else if (_confirmed.Count == 0)
                {
                    if (_whatIf.Count > 0) Emit(preview);
                    return;
                }
            }

            if (ParameterSetName == InputSet) names = _confirmed;
            var result = Writing(waiting => GroupRemoval.Remove(Store, names, ParameterSetName == FolderSet ? Folder : null, backup: !NoBackup, waiting));
            // Named groups another session removed since the lookup are reported; -All and -Folder remove what there is.
            if (ParameterSetName == NameSet || ParameterSetName == InputSet)
                foreach (var name in result.NotFound)
                    WriteError(ToErrorRecord(new AmnException("GroupNotFound", AmnErrorCategory.ObjectNotFound, Messages.Format("NoGroupAnyMore", name, Store.Path), name)));
            if (result.BackupPath != null) WriteVerbose(Messages.Format("BackedUpBeforeRemovingGroups", result.BackupPath));
            Emit(result);
        }

        /// <summary>The group names a bulk form selects; names and folders that match nothing are errors.</summary>
        private List<string> Select(TenantWork read)
        {
            var groups = Groups.List(read);
            switch (ParameterSetName)
            {
                case AllSet:
                    return groups.Select(g => g.Name).ToList();
                case FolderSet:
                    var folder = Folders.Normalize(Folder);
                    if (!Folders.Exists(read, folder))
                    {
                        WriteError(ToErrorRecord(new AmnException("FolderNotFound", AmnErrorCategory.ObjectNotFound, Messages.Format("NoFolder", Folder, Store.Path), Folder)));
                        return new List<string>();
                    }
                    return groups.Where(g => string.Equals(g.Folder, folder, StringComparison.OrdinalIgnoreCase)
                                             || (Recurse && folder.Length > 0 && g.Folder.StartsWith(folder + "/", StringComparison.OrdinalIgnoreCase))
                                             || (Recurse && folder.Length == 0))
                                 .Select(g => g.Name).ToList();
                default:
                    return GroupMatcher.Resolve(this, read, Name);
            }
        }

        private void Emit(GroupRemovalResult result)
        {
            if (PassThru) WriteObject(result.Groups, enumerateCollection: true);
            else WriteObject(result);
        }

        private static string FolderText(string folder) => string.IsNullOrEmpty(folder) ? "" : Messages.Format("InFolder", folder);
    }
}
