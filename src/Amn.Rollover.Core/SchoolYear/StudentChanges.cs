using System.Collections.Generic;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>What the rollover does to the pupils, as lists of participant numbers.</summary>
    public sealed class StudentChanges
    {
        public List<string> Created { get; } = new List<string>();
        /// <summary>Pupils whose data changes in a group of the same name.</summary>
        public List<string> Updated { get; } = new List<string>();
        /// <summary>Pupils who end up in another group than last year (their data may change too).</summary>
        public List<string> Moved { get; } = new List<string>();
        public List<string> Unchanged { get; } = new List<string>();
        /// <summary>Stored pupils the new file lacks: they stay, without a group.</summary>
        public List<string> NotInFile { get; } = new List<string>();
        public List<string> Failed { get; } = new List<string>();
    }
}
