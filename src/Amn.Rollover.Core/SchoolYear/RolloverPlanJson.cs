using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>
    /// A plan saved as JSON (-PlanPath): what the run will do, for review, and what it was made from
    /// (the options and the hashes of both files and of the store), so it can be applied exactly.
    /// </summary>
    public static class RolloverPlanJson
    {
        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            WriteIndented = true,
            // A plan is read by people: names with ë and ç stay as they are (the file is UTF-8).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        public static string Write(RolloverPlan plan)
        {
            var document = new PlanDocument
            {
                AmnRolloverPlan = PlanDocument.CurrentFormat,
                Created = plan.Created.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                Tenant = plan.Tenant,
                Inputs = Inputs(plan),
                Actions = Actions(plan),
                Review = Review(plan),
            };
            return JsonSerializer.Serialize(document, Json) + Environment.NewLine;
        }

        /// <summary>What a saved plan was made from; what it does is compared with <see cref="SamePlan"/>.</summary>
        public static RolloverInputs ReadInputs(string path, string text)
        {
            var inputs = Read(path, text).Inputs;
            if (inputs == null) throw NotAPlan(path, Messages.Get("PlanWithoutInputs"));
            if (inputs.StudentFile == null || inputs.StaffFile == null) throw NotAPlan(path, Messages.Get("PlanWithoutFiles"));
            var limits = inputs.Limits ?? new PlanDocument.LimitsPart();
            var options = new RolloverOptions
            {
                StudentPath = inputs.StudentFile,
                StaffPath = inputs.StaffFile,
                StudentWorksheet = inputs.StudentWorksheet,
                StaffWorksheet = inputs.StaffWorksheet,
                Folder = inputs.Folder,
                RemoveDepartedStaff = inputs.RemoveDepartedStaff,
                AllowInvalidRows = inputs.AllowInvalidRows,
                Read = new ImportFileOptions
                {
                    Delimiter = string.IsNullOrEmpty(inputs.Delimiter) ? (char?)null : inputs.Delimiter[0],
                    Encoding = inputs.Encoding,
                    ColumnMap = inputs.ColumnMap,
                    Product = inputs.Product != null && Enum.TryParse(inputs.Product, out AmnProduct p) ? p : AmnProduct.None,
                },
                Limits = new RolloverLimits
                {
                    MaxLeaversPercent = limits.MaxLeaversPercent,
                    MaxOtherLeaversPercent = limits.MaxOtherLeaversPercent,
                    MaxNewStudentsPercent = limits.MaxNewStudentsPercent,
                    MaxDepartedStaffPercent = limits.MaxDepartedStaffPercent,
                    FinalYear = new FinalYearGroups(limits.FinalYearGroup),
                },
            };
            return new RolloverInputs
            {
                Options = options,
                StudentFileHash = inputs.StudentFileHash,
                StaffFileHash = inputs.StaffFileHash,
                TenantFingerprint = inputs.TenantFingerprint,
            };
        }

        /// <summary>
        /// True when a new plan does exactly what the saved one says: the same groups, pupils, staff, links and
        /// exceeded limits, compared as data. Messages, which are in the language the plan was made in, are not.
        /// </summary>
        public static bool SamePlan(string savedText, RolloverPlan plan)
        {
            var saved = JsonSerializer.Deserialize<PlanDocument>(savedText, Json);
            return JsonSerializer.Serialize(saved.Actions, Json) == JsonSerializer.Serialize(Actions(plan), Json);
        }

        private static PlanDocument Read(string path, string text)
        {
            int version;
            try
            {
                using (var document = JsonDocument.Parse(text))
                {
                    var root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(nameof(PlanDocument.AmnRolloverPlan), out var format) || !format.TryGetInt32(out version))
                        throw NotAPlan(path, Messages.Get("PlanWithoutVersion"));
                }
            }
            catch (JsonException e)
            {
                throw NotAPlan(path, Messages.Format("NotValidJson", (e.LineNumber ?? 0) + 1));
            }
            if (version > PlanDocument.CurrentFormat) throw NotAPlan(path, Messages.Format("PlanTooNew", version));
            if (version < PlanDocument.CurrentFormat) throw NotAPlan(path, Messages.Format("PlanTooOld", version));
            try { return JsonSerializer.Deserialize<PlanDocument>(text, Json); }
            catch (JsonException e)
            {
                throw NotAPlan(path, Messages.Format("PlanFieldInvalid", e.Path, (e.LineNumber ?? 0) + 1));
            }
        }

        private static AmnException NotAPlan(string path, string why)
            => new AmnException("PlanNotReadable", AmnErrorCategory.InvalidData, Messages.Format("NotAPlan", path, why), path);

        private static PlanDocument.InputsPart Inputs(RolloverPlan plan)
        {
            var inputs = plan.Inputs;
            var options = inputs.Options;
            var read = options.Read ?? new ImportFileOptions();
            var limits = options.Limits ?? RolloverLimits.Defaults;
            return new PlanDocument.InputsPart
            {
                StudentFile = plan.StudentFile,
                StudentFileHash = inputs.StudentFileHash,
                StaffFile = plan.StaffFile,
                StaffFileHash = inputs.StaffFileHash,
                TenantFingerprint = inputs.TenantFingerprint,
                Folder = options.Folder,
                RemoveDepartedStaff = options.RemoveDepartedStaff,
                AllowInvalidRows = options.AllowInvalidRows,
                StudentWorksheet = options.StudentWorksheet ?? read.Worksheet,
                StaffWorksheet = options.StaffWorksheet ?? read.Worksheet,
                Delimiter = read.Delimiter?.ToString(),
                Encoding = read.Encoding,
                Product = read.Product.ToString(),
                ColumnMap = read.ColumnMap?.ToDictionary(entry => entry.Key, entry => entry.Value),
                Limits = new PlanDocument.LimitsPart
                {
                    MaxLeaversPercent = limits.MaxLeaversPercent,
                    MaxOtherLeaversPercent = limits.MaxOtherLeaversPercent,
                    MaxNewStudentsPercent = limits.MaxNewStudentsPercent,
                    MaxDepartedStaffPercent = limits.MaxDepartedStaffPercent,
                    FinalYearGroup = limits.FinalYear.Patterns.ToList(),
                },
            };
        }

        private static PlanDocument.ActionsPart Actions(RolloverPlan plan) => new PlanDocument.ActionsPart
        {
            Folder = plan.Folder,
            GroupsToRemove = plan.GroupsToRemove,
            GroupsToCreate = plan.GroupsToCreate,
            Students = new PlanDocument.StudentsPart
            {
                Created = plan.Students.Created, Updated = plan.Students.Updated, Moved = plan.Students.Moved,
                Unchanged = plan.Students.Unchanged, NotInFile = plan.Students.NotInFile, Failed = plan.Students.Failed,
            },
            Staff = new PlanDocument.StaffPart
            {
                Created = plan.Staff.Created, Updated = plan.Staff.Updated, Unchanged = plan.Staff.Unchanged, NotInFile = plan.Staff.NotInFile,
                Failed = plan.Staff.Failed, RemoveDeparted = plan.Staff.RemoveDeparted,
            },
            LinksToCreate = plan.LinksToCreate.Select(l => new PlanDocument.LinkPart { UserName = l.UserName, Group = l.Group }).ToList(),
            SafetyLimitsExceeded = plan.SafetyStops.Select(s => s.Limit).ToList(),
        };

        private static PlanDocument.ReviewPart Review(RolloverPlan plan) => new PlanDocument.ReviewPart
        {
            StudentFile = plan.StudentFile,
            StaffFile = plan.StaffFile,
            LeaversByGroup = plan.LeaversByGroup.Select(g => new PlanDocument.GroupLeaversPart
            {
                Group = g.Group, FinalYear = g.FinalYear, Pupils = g.Pupils, Leavers = g.Leavers.Select(Student).ToList(),
            }).ToList(),
            NewStudents = plan.NewStudents.Select(Student).ToList(),
            GroupMoves = plan.GroupMoves.Select(m => new PlanDocument.GroupMovePart { From = m.From, To = m.To, Count = m.Count }).ToList(),
            NewGroups = plan.NewGroups.Select(g => new PlanDocument.GroupStaffingPart
            {
                Group = g.Group, Pupils = g.Pupils, Mentors = g.Mentors.ToList(), Teachers = g.Teachers.ToList(),
            }).ToList(),
            GroupsWithoutMentor = plan.GroupsWithoutMentor,
            SafetyStops = plan.SafetyStops.Select(s => new PlanDocument.SafetyStopPart
            {
                Limit = s.Limit, Parameter = s.Parameter, Percent = s.Percent, MaximumPercent = s.MaximumPercent, Message = s.Message,
            }).ToList(),
            Errors = plan.Errors.Select(Problem).ToList(),
            Warnings = plan.Warnings.Select(Problem).ToList(),
        };

        private static PlanDocument.PlannedStudentPart Student(PlannedStudent s) => new PlanDocument.PlannedStudentPart { Number = s.Number, Name = s.Name, Group = s.Group };

        private static PlanDocument.ProblemPart Problem(RolloverProblem p) => new PlanDocument.ProblemPart
        {
            File = Path.GetFileName(p.File), Row = p.Row, Column = p.Column, Value = p.Value, ErrorId = p.ErrorId, Message = p.Message,
        };
    }
}
