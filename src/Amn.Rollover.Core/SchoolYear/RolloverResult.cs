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
        /// <summary>Step 2, with the pupils and staff each group had.</summary>
        public GroupRemovalResult Groups { get; internal set; }
        /// <summary>What happened to the pupils, as lists of numbers: the plan's, now applied.</summary>
        public StudentChanges Students => Plan.Students;
        /// <summary>What happened to the staff, as lists of usernames.</summary>
        public StaffChanges Staff => Plan.Staff;
        public List<string> GroupsRemoved => Plan.GroupsToRemove;
        public List<string> GroupsCreated => Plan.GroupsToCreate;
        /// <summary>The safety limits this run exceeded, overridden with -Force.</summary>
        public List<SafetyStop> SafetyStops => Plan.SafetyStops;
        /// <summary>Step 3, per row of the student file.</summary>
        public StudentImportResult StudentRows { get; internal set; }
        /// <summary>Step 4, per row of the staff file.</summary>
        public StaffImportResult StaffRows { get; internal set; }
        /// <summary>Step 5: the staff removed (empty without -RemoveDepartedStaff).</summary>
        public List<Staff> StaffRemoved { get; } = new List<Staff>();
    }
}
