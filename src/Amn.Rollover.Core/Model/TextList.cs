using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace Amn.Rollover.Core.Model
{
    /// <summary>
    /// A read-only list of texts (roles, group names, changed fields) that reads as "mentor, docent"
    /// in a table cell and in Export-Csv, where a string[] would show as System.String[].
    /// </summary>
    public sealed class TextList : ReadOnlyCollection<string>
    {
        public static readonly TextList Empty = new TextList(new string[0]);

        public TextList(IEnumerable<string> items) : base(items.ToList()) { }

        public static implicit operator TextList(string[] items) => items == null ? null : new TextList(items);

        public override string ToString() => string.Join(", ", this);
    }
}
