using Amn.Rollover.Core.Files;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>How to run the rollover.</summary>
    public sealed class RolloverOptions
    {
        public string StudentPath { get; set; }
        public string StaffPath { get; set; }
        /// <summary>How to read both files (delimiter, encoding, worksheet, column map, product).</summary>
        public ImportFileOptions Read { get; set; } = new ImportFileOptions();
        /// <summary>The student workbook's sheet, when it differs from Read.Worksheet.</summary>
        public string StudentWorksheet { get; set; }
        /// <summary>The staff workbook's sheet, when it differs from Read.Worksheet.</summary>
        public string StaffWorksheet { get; set; }
        /// <summary>The folder for the new groups, such as 2026-2027.</summary>
        public string Folder { get; set; }
        public bool RemoveDepartedStaff { get; set; }
        public bool AllowInvalidRows { get; set; }
        public RolloverLimits Limits { get; set; } = new RolloverLimits();
    }
}
