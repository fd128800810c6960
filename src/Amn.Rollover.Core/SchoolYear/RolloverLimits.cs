namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>
    /// The safety limits of a rollover. The defaults pass a normal Dutch school year (the exam classes
    /// and a few others leave, one first-year intake arrives) and stop the files that are usually
    /// wrong: another school's or location's export, one class or department only, last year's export.
    /// </summary>
    public sealed class RolloverLimits
    {
        /// <summary>The limits a run gets when nothing sets them, the parameters' defaults (a new object each time: they can be changed).</summary>
        public static RolloverLimits Defaults => new RolloverLimits();

        /// <summary>Stored pupils not in the new file, as a percentage of all stored pupils.</summary>
        public int MaxLeaversPercent { get; set; } = 35;
        /// <summary>Leavers from groups that are not final-year groups, as a percentage of the pupils in those groups.</summary>
        public int MaxOtherLeaversPercent { get; set; } = 10;
        /// <summary>Pupils in the file that are new to the tenant, as a percentage of the file's pupils.</summary>
        public int MaxNewStudentsPercent { get; set; } = 40;
        /// <summary>Staff removed as departed (-RemoveDepartedStaff), as a percentage of the stored staff.</summary>
        public int MaxDepartedStaffPercent { get; set; } = 20;
        /// <summary>Which groups are exam classes, whose pupils are expected to leave.</summary>
        public FinalYearGroups FinalYear { get; set; } = new FinalYearGroups();
    }
}
