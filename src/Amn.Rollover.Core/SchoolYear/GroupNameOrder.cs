using System.Collections.Generic;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>Group names in the order a school reads them: H2a before H10a, case ignored.</summary>
    internal sealed class GroupNameOrder : IComparer<string>
    {
        public static readonly GroupNameOrder Instance = new GroupNameOrder();

        public int Compare(string x, string y)
        {
            x = x ?? ""; y = y ?? "";
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (char.IsDigit(x[i]) && char.IsDigit(y[j]))
                {
                    int si = i, sj = j;
                    while (i < x.Length && char.IsDigit(x[i])) i++;
                    while (j < y.Length && char.IsDigit(y[j])) j++;
                    var a = x.Substring(si, i - si).TrimStart('0'); var b = y.Substring(sj, j - sj).TrimStart('0');
                    if (a.Length != b.Length) return a.Length.CompareTo(b.Length);
                    var c = string.CompareOrdinal(a, b);
                    if (c != 0) return c;
                }
                else
                {
                    var c = char.ToUpperInvariant(x[i]).CompareTo(char.ToUpperInvariant(y[j]));
                    if (c != 0) return c;
                    i++; j++;
                }
            }
            return (x.Length - i).CompareTo(y.Length - j);
        }
    }
}
