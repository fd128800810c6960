using System;

namespace Amn.Rollover.Core.Store
{
    /// <summary>One pupil whose personal data Remove-AmnStudent erased; the number stays, marked used.</summary>
    public sealed class StudentErasure
    {
        public string Number { get; internal set; }
        /// <summary>The pupil's group before the erasure (which the erasure clears); for -WhatIf the list to check.</summary>
        public string Group { get; internal set; }
        /// <summary>When the data was erased; null under -WhatIf, where nothing is.</summary>
        public DateTime? Erased { get; internal set; }
        /// <summary>Until when the newest automatic backup taken before the erasure still holds the data; null when there is none.</summary>
        public DateTime? BackupsHoldDataUntil { get; internal set; }
        public bool WhatIf { get; internal set; }

        public override string ToString() => Number;
    }
}
