using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>
    /// JSON for saved plans, over plain trees (ordered key lists, lists, strings, numbers, booleans,
    /// null): netstandard2.0 has no JSON built in, and a package for it would add assemblies Windows
    /// PowerShell must resolve.
    /// </summary>
    internal static class JsonText
    {
        /// <summary>A JSON object: its members in order, looked up by name.</summary>
        public sealed class Members : List<KeyValuePair<string, object>>
        {
            public object this[string key]
            {
                get
                {
                    foreach (var member in this) if (member.Key == key) return member.Value;
                    return null;
                }
            }

            public void Add(string key, object value) => Add(new KeyValuePair<string, object>(key, value));
        }

        public static string Write(object value)
        {
            var json = new StringBuilder();
            Write(json, value, 0);
            return json.AppendLine().ToString();
        }

        private static void Write(StringBuilder json, object value, int depth)
        {
            switch (value)
            {
                case null: json.Append("null"); break;
                case bool b: json.Append(b ? "true" : "false"); break;
                case string s: Quote(json, s); break;
                case int _: case long _: case double _:
                    json.Append(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                case IList<KeyValuePair<string, object>> obj:
                    if (obj.Count == 0) { json.Append("{}"); break; }
                    json.Append('{');
                    for (var i = 0; i < obj.Count; i++)
                    {
                        json.Append(i == 0 ? "\n" : ",\n").Append(' ', (depth + 1) * 2);
                        Quote(json, obj[i].Key);
                        json.Append(": ");
                        Write(json, obj[i].Value, depth + 1);
                    }
                    json.Append('\n').Append(' ', depth * 2).Append('}');
                    break;
                case IEnumerable list:
                    var first = true;
                    json.Append('[');
                    foreach (var item in list)
                    {
                        var nested = item is IList<KeyValuePair<string, object>>;
                        json.Append(first ? "" : ", ");
                        if (nested) json.Append('\n').Append(' ', (depth + 1) * 2);
                        Write(json, item, depth + 1);
                        first = false;
                    }
                    json.Append(']');
                    break;
                default: throw new ArgumentException($"Cannot write a {value.GetType()} as JSON.");
            }
        }

        private static void Quote(StringBuilder json, string value)
        {
            json.Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': json.Append("\\\""); break;
                    case '\\': json.Append("\\\\"); break;
                    case '\n': json.Append("\\n"); break;
                    case '\r': json.Append("\\r"); break;
                    case '\t': json.Append("\\t"); break;
                    default:
                        if (c < ' ') json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else json.Append(c);
                        break;
                }
            }
            json.Append('"');
        }

        /// <summary>Parses JSON into the same trees: objects as Members, numbers as double.</summary>
        public static object Parse(string text)
        {
            var position = 0;
            var value = Value(text, ref position);
            SkipSpace(text, ref position);
            if (position != text.Length) throw Invalid(text, position);
            return value;
        }

        private static object Value(string text, ref int i)
        {
            SkipSpace(text, ref i);
            if (i >= text.Length) throw Invalid(text, i);
            switch (text[i])
            {
                case '{':
                    var obj = new Members();
                    i++;
                    SkipSpace(text, ref i);
                    if (i < text.Length && text[i] == '}') { i++; return obj; }
                    while (true)
                    {
                        SkipSpace(text, ref i);
                        if (i >= text.Length || text[i] != '"') throw Invalid(text, i);
                        var key = String(text, ref i);
                        SkipSpace(text, ref i);
                        Expect(text, ref i, ':');
                        obj.Add(key, Value(text, ref i));
                        SkipSpace(text, ref i);
                        if (i < text.Length && text[i] == ',') { i++; continue; }
                        Expect(text, ref i, '}');
                        return obj;
                    }
                case '[':
                    var list = new List<object>();
                    i++;
                    SkipSpace(text, ref i);
                    if (i < text.Length && text[i] == ']') { i++; return list; }
                    while (true)
                    {
                        list.Add(Value(text, ref i));
                        SkipSpace(text, ref i);
                        if (i < text.Length && text[i] == ',') { i++; continue; }
                        Expect(text, ref i, ']');
                        return list;
                    }
                case '"': return String(text, ref i);
                default:
                    if (Word(text, ref i, "true")) return true;
                    if (Word(text, ref i, "false")) return false;
                    if (Word(text, ref i, "null")) return null;
                    var start = i;
                    while (i < text.Length && "+-0123456789.eE".IndexOf(text[i]) >= 0) i++;
                    if (double.TryParse(text.Substring(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return number;
                    throw Invalid(text, start);
            }
        }

        private static string String(string text, ref int i)
        {
            var s = new StringBuilder();
            i++;
            while (i < text.Length && text[i] != '"')
            {
                var c = text[i++];
                if (c != '\\') { s.Append(c); continue; }
                if (i >= text.Length) break;
                var e = text[i++];
                switch (e)
                {
                    case 'n': s.Append('\n'); break;
                    case 'r': s.Append('\r'); break;
                    case 't': s.Append('\t'); break;
                    case 'b': s.Append('\b'); break;
                    case 'f': s.Append('\f'); break;
                    case 'u':
                        if (i + 4 > text.Length) throw Invalid(text, i);
                        s.Append((char)int.Parse(text.Substring(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default: s.Append(e); break;
                }
            }
            Expect(text, ref i, '"');
            return s.ToString();
        }

        private static bool Word(string text, ref int i, string word)
        {
            if (string.CompareOrdinal(text, i, word, 0, word.Length) != 0) return false;
            i += word.Length;
            return true;
        }

        private static void Expect(string text, ref int i, char c)
        {
            if (i >= text.Length || text[i] != c) throw Invalid(text, i);
            i++;
        }

        private static void SkipSpace(string text, ref int i)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        }

        private static FormatException Invalid(string text, int position)
        {
            var line = 1;
            for (var k = 0; k < position && k < text.Length; k++) if (text[k] == '\n') line++;
            return new FormatException($"not valid JSON at line {line}");
        }
    }
}
