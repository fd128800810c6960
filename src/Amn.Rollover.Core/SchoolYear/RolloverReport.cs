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
            }, "ReportNotWritten", Messages.Get("TheReport"));
        }

        private static List<Section> Build(RolloverPlan plan, RolloverResult result, RolloverOutcome outcome)
        {
            var done = outcome == RolloverOutcome.Applied;
            var sections = new List<Section>();
            var notice = new Section { Heading = Messages.Get("ReportOutcome"), Style = outcome == RolloverOutcome.Applied ? "done" : "notice" };
            switch (outcome)
            {
                case RolloverOutcome.Applied:
                    notice.Paragraphs.Add(Messages.Format("ReportApplied", result.Duration.TotalSeconds, result.RunId));
                    if (result.BackupPath != null) notice.Paragraphs.Add(Messages.Format("ReportBackup", result.BackupPath));
                    break;
                case RolloverOutcome.Planned:
                    notice.Paragraphs.Add(Messages.Get("ReportPlanned"));
                    break;
                case RolloverOutcome.StoppedByRowErrors:
                    notice.Paragraphs.Add(Messages.Format("ReportStoppedByErrors", Messages.Count("Errors", plan.Errors.Count)));
                    break;
                case RolloverOutcome.StoppedBySafetyLimit:
                    notice.Paragraphs.Add(Messages.Format("ReportStoppedByLimits", Messages.Count("SafetyLimits", plan.SafetyStops.Count)));
                    break;
            }
            sections.Add(notice);

            var about = new Section { Heading = Messages.Get("ReportFilesAndTenant") };
            about.Headers = new[] { "", "" };
            about.Rows.Add(new[] { Messages.Get("ReportStudentFile"), plan.StudentFile });
            about.Rows.Add(new[] { Messages.Get("ReportStaffFile"), plan.StaffFile });
            if (plan.Tenant != null) about.Rows.Add(new[] { Messages.Get("ReportTenant"), plan.Tenant });
            about.Rows.Add(new[] { Messages.Get("ReportFolder"), string.IsNullOrEmpty(plan.Folder) ? Messages.Get("ReportRootFolder") : plan.Folder });
            about.Rows.Add(new[] { Messages.Get("ReportPlannedAt"), plan.Created.ToString(Messages.Get("ReportDateTimeFormat"), CultureInfo.CurrentCulture) });
            about.Paragraphs.AddRange(plan.Notes);
            sections.Add(about);

            var counts = new Section { Heading = done ? Messages.Get("ReportWhatWasDone") : Messages.Get("ReportWhatIsPlanned"), Headers = new[] { Messages.Get("ReportStep"), Messages.Get("ReportWhat"), Messages.Get("ReportCount") } };
            void Row(string step, string planned, string applied, int n) => counts.Rows.Add(new[] { step, done ? applied : planned, Count(n) });
            Row("1", Messages.Get("ReportErrorsInFiles"), Messages.Get("ReportErrorsInFilesSkipped"), plan.Errors.Count);
            Row("1", Messages.Get("ReportWarningsCount"), Messages.Get("ReportWarningsCount"), plan.Warnings.Count);
            Row("2", Messages.Get("ReportGroupsToRemove"), Messages.Get("ReportGroupsRemoved"), plan.GroupsToRemove.Count);
            Row("3", Messages.Get("ReportGroupsToCreate"), Messages.Get("ReportGroupsCreated"), plan.GroupsToCreate.Count);
            Row("3", Messages.Get("ReportNewPupilsToAdd"), Messages.Get("ReportNewPupilsAdded"), plan.Students.Created.Count);
            Row("3", Messages.Get("ReportPupilsChanging"), Messages.Get("ReportPupilsChanged"), plan.Students.Updated.Count);
            Row("3", Messages.Get("ReportPupilsMoving"), Messages.Get("ReportPupilsMoved"), plan.Students.Moved.Count);
            Row("3", Messages.Get("ReportPupilsUnchanged"), Messages.Get("ReportPupilsUnchanged"), plan.Students.Unchanged.Count);
            Row("3", Messages.Get("ReportPupilsLeft"), Messages.Get("ReportPupilsLeft"), plan.Students.NotInFile.Count);
            Row("3", Messages.Get("ReportPupilRowsFailing"), Messages.Get("ReportPupilRowsFailed"), plan.Students.Failed.Count);
            Row("4", Messages.Get("ReportNewStaffToAdd"), Messages.Get("ReportNewStaffAdded"), plan.Staff.Created.Count);
            Row("4", Messages.Get("ReportStaffChanging"), Messages.Get("ReportStaffChanged"), plan.Staff.Updated.Count);
            Row("4", Messages.Get("ReportLinksToCreate"), Messages.Get("ReportLinksCreated"), plan.LinksToCreate.Count);
            Row("4", Messages.Get("ReportStaffRowsFailing"), Messages.Get("ReportStaffRowsFailed"), plan.Staff.Failed.Count);
            if (plan.Staff.RemoveDeparted) Row("5", Messages.Get("ReportDepartedToRemove"), Messages.Get("ReportDepartedRemoved"), plan.Staff.NotInFile.Count);
            else Row("5", Messages.Get("ReportDepartedKept"), Messages.Get("ReportDepartedKept"), plan.Staff.NotInFile.Count);
            sections.Add(counts);

            var limits = new Section { Heading = Messages.Get("ReportSafetyLimits") };
            if (plan.SafetyStops.Count == 0) limits.Paragraphs.Add(Messages.Get("ReportWithinLimits"));
            else
            {
                limits.Style = plan.SafetyStops.All(s => s.Overridden) ? null : "stop";
                limits.Headers = new[] { Messages.Get("ReportLimit"), Messages.Get("ReportStatus"), Messages.Get("ReportFigures") };
                foreach (var stop in plan.SafetyStops)
                    limits.Rows.Add(new[] { stop.Limit, stop.Overridden ? Messages.Get("ReportLimitOverridden") : Messages.Get("ReportLimitExceeded"), stop.Message });
            }
            sections.Add(limits);

            var warnings = new Section { Heading = Messages.Get("ReportWarnings") };
            if (plan.Warnings.Count == 0) warnings.Paragraphs.Add(Messages.Get("ReportNone"));
            else Problems(warnings, plan.Warnings);
            sections.Add(warnings);
            if (plan.Errors.Count > 0)
            {
                var errors = new Section { Heading = Messages.Get("ReportErrors") };
                Problems(errors, plan.Errors);
                sections.Add(errors);
            }

            var groups = new Section { Heading = Messages.Get("ReportNewGroups"), Headers = new[] { Messages.Get("ReportGroup"), Messages.Get("ReportPupils"), Messages.Get("ReportMentors"), Messages.Get("ReportTeachers") } };
            foreach (var g in plan.NewGroups) groups.Rows.Add(new[] { g.Group, Count(g.Pupils), g.Mentors.Count == 0 ? Messages.Get("ReportNoMentor") : g.Mentors.ToString(), g.Teachers.ToString() });
            if (plan.NewGroups.Count == 0) groups.Paragraphs.Add(Messages.Get("ReportNone"));
            sections.Add(groups);
            var noMentor = new Section { Heading = Messages.Get("ReportGroupsWithoutMentor") };
            noMentor.Paragraphs.Add(plan.GroupsWithoutMentor.Count == 0 ? Messages.Get("ReportEveryGroupHasMentor") : string.Join(", ", plan.GroupsWithoutMentor));
            if (plan.GroupsWithoutMentor.Count > 0) noMentor.Style = "stop";
            sections.Add(noMentor);

            var moves = new Section { Heading = Messages.Get("ReportGroupMoves"), Headers = new[] { Messages.Get("ReportLastYear"), Messages.Get("ReportNewGroup"), Messages.Get("ReportPupils") } };
            foreach (var m in plan.GroupMoves) moves.Rows.Add(new[] { m.From == "" ? Messages.Get("NoGroupShown") : m.From, m.To == "" ? Messages.Get("NoGroupShown") : m.To, Count(m.Count) });
            if (plan.GroupMoves.Count == 0) moves.Paragraphs.Add(Messages.Get("ReportNone"));
            sections.Add(moves);

            var left = new Section { Heading = Messages.Get("ReportPupilsWhoLeft") };
            left.Paragraphs.Add(plan.LeaversByGroup.Count == 0 ? Messages.Get("ReportNone")
                : Messages.Format("ReportPupilsNotInFile", Count(plan.Students.NotInFile.Count)));
            sections.Add(left);
            foreach (var group in plan.LeaversByGroup)
            {
                var section = new Section
                {
                    Heading = Messages.Format(group.FinalYear ? "ReportLeaversOfFinalYearGroup" : "ReportLeaversOfGroup", group.Group == "" ? Messages.Get("NoGroupShown") : group.Group, group.Leaving, group.Pupils),
                    Level = 3, Headers = new[] { Messages.Get("ReportNumber"), Messages.Get("ReportName") },
                };
                foreach (var s in group.Leavers) section.Rows.Add(new[] { s.Number, s.Name });
                sections.Add(section);
            }

            var added = new Section { Heading = Messages.Get("ReportNewPupils"), Headers = new[] { Messages.Get("ReportNumber"), Messages.Get("ReportName"), Messages.Get("ReportGroup") } };
            foreach (var s in plan.NewStudents) added.Rows.Add(new[] { s.Number, s.Name, s.Group });
            if (plan.NewStudents.Count == 0) added.Paragraphs.Add(Messages.Get("ReportNone"));
            sections.Add(added);

            var staff = new Section { Heading = Messages.Get("ReportStaff") };
            staff.Paragraphs.Add(Messages.Format("ReportNewStaff", plan.Staff.Created.Count == 0 ? Messages.Get("ReportNoneInList") : string.Join(", ", plan.Staff.Created)));
            var departedVerb = plan.Staff.RemoveDeparted ? (done ? Messages.Get("ReportDepartedAndRemoved") : Messages.Get("ReportDepartedToBeRemoved")) : Messages.Get("ReportDepartedNotRemoved");
            staff.Paragraphs.Add(departedVerb + ": " + (plan.Staff.NotInFile.Count == 0 ? Messages.Get("ReportNoneInList") : string.Join(", ", plan.Staff.NotInFile)));
            sections.Add(staff);
            return sections;
        }

        private static void Problems(Section section, List<RolloverProblem> problems)
        {
            section.Headers = new[] { Messages.Get("ReportFile"), Messages.Get("ReportRow"), Messages.Get("ReportColumn"), Messages.Get("ReportValue"), "ErrorId", Messages.Get("ReportMessage") };
            foreach (var p in problems)
                section.Rows.Add(new[] { Path.GetFileName(p.File), p.Row?.ToString(CultureInfo.InvariantCulture) ?? "", p.Column ?? "", p.Value ?? "", p.ErrorId, p.Message });
        }

        private static string Count(int n) => n.ToString("N0", CultureInfo.CurrentCulture);

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
            var countColumns = new HashSet<string> { Messages.Get("ReportCount"), Messages.Get("ReportPupils") };
            var html = new StringBuilder()
                .AppendLine("<!DOCTYPE html>").Append("<html lang=\"").Append(Messages.Get("ReportLanguage")).AppendLine("\"><head><meta charset=\"utf-8\">")
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
                    string Open(int column) => !headed && column == 0 ? "<th>" : countColumns.Contains(section.Headers[column]) ? "<td class=\"n\">" : "<td>";
                    string Close(int column) => !headed && column == 0 ? "</th>" : "</td>";
                    foreach (var row in section.Rows)
                        html.Append("<tr>").Append(string.Concat(row.Select((c, i) => Open(i) + E(c) + Close(i)))).AppendLine("</tr>");
                    html.AppendLine("</tbody></table>");
                }
                html.AppendLine("</section>");
            }
            return html.AppendLine("</body></html>").ToString();
        }
    }
}
