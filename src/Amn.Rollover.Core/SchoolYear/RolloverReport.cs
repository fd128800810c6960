using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>
    /// A readable report of a rollover (or of its plan): counts per step, the failed and warned rows
    /// with their messages, the groups created and the departed staff. Markdown for .md, HTML for .html.
    /// </summary>
    public static class RolloverReport
    {
        private sealed class Table
        {
            public string[] Headers;
            public List<string[]> Rows = new List<string[]>();
        }

        public static void Write(string path, RolloverPlan plan, RolloverResult result, string title)
        {
            var html = path.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);
            var sections = Build(plan, result);
            var text = html ? Html(title, sections) : Markdown(title, sections);
            try
            {
                File.WriteAllText(path, text, new UTF8Encoding(false));
            }
            catch (IOException e)
            {
                throw new AmnException("ReportNotWritten", AmnErrorCategory.WriteError, $"Cannot write the report '{path}': {e.Message}", path, e);
            }
        }

        private static List<(string Heading, string Text, Table Table)> Build(RolloverPlan plan, RolloverResult result)
        {
            var status = result == null ? "Not run: the files did not pass validation." : result.WhatIf ? "Plan only (-WhatIf): nothing was changed." : $"Applied in {result.Duration.TotalSeconds:0.0} s, run {result.RunId}.";
            var sections = new List<(string, string, Table)>
            {
                ("Summary", $"{status}\n\nStudent file: {plan.StudentFile}\n\nStaff file: {plan.StaffFile}" +
                            (result?.BackupPath != null ? $"\n\nBackup taken before the run: {result.BackupPath} (Restore-AmnTenant -Path '{result.BackupPath}' undoes it)." : ""), null),
                ("Counts per step", null, new Table
                {
                    Headers = new[] { "Step", "What", "Count" },
                    Rows =
                    {
                        new[] { "1", "errors in the files", Count(plan.Errors.Count) },
                        new[] { "1", "warnings", Count(plan.Warnings.Count) },
                        new[] { "2", "groups removed", Count(plan.GroupsToRemove.Count) },
                        new[] { "3", "groups created", Count(plan.GroupsToCreate.Count) },
                        new[] { "3", "pupils created", Count(plan.Students.Created.Count) },
                        new[] { "3", "pupils updated", Count(plan.Students.Updated.Count) },
                        new[] { "3", "pupils moved to another group", Count(plan.Students.Moved.Count) },
                        new[] { "3", "pupils unchanged", Count(plan.Students.Unchanged.Count) },
                        new[] { "3", "pupils not in the file (kept, without a group)", Count(plan.Students.NotInFile.Count) },
                        new[] { "3", "pupil rows failed", Count(plan.Students.Failed.Count) },
                        new[] { "4", "staff new", Count(plan.Staff.New.Count) },
                        new[] { "4", "staff updated", Count(plan.Staff.Updated.Count) },
                        new[] { "4", "staff-group links created", Count(plan.LinksToCreate.Count) },
                        new[] { "4", "staff rows failed", Count(plan.Staff.Failed.Count) },
                        new[] { "5", plan.Staff.RemoveDeparted ? "departed staff removed" : "departed staff (kept; use -RemoveDepartedStaff)", Count(plan.Staff.Departed.Count) },
                    },
                }),
            };
            sections.Add(("Errors", plan.Errors.Count == 0 ? "None." : null, Problems(plan.Errors)));
            sections.Add(("Warnings", plan.Warnings.Count == 0 ? "None." : null, Problems(plan.Warnings)));
            sections.Add(("Groups created", plan.GroupsToCreate.Count == 0 ? "None." : string.Join(", ", plan.GroupsToCreate), null));
            sections.Add(("Departed staff", plan.Staff.Departed.Count == 0 ? "None." : string.Join(", ", plan.Staff.Departed), null));
            return sections;
        }

        private static Table Problems(List<RolloverProblem> problems)
        {
            if (problems.Count == 0) return null;
            var table = new Table { Headers = new[] { "File", "Row", "Column", "Value", "ErrorId", "Message" } };
            foreach (var p in problems)
                table.Rows.Add(new[] { Path.GetFileName(p.File), p.Row?.ToString(CultureInfo.InvariantCulture) ?? "", p.Column ?? "", p.Value ?? "", p.ErrorId, p.Message });
            return table;
        }

        private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

        private static string Markdown(string title, List<(string Heading, string Text, Table Table)> sections)
        {
            var md = new StringBuilder().Append("# ").AppendLine(title).AppendLine();
            foreach (var (heading, text, table) in sections)
            {
                md.Append("## ").AppendLine(heading).AppendLine();
                if (text != null) md.AppendLine(text).AppendLine();
                if (table == null) continue;
                md.AppendLine("| " + string.Join(" | ", table.Headers) + " |");
                md.AppendLine("|" + string.Concat(table.Headers.Select(_ => "---|")));
                foreach (var row in table.Rows) md.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|").Replace("\n", " "))) + " |");
                md.AppendLine();
            }
            return md.ToString();
        }

        private static string Html(string title, List<(string Heading, string Text, Table Table)> sections)
        {
            string E(string s) => WebUtility.HtmlEncode(s);
            var html = new StringBuilder()
                .AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .Append("<title>").Append(E(title)).AppendLine("</title>")
                .AppendLine("<style>body{font-family:Segoe UI,Arial,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;text-align:left}th{background:#eee}</style>")
                .AppendLine("</head><body>")
                .Append("<h1>").Append(E(title)).AppendLine("</h1>");
            foreach (var (heading, text, table) in sections)
            {
                html.Append("<h2>").Append(E(heading)).AppendLine("</h2>");
                if (text != null)
                    foreach (var paragraph in text.Split(new[] { "\n\n" }, StringSplitOptions.None)) html.Append("<p>").Append(E(paragraph)).AppendLine("</p>");
                if (table == null) continue;
                html.Append("<table><tr>").Append(string.Concat(table.Headers.Select(h => "<th>" + E(h) + "</th>"))).AppendLine("</tr>");
                foreach (var row in table.Rows) html.Append("<tr>").Append(string.Concat(row.Select(c => "<td>" + E(c) + "</td>"))).AppendLine("</tr>");
                html.AppendLine("</table>");
            }
            return html.AppendLine("</body></html>").ToString();
        }
    }

    /// <summary>The plan as JSON (-PlanPath), written by hand: netstandard2.0 has no JSON writer built in.</summary>
    public static class RolloverPlanJson
    {
        public static string Write(RolloverPlan plan)
        {
            var json = new StringBuilder();
            json.AppendLine("{");
            Property(json, "StudentFile", plan.StudentFile, 1); json.AppendLine(",");
            Property(json, "StaffFile", plan.StaffFile, 1); json.AppendLine(",");
            Property(json, "Folder", plan.Folder, 1); json.AppendLine(",");
            List(json, "GroupsToRemove", plan.GroupsToRemove, 1); json.AppendLine(",");
            List(json, "GroupsToCreate", plan.GroupsToCreate, 1); json.AppendLine(",");
            json.AppendLine("  \"Students\": {");
            List(json, "Created", plan.Students.Created, 2); json.AppendLine(",");
            List(json, "Updated", plan.Students.Updated, 2); json.AppendLine(",");
            List(json, "Moved", plan.Students.Moved, 2); json.AppendLine(",");
            List(json, "Unchanged", plan.Students.Unchanged, 2); json.AppendLine(",");
            List(json, "NotInFile", plan.Students.NotInFile, 2); json.AppendLine(",");
            List(json, "Failed", plan.Students.Failed, 2); json.AppendLine();
            json.AppendLine("  },");
            json.AppendLine("  \"Staff\": {");
            List(json, "New", plan.Staff.New, 2); json.AppendLine(",");
            List(json, "Updated", plan.Staff.Updated, 2); json.AppendLine(",");
            List(json, "Departed", plan.Staff.Departed, 2); json.AppendLine(",");
            List(json, "Failed", plan.Staff.Failed, 2); json.AppendLine(",");
            json.Append("    \"RemoveDeparted\": ").AppendLine(plan.Staff.RemoveDeparted ? "true" : "false");
            json.AppendLine("  },");
            json.Append("  \"LinksToCreate\": [");
            json.Append(string.Join(",", plan.LinksToCreate.Select(l => $"\n    {{ \"UserName\": {Quote(l.UserName)}, \"Group\": {Quote(l.Group)} }}")));
            json.AppendLine(plan.LinksToCreate.Count > 0 ? "\n  ]," : "],");
            json.Append("  \"Errors\": ").Append(plan.Errors.Count.ToString(CultureInfo.InvariantCulture)).AppendLine(",");
            json.Append("  \"Warnings\": ").Append(plan.Warnings.Count.ToString(CultureInfo.InvariantCulture)).AppendLine();
            json.AppendLine("}");
            return json.ToString();
        }

        private static void Property(StringBuilder json, string name, string value, int depth)
            => json.Append(new string(' ', depth * 2)).Append(Quote(name)).Append(": ").Append(value == null ? "null" : Quote(value));

        private static void List(StringBuilder json, string name, IEnumerable<string> values, int depth)
            => json.Append(new string(' ', depth * 2)).Append(Quote(name)).Append(": [").Append(string.Join(", ", values.Select(Quote))).Append("]");

        private static string Quote(string value)
        {
            var s = new StringBuilder("\"");
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': s.Append("\\\""); break;
                    case '\\': s.Append("\\\\"); break;
                    case '\n': s.Append("\\n"); break;
                    case '\r': s.Append("\\r"); break;
                    case '\t': s.Append("\\t"); break;
                    default:
                        if (c < ' ') s.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else s.Append(c);
                        break;
                }
            }
            return s.Append('"').ToString();
        }
    }
}
