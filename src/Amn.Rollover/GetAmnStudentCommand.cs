using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Model;

namespace Amn.Rollover
{
    [Cmdlet(VerbsCommon.Get, "AmnStudent", DefaultParameterSetName = FilterSet)]
    [OutputType(typeof(Student))]
    public sealed class GetAmnStudentCommand : AmnCmdlet
    {
        private const string FilterSet = "Filter";
        private const string GroupObjectSet = "GroupObject";

        [Parameter(ParameterSetName = FilterSet, ValueFromPipelineByPropertyName = true)]
        [Alias("deelnemersnummer")]
        [ValidateNotNullOrEmpty]
        public string[] Number { get; set; }

        [Parameter(Position = 0, ParameterSetName = FilterSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; }

        [Parameter(ParameterSetName = FilterSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Group { get; set; }

        [Parameter(ParameterSetName = FilterSet)]
        public SwitchParameter WithoutGroup { get; set; }

        /// <summary>Only pupils last seen in an imported student file before this date (retention).</summary>
        [Parameter(ParameterSetName = FilterSet)]
        public System.DateTime? NotSeenSince { get; set; }

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = GroupObjectSet)]
        public Group InputObject { get; set; }

        protected override void Process()
        {
            var groups = ParameterSetName == GroupObjectSet ? new[] { InputObject.Name } : Group;
            using (var read = BeginRead())
            {
                List<string> groupNames = null;
                if (groups != null)
                {
                    groupNames = GroupMatcher.Resolve(this, read, groups);
                    if (groupNames.Count == 0) return;
                }
                var namePattern = Name == null ? null : new WildcardPattern(Name, WildcardOptions.IgnoreCase);
                var found = new HashSet<string>();
                foreach (var student in Core.Store.Students.Query(read, Number, groupNames, WithoutGroup, NotSeenSince))
                {
                    if (namePattern != null && !namePattern.IsMatch(student.FullName)) continue;
                    found.Add(student.Number);
                    WriteObject(student);
                }
                foreach (var number in Number ?? Enumerable.Empty<string>())
                {
                    if (found.Contains(number)) continue;
                    var hint = Core.Store.Students.LeadingZerosHint(read, number);
                    WriteError(ToErrorRecord(new AmnException("StudentNotFound", AmnErrorCategory.ObjectNotFound, Messages.Format("NoStudentNumber", number, Store.Path, hint), number)));
                }
                if (found.Count == 0 && Name != null && !WildcardPattern.ContainsWildcardCharacters(Name))
                    WriteError(ToErrorRecord(new AmnException("StudentNotFound", AmnErrorCategory.ObjectNotFound, Messages.Format(groups != null ? "NoStudentNamedInGroups" : "NoStudentNamed", Name, Store.Path), Name)));
            }
        }
    }
}
