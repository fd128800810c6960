using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>
    /// The rollover report, read by the school's administration and management as well as the admin:
    /// what happened (or is planned), the safety limits, every warning, the pupils who left per last
    /// year's group, the new pupils, group → group, and the mentors and teachers of every new group.
    /// HTML for .html/.htm (on screen and in print), Markdown otherwise.
    /// </summary>
    public static class RolloverReport
    {
        private sealed class Section
        {
            public string Heading;
            public int Level = 2;
            public List<string> Paragraphs = new List<string>();
            public string[] Headers;
            public List<string[]> Rows = new List<string[]>();
            /// <summary>A CSS class for the section: "notice" for the outcome, "stop" for limits not overridden.</summary>
            public string Style;
        }

        public static void Write(string path, RolloverPlan plan, RolloverResult result, RolloverOutcome outcome, string title)
        {
            var html = path.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);
            var sections = Build(plan, result, outcome);
            var text = html ? Html(title, sections) : Markdown(title, sections);
            OutputFile.Write(path, stream =>
            {
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false))) writer.Write(text);
            }, "ReportNotWritten", "the report");
        }

        private static List<Section> Build(RolloverPlan plan, RolloverResult result, RolloverOutcome outcome)
        {
            var done = outcome == RolloverOutcome.Applied;
            var sections = new List<Section>();
            var notice = new Section { Heading = "Outcome", Style = outcome == RolloverOutcome.Applied ? "done" : "notice" };
            switch (outcome)
            {
                case RolloverOutcome.Applied:
                    notice.Paragraphs.Add($"Applied: the tenant has been rolled over to the new school year (in {result.Duration.TotalSeconds:0.0} s, run {result.RunId}).");
                    if (result.BackupPath != null) notice.Paragraphs.Add($"A backup was taken before the run: {result.BackupPath}. Restore-AmnTenant -Path '{result.BackupPath}' undoes it.");
                    break;
                case RolloverOutcome.Planned:
                    notice.Paragraphs.Add("Planned (-WhatIf): nothing has been changed yet. This report shows what the rollover will do.");
                    break;
                case RolloverOutcome.StoppedByRowErrors:
                    notice.Paragraphs.Add($"Not started: {Plural(plan.Errors.Count, "error")} in the files (listed below). Nothing has been changed; this report shows what was planned.");
                    break;
                case RolloverOutcome.StoppedBySafetyLimit:
                    notice.Paragraphs.Add($"Not started: the plan exceeds {Plural(plan.SafetyStops.Count, "safety limit")} (listed below). Nothing has been changed; this report shows what was planned.");
                    break;
            }
            sections.Add(notice);

            var about = new Section { Heading = "Files and tenant" };
            about.Headers = new[] { "", "" };
            about.Rows.Add(new[] { "Student file", plan.StudentFile });
            about.Rows.Add(new[] { "Staff file", plan.StaffFile });
            if (plan.Tenant != null) about.Rows.Add(new[] { "Tenant", plan.Tenant });
            about.Rows.Add(new[] { "Folder for the new groups", string.IsNullOrEmpty(plan.Folder) ? "(the root folder)" : plan.Folder });
            about.Rows.Add(new[] { "Planned at", plan.Created.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) });
            about.Paragraphs.AddRange(plan.Notes);
            sections.Add(about);

            var counts = new Section { Heading = done ? "What was done" : "What is planned", Headers = new[] { "Step", "What", "Count" } };
            void Row(string step, string planned, string applied, int n) => counts.Rows.Add(new[] { step, done ? applied : planned, Count(n) });
            Row("1", "errors in the files", "errors in the files (rows skipped)", plan.Errors.Count);
            Row("1", "warnings", "warnings", plan.Warnings.Count);
            Row("2", "groups to remove", "groups removed", plan.GroupsToRemove.Count);
            Row("3", "groups to create", "groups created", plan.GroupsToCreate.Count);
            Row("3", "new pupils to add", "new pupils added", plan.Students.Created.Count);
            Row("3", "pupils whose data changes", "pupils whose data changed", plan.Students.Updated.Count);
            Row("3", "pupils moving to another group", "pupils moved to another group", plan.Students.Moved.Count);
            Row("3", "pupils unchanged", "pupils unchanged", plan.Students.Unchanged.Count);
            Row("3", "pupils who left (kept, without a group)", "pupils who left (kept, without a group)", plan.Students.NotInFile.Count);
            Row("3", "pupil rows that fail", "pupil rows that failed", plan.Students.Failed.Count);
            Row("4", "new staff", "new staff added", plan.Staff.New.Count);
            Row("4", "staff whose data changes", "staff whose data changed", plan.Staff.Updated.Count);
            Row("4", "staff-group links to create", "staff-group links created", plan.LinksToCreate.Count);
            Row("4", "staff rows that fail", "staff rows that failed", plan.Staff.Failed.Count);
            if (plan.Staff.RemoveDeparted) Row("5", "departed staff to remove", "departed staff removed", plan.Staff.Departed.Count);
            else Row("5", "departed staff (kept: no -RemoveDepartedStaff)", "departed staff (kept: no -RemoveDepartedStaff)", plan.Staff.Departed.Count);
            sections.Add(counts);

            var limits = new Section { Heading = "Safety limits" };
            if (plan.SafetyStops.Count == 0) limits.Paragraphs.Add("The plan is within every safety limit.");
            else
            {
                limits.Style = plan.SafetyStops.All(s => s.Overridden) ? null : "stop";
                limits.Headers = new[] { "Limit", "Status", "Figures" };
                foreach (var stop in plan.SafetyStops)
                    limits.Rows.Add(new[] { stop.Limit, stop.Overridden ? "overridden with -Force" : "exceeded: the run stops", stop.Message });
            }
            sections.Add(limits);

            var warnings = new Section { Heading = "Warnings" };
            if (plan.Warnings.Count == 0) warnings.Paragraphs.Add("None.");
            else Problems(warnings, plan.Warnings);
            sections.Add(warnings);
            if (plan.Errors.Count > 0)
            {
                var errors = new Section { Heading = "Errors" };
                Problems(errors, plan.Errors);
                sections.Add(errors);
            }

            var groups = new Section { Heading = "The new groups", Headers = new[] { "Group", "Pupils", "Mentors", "Teachers" } };
            foreach (var g in plan.NewGroups) groups.Rows.Add(new[] { g.Group, Count(g.Pupils), g.Mentors.Count == 0 ? "none" : g.Mentors.ToString(), g.Teachers.ToString() });
            if (plan.NewGroups.Count == 0) groups.Paragraphs.Add("None.");
            sections.Add(groups);
            var noMentor = new Section { Heading = "Groups without a mentor" };
            noMentor.Paragraphs.Add(plan.GroupsWithoutMentor.Count == 0 ? "None: every group has a mentor." : string.Join(", ", plan.GroupsWithoutMentor));
            if (plan.GroupsWithoutMentor.Count > 0) noMentor.Style = "stop";
            sections.Add(noMentor);

            var moves = new Section { Heading = "From last year's groups to the new groups", Headers = new[] { "Last year", "New group", "Pupils" } };
            foreach (var m in plan.GroupMoves) moves.Rows.Add(new[] { m.From == "" ? "(no group)" : m.From, m.To == "" ? "(no group)" : m.To, Count(m.Count) });
            if (plan.GroupMoves.Count == 0) moves.Paragraphs.Add("None.");
            sections.Add(moves);

            var left = new Section { Heading = "Pupils who left" };
            left.Paragraphs.Add(plan.LeaversByGroup.Count == 0 ? "None."
                : $"{Count(plan.Students.NotInFile.Count)} stored pupils are not in the new student file. They stay in the tenant without a group (AMN keeps their results).");
            sections.Add(left);
            foreach (var group in plan.LeaversByGroup)
            {
                var section = new Section
                {
                    Heading = $"{(group.Group == "" ? "(no group)" : group.Group)}: {group.Leaving} of {group.Pupils} left" + (group.FinalYear ? " (final-year group)" : ""),
                    Level = 3, Headers = new[] { "Number", "Name" },
                };
                foreach (var s in group.Leavers) section.Rows.Add(new[] { s.Number, s.Name });
                sections.Add(section);
            }

            var added = new Section { Heading = "New pupils", Headers = new[] { "Number", "Name", "Group" } };
            foreach (var s in plan.NewStudents) added.Rows.Add(new[] { s.Number, s.Name, s.Group });
            if (plan.NewStudents.Count == 0) added.Paragraphs.Add("None.");
            sections.Add(added);

            var staff = new Section { Heading = "Staff" };
            staff.Paragraphs.Add("New: " + (plan.Staff.New.Count == 0 ? "none." : string.Join(", ", plan.Staff.New)));
            var departedVerb = plan.Staff.RemoveDeparted ? (done ? "Departed and removed" : "Departed, to be removed") : "Departed (kept; use -RemoveDepartedStaff to remove)";
            staff.Paragraphs.Add($"{departedVerb}: " + (plan.Staff.Departed.Count == 0 ? "none." : string.Join(", ", plan.Staff.Departed)));
            sections.Add(staff);
            return sections;
        }

        private static void Problems(Section section, List<RolloverProblem> problems)
        {
            section.Headers = new[] { "File", "Row", "Column", "Value", "ErrorId", "Message" };
            foreach (var p in problems)
                section.Rows.Add(new[] { Path.GetFileName(p.File), p.Row?.ToString(CultureInfo.InvariantCulture) ?? "", p.Column ?? "", p.Value ?? "", p.ErrorId, p.Message });
        }

        private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

        private static string Plural(int n, string noun) => $"{Count(n)} {noun}{(n == 1 ? "" : "s")}";

        private static string Markdown(string title, List<Section> sections)
        {
            var md = new StringBuilder().Append("# ").AppendLine(title).AppendLine();
            foreach (var section in sections)
            {
                md.Append(new string('#', section.Level)).Append(' ').AppendLine(section.Heading).AppendLine();
                foreach (var paragraph in section.Paragraphs) md.AppendLine(paragraph).AppendLine();
                if (section.Headers == null || section.Rows.Count == 0) continue;
                md.AppendLine("| " + string.Join(" | ", section.Headers) + " |");
                md.AppendLine("|" + string.Concat(section.Headers.Select(_ => "---|")));
                foreach (var row in section.Rows) md.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|").Replace("\n", " "))) + " |");
                md.AppendLine();
            }
            return md.ToString();
        }

        private const string Css = @"
