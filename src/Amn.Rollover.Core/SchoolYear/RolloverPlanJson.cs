using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Amn.Rollover.Core.Files;

namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>
    /// A plan saved as JSON (-PlanPath): what the run will do, for review, and what it was made from
    /// (the options and the hashes of both files and of the store), so it can be applied exactly.
    /// </summary>
    public static class RolloverPlanJson
    {
        private const int FormatVersion = 1;
        private const string FormatKey = "AmnRolloverPlan";

        public static string Write(RolloverPlan plan)
        {
            var tree = new JsonText.Members
            {
                { FormatKey, FormatVersion },
                { "Created", plan.Created.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) },
                { "Tenant", plan.Tenant },
                { "Inputs", Inputs(plan) },
            };
            tree.AddRange(Content(plan));
            return JsonText.Write(tree);
        }

        /// <summary>What a saved plan was made from; the plan itself is compared with <see cref="SamePlan"/>.</summary>
        public static RolloverInputs ReadInputs(string path, string text)
        {
            JsonText.Members tree;
            try { tree = JsonText.Parse(text) as JsonText.Members; }
            catch (FormatException e) { throw NotAPlan(path, e.Message); }
            if (tree == null || !(tree[FormatKey] is double version)) throw NotAPlan(path, Messages.Get("PlanWithoutVersion"));
            if (version > FormatVersion) throw NotAPlan(path, Messages.Format("PlanTooNew", version));
            if (!(tree["Inputs"] is JsonText.Members inputs)) throw NotAPlan(path, Messages.Get("PlanWithoutInputs"));
            var limits = inputs["Limits"] as JsonText.Members ?? new JsonText.Members();
            var columnMap = inputs["ColumnMap"] as JsonText.Members;
            var delimiter = inputs["Delimiter"] as string;
            var product = inputs["Product"] as string;
            var options = new RolloverOptions
            {
                StudentPath = inputs["StudentFile"] as string,
                StaffPath = inputs["StaffFile"] as string,
                StudentWorksheet = inputs["StudentWorksheet"] as string,
                StaffWorksheet = inputs["StaffWorksheet"] as string,
                Folder = inputs["Folder"] as string,
                RemoveDepartedStaff = inputs["RemoveDepartedStaff"] as bool? ?? false,
                AllowInvalidRows = inputs["AllowInvalidRows"] as bool? ?? false,
                Read = new ImportFileOptions
                {
                    Delimiter = string.IsNullOrEmpty(delimiter) ? (char?)null : delimiter[0],
                    Encoding = inputs["Encoding"] as string,
                    ColumnMap = columnMap?.ToDictionary(m => m.Key, m => m.Value as string),
                    Product = product != null && Enum.TryParse(product, out AmnProduct p) ? p : AmnProduct.None,
                },
                Limits = new RolloverLimits
                {
                    MaxLeaversPercent = Percent(limits["MaxLeaversPercent"], RolloverLimits.Defaults.MaxLeaversPercent),
                    MaxOtherLeaversPercent = Percent(limits["MaxOtherLeaversPercent"], RolloverLimits.Defaults.MaxOtherLeaversPercent),
                    MaxNewStudentsPercent = Percent(limits["MaxNewStudentsPercent"], RolloverLimits.Defaults.MaxNewStudentsPercent),
                    MaxDepartedStaffPercent = Percent(limits["MaxDepartedStaffPercent"], RolloverLimits.Defaults.MaxDepartedStaffPercent),
                    FinalYear = new FinalYearGroups((limits["FinalYearGroup"] as List<object>)?.OfType<string>()),
                },
            };
            if (options.StudentPath == null || options.StaffPath == null) throw NotAPlan(path, Messages.Get("PlanWithoutFiles"));
            return new RolloverInputs
            {
                Options = options,
                StudentFileHash = inputs["StudentFileHash"] as string,
                StaffFileHash = inputs["StaffFileHash"] as string,
                TenantFingerprint = inputs["TenantFingerprint"] as string,
            };
        }

        /// <summary>True when a new plan does exactly what the saved one says (when it was made and from what aside).</summary>
        public static bool SamePlan(string savedText, RolloverPlan plan)
        {
            var saved = (JsonText.Members)JsonText.Parse(savedText);
            var reviewed = new JsonText.Members();
            reviewed.AddRange(saved.Where(m => m.Key != FormatKey && m.Key != "Created" && m.Key != "Tenant" && m.Key != "Inputs"));
            return JsonText.Write(reviewed) == JsonText.Write(Content(plan));
        }

        private static int Percent(object value, int fallback) => value is double d ? (int)d : fallback;

        private static AmnException NotAPlan(string path, string why)
            => new AmnException("PlanNotReadable", AmnErrorCategory.InvalidData, Messages.Format("NotAPlan", path, why), path);

        private static JsonText.Members Inputs(RolloverPlan plan)
        {
            var inputs = plan.Inputs;
            var options = inputs.Options;
            var read = options.Read ?? new ImportFileOptions();
            var limits = options.Limits ?? RolloverLimits.Defaults;
            JsonText.Members columnMap = null;
            if (read.ColumnMap != null)
            {
                columnMap = new JsonText.Members();
                foreach (var entry in read.ColumnMap) columnMap.Add(entry.Key, entry.Value);
            }
            return new JsonText.Members
            {
                { "StudentFile", plan.StudentFile },
                { "StudentFileHash", inputs.StudentFileHash },
                { "StaffFile", plan.StaffFile },
                { "StaffFileHash", inputs.StaffFileHash },
                { "TenantFingerprint", inputs.TenantFingerprint },
                { "Folder", options.Folder },
                { "RemoveDepartedStaff", options.RemoveDepartedStaff },
                { "AllowInvalidRows", options.AllowInvalidRows },
                { "StudentWorksheet", options.StudentWorksheet ?? read.Worksheet },
                { "StaffWorksheet", options.StaffWorksheet ?? read.Worksheet },
                { "Delimiter", read.Delimiter?.ToString() },
                { "Encoding", read.Encoding },
                { "Product", read.Product.ToString() },
                { "ColumnMap", columnMap },
                { "Limits", new JsonText.Members
                    {
                        { "MaxLeaversPercent", limits.MaxLeaversPercent },
                        { "MaxOtherLeaversPercent", limits.MaxOtherLeaversPercent },
                        { "MaxNewStudentsPercent", limits.MaxNewStudentsPercent },
                        { "MaxDepartedStaffPercent", limits.MaxDepartedStaffPercent },
                        { "FinalYearGroup", limits.FinalYear.Patterns },
                    }
                },
            };
        }

        private static JsonText.Members Content(RolloverPlan plan) => new JsonText.Members
        {
            { "StudentFile", plan.StudentFile },
            { "StaffFile", plan.StaffFile },
            { "Folder", plan.Folder },
            { "GroupsToRemove", plan.GroupsToRemove },
            { "GroupsToCreate", plan.GroupsToCreate },
            { "Students", new JsonText.Members
                {
                    { "Created", plan.Students.Created }, { "Updated", plan.Students.Updated }, { "Moved", plan.Students.Moved },
                    { "Unchanged", plan.Students.Unchanged }, { "NotInFile", plan.Students.NotInFile }, { "Failed", plan.Students.Failed },
                }
            },
            { "Staff", new JsonText.Members
                {
                    { "Created", plan.Staff.Created }, { "Updated", plan.Staff.Updated }, { "Unchanged", plan.Staff.Unchanged }, { "NotInFile", plan.Staff.NotInFile },
                    { "Failed", plan.Staff.Failed }, { "RemoveDeparted", plan.Staff.RemoveDeparted },
                }
            },
            { "LinksToCreate", plan.LinksToCreate.Select(l => new JsonText.Members { { "UserName", l.UserName }, { "Group", l.Group } }).ToList() },
            { "LeaversByGroup", plan.LeaversByGroup.Select(g => new JsonText.Members
                {
                    { "Group", g.Group }, { "FinalYear", g.FinalYear }, { "Pupils", g.Pupils },
                    { "Leavers", g.Leavers.Select(Student).ToList() },
                }).ToList()
            },
            { "NewStudents", plan.NewStudents.Select(Student).ToList() },
            { "GroupMoves", plan.GroupMoves.Select(m => new JsonText.Members { { "From", m.From }, { "To", m.To }, { "Count", m.Count } }).ToList() },
            { "NewGroups", plan.NewGroups.Select(g => new JsonText.Members
                {
                    { "Group", g.Group }, { "Pupils", g.Pupils }, { "Mentors", g.Mentors.ToList() }, { "Teachers", g.Teachers.ToList() },
                }).ToList()
            },
            { "GroupsWithoutMentor", plan.GroupsWithoutMentor },
            { "SafetyStops", plan.SafetyStops.Select(s => new JsonText.Members
                {
                    { "Limit", s.Limit }, { "Parameter", s.Parameter }, { "Percent", s.Percent }, { "MaximumPercent", s.MaximumPercent }, { "Message", s.Message },
                }).ToList()
            },
            { "Errors", plan.Errors.Select(Problem).ToList() },
            { "Warnings", plan.Warnings.Select(Problem).ToList() },
        };

        private static JsonText.Members Student(PlannedStudent s) => new JsonText.Members { { "Number", s.Number }, { "Name", s.Name }, { "Group", s.Group } };

        private static JsonText.Members Problem(RolloverProblem p) => new JsonText.Members
        {
            { "File", Path.GetFileName(p.File) }, { "Row", p.Row }, { "Column", p.Column }, { "Value", p.Value }, { "ErrorId", p.ErrorId }, { "Message", p.Message },
        };
    }
}
