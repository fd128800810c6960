using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace Amn.Rollover.Core.Model
{
    /// <summary>The fields an import changes, reading "Group: H3a -> H4a, LastName: Jansen -> Bakker" in a table cell and in Export-Csv.</summary>
    public sealed class ChangeList : ReadOnlyCollection<FieldChange>
    {
        public static readonly ChangeList Empty = new ChangeList(new FieldChange[0]);

        public ChangeList(IList<FieldChange> changes) : base(changes) { }

        /// <summary>True when the named field changes.</summary>
        public bool Includes(string field) => this.Any(c => c.Field == field);

        public override string ToString() => string.Join(", ", this);

        /// <summary>Adds a change of <paramref name="field"/> to <paramref name="changes"/> when the values differ.</summary>
        internal static void Compare(List<FieldChange> changes, string field, string oldValue, string newValue)
        {
            if (!string.Equals(oldValue, newValue, System.StringComparison.Ordinal)) changes.Add(new FieldChange(field, oldValue, newValue));
        }
    }
}
