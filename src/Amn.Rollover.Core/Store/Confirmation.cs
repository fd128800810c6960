namespace Amn.Rollover.Core.Store
{
    /// <summary>How a change of the store is confirmed, which decides what its plan is made on (see <see cref="PlannedChange"/>).</summary>
    public enum Confirmation
    {
        /// <summary>-WhatIf: the plan only, on a read; nothing is applied.</summary>
        WhatIf,
        /// <summary>The user is asked, which may take minutes: the plan is made on a read, the lock taken after the answer.</summary>
        Asked,
        /// <summary>Nobody is asked (-Confirm:$false, a scheduled script): the plan is made under the lock it is applied in.</summary>
        NotAsked,
    }
}