body { font-family: 'Segoe UI', Arial, sans-serif; color: #222; margin: 2em auto; max-width: 60em; line-height: 1.4; }
h1 { font-size: 1.6em; border-bottom: 2px solid #2a5d9f; padding-bottom: .2em; }
h2 { font-size: 1.25em; margin-top: 1.6em; color: #2a5d9f; }
h3 { font-size: 1.05em; margin-top: 1.2em; }
table { border-collapse: collapse; margin: .5em 0 1em; }
td, th { border: 1px solid #bbb; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #e8eef7; }
td.n { text-align: right; }
.notice, .done, .stop { padding: .6em 1em; border-left: 6px solid; }
.notice { background: #fff6dd; border-color: #d9a400; }
.done { background: #e6f4e6; border-color: #2e8b2e; }
.stop { background: #fbe7e7; border-color: #c62828; }
.notice h2, .done h2, .stop h2 { margin-top: .2em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .notice, .done, .stop { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}";

        private static string Html(string title, List<Section> sections)
        {
            string E(string s) => WebUtility.HtmlEncode(s);
            var html = new StringBuilder()
                .AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .Append("<title>").Append(E(title)).AppendLine("</title>")
                .Append("<style>").Append(Css).AppendLine("</style>")
                .AppendLine("</head><body>")
                .Append("<h1>").Append(E(title)).AppendLine("</h1>");
            foreach (var section in sections)
            {
                html.Append("<section").Append(section.Style != null ? $" class=\"{section.Style}\"" : "").Append('>');
                html.Append($"<h{section.Level}>").Append(E(section.Heading)).AppendLine($"</h{section.Level}>");
                foreach (var paragraph in section.Paragraphs) html.Append("<p>").Append(E(paragraph)).AppendLine("</p>");
                if (section.Headers != null && section.Rows.Count > 0)
                {
                    var headed = section.Headers.Any(h => h.Length > 0);
                    html.Append("<table>");
                    if (headed) html.Append("<thead><tr>").Append(string.Concat(section.Headers.Select(h => "<th>" + E(h) + "</th>"))).Append("</tr></thead>");
                    html.AppendLine("<tbody>");
                    string Open(int column) => !headed && column == 0 ? "<th>" : CountColumns.Contains(section.Headers[column]) ? "<td class=\"n\">" : "<td>";
                    string Close(int column) => !headed && column == 0 ? "</th>" : "</td>";
                    foreach (var row in section.Rows)
                        html.Append("<tr>").Append(string.Concat(row.Select((c, i) => Open(i) + E(c) + Close(i)))).AppendLine("</tr>");
                    html.AppendLine("</tbody></table>");
                }
                html.AppendLine("</section>");
            }
            return html.AppendLine("</body></html>").ToString();
        }

        private static readonly HashSet<string> CountColumns = new HashSet<string> { "Count", "Pupils" };
    }
}
