using System.Text;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// OOXML's escapes for characters XML cannot hold: _xHHHH_ is the character U+HHHH (Excel writes a
    /// carriage return as _x000D_), and _x005F_ before such a sequence escapes its underscore.
    /// </summary>
    internal static class Escapes
    {
        public static string Decode(string text)
        {
            if (text.IndexOf("_x", System.StringComparison.Ordinal) < 0) return text;
            var result = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '_' && i + 6 < text.Length && text[i + 1] == 'x' && text[i + 6] == '_' && TryHex(text, i + 2, out var code))
                {
                    result.Append((char)code);
                    i += 6;
                }
                else result.Append(text[i]);
            }
            return result.ToString();
        }

        private static bool TryHex(string text, int start, out int value)
        {
            value = 0;
            for (int i = start; i < start + 4; i++)
            {
                var c = text[i];
                int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (digit < 0) return false;
                value = value * 16 + digit;
            }
            return true;
        }
    }
}
