using System;
using System.Collections.Generic;
using Amn.Rollover.Core.Importing;
using Amn.Rollover.Core.Model;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>What a rollover run did (or, with -WhatIf, would do).</summary>
    public sealed class RolloverResult
    {
        public RolloverPlan Plan { get; internal set; }
        public Guid RunId { get; internal set; }
        public TimeSpan Duration { get; internal set; }
        /// <summary>The automatic backup taken before any change: Restore-AmnTenant -Path $result.BackupPath undoes the run.</summary>
        public string BackupPath { get; internal set; }
        public bool WhatIf { get; internal set; }
        /// <summary>Step 2.</summary>
        public GroupRemovalResult Groups { get; internal set; }
        /// <summary>Step 3, per row.</summary>
        public StudentImportResult Students { get; internal set; }
        /// <summary>Step 4, per row.</summary>
        public StaffImportResult Staff { get; internal set; }
        /// <summary>Step 5: the staff removed (empty without -RemoveDepartedStaff).</summary>
        public List<Staff> StaffRemoved { get; } = new List<Staff>();
    }
}
