using Amn.Rollover.Core.Model;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>One of the new groups after the rollover: its pupils, mentors and teachers.</summary>
    public sealed class GroupStaffing
    {
        public string Group { get; internal set; }
        public int Pupils { get; internal set; }
        public TextList Mentors { get; internal set; } = TextList.Empty;
        public TextList Teachers { get; internal set; } = TextList.Empty;

        public override string ToString() => Group;
    }
}
