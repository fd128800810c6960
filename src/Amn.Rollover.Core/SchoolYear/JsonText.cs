using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>
    /// JSON for saved plans, over plain trees (ordered key lists, lists, strings, numbers, booleans,
    /// null), through System.Text.Json (which the package ships for Npgsql anyway).
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

        private static readonly JsonWriterOptions Indented = new JsonWriterOptions
        {
            Indented = true,
            // A plan is read by people: names with ë and ç stay as they are (the file is UTF-8).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        public static string Write(object value)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, Indented)) Write(json, value);
                return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
            }
        }

        private static void Write(Utf8JsonWriter json, object value)
        {
            switch (value)
            {
                case null: json.WriteNullValue(); break;
                case bool b: json.WriteBooleanValue(b); break;
                case string s: json.WriteStringValue(s); break;
                case int i: json.WriteNumberValue(i); break;
                case long l: json.WriteNumberValue(l); break;
                case double d: json.WriteNumberValue(d); break;
                case IList<KeyValuePair<string, object>> obj:
                    json.WriteStartObject();
                    foreach (var member in obj)
                    {
                        json.WritePropertyName(member.Key);
                        Write(json, member.Value);
                    }
                    json.WriteEndObject();
                    break;
                case IEnumerable list:
                    json.WriteStartArray();
                    foreach (var item in list) Write(json, item);
                    json.WriteEndArray();
                    break;
                default: throw new ArgumentException($"Cannot write a {value.GetType()} as JSON.");
            }
        }

        /// <summary>Parses JSON into the same trees: objects as Members, numbers as double. Not JSON: a FormatException naming the line.</summary>
        public static object Parse(string text)
        {
            try
            {
                using (var document = JsonDocument.Parse(text)) return Tree(document.RootElement);
            }
            catch (JsonException e)
            {
                throw new FormatException(Messages.Format("NotValidJson", (e.LineNumber ?? 0) + 1), e);
            }
        }

        private static object Tree(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var obj = new Members();
                    foreach (var property in element.EnumerateObject()) obj.Add(property.Name, Tree(property.Value));
                    return obj;
                case JsonValueKind.Array:
                    return element.EnumerateArray().Select(Tree).ToList();
                case JsonValueKind.String: return element.GetString();
                case JsonValueKind.Number: return element.GetDouble();
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                default: return null;
            }
        }
    }
}
