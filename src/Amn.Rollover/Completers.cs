using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    /// <summary>Shared by the completers: the matching values, quoted when they hold spaces.</summary>
    internal static class Completion
    {
        public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string wordToComplete)
        {
            var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            return values.Where(pattern.IsMatch).OrderBy(v => v, StringComparer.OrdinalIgnoreCase)
                .Select(v => new CompletionResult(v.Contains(" ") ? "'" + v + "'" : v, v, CompletionResultType.ParameterValue, v))
                .ToList();
        }

        /// <summary>Values read from the current tenant; nothing when none is connected or it cannot be read.</summary>
        public static IEnumerable<CompletionResult> FromTenant(Func<TenantWork, IEnumerable<string>> read, string wordToComplete)
        {
            var store = TenantSession.Current;
            if (store == null) return Enumerable.Empty<CompletionResult>();
            try
            {
                using (var work = store.BeginRead()) return Matching(read(work).ToList(), wordToComplete);
            }
            catch (Exception e) when (e is Core.AmnException || store.Translate(e) != null) { return Enumerable.Empty<CompletionResult>(); }
        }
    }

    /// <summary>Tab completion of group names from the current tenant.</summary>
    public sealed class GroupNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => Completion.FromTenant(Groups.Names, wordToComplete);
    }

    /// <summary>Tab completion of folder paths from the current tenant.</summary>
    public sealed class FolderCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => Completion.FromTenant(work => Groups.ListFolders(work).Select(f => f.Path).Where(p => p.Length > 0), wordToComplete);
    }

    /// <summary>Tab completion of usernames from the current tenant.</summary>
    public sealed class StaffNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => Completion.FromTenant(work => StaffTable.LoadAll(work).Keys, wordToComplete);
    }

    /// <summary>Tab completion of Invoke-AmnRollover -Culture: the languages the module speaks.</summary>
    public sealed class CultureCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => Completion.Matching(Core.Messages.Languages, wordToComplete);
    }

    /// <summary>Tab completion of Connect-AmnTenant -School: the schools of the -ConnectionString already typed that its user may see.</summary>
    public sealed class SchoolCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            if (!(fakeBoundParameters["ConnectionString"] is string connectionString)) return Enumerable.Empty<CompletionResult>();
            try
            {
                var credential = fakeBoundParameters["Credential"] as PSCredential;
                return Completion.Matching(Core.Store.Postgres.SchoolBoardDatabase.Schools(SchoolBoardConnection.With(connectionString, credential)).Select(s => s.Name), wordToComplete);
            }
            catch (Core.AmnException) { return Enumerable.Empty<CompletionResult>(); }
        }
    }

    /// <summary>Tab completion of AMN's roles.</summary>
    public sealed class RoleCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => Completion.Matching(Values.KnownRoles, wordToComplete);
    }

    /// <summary>Tab completion of -Encoding names.</summary>
    public sealed class EncodingCompleter : IArgumentCompleter
    {
        private static readonly string[] Names = { "utf8", "utf8BOM", "unicode", "bigendianunicode", "windows-1252", "ansi", "latin1" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => Completion.Matching(Names, wordToComplete);
    }

    /// <summary>Tab completion of the worksheets of the workbook given in -Path (or -StudentPath, else -StaffPath).</summary>
    public sealed class WorksheetCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            // -StudentWorksheet and -StaffWorksheet complete from their own file; -Worksheet, which
            // applies to every workbook the command reads, from all the workbooks on the line (a CSV has no sheets).
            var files = parameterName == "StudentWorksheet" ? new[] { fakeBoundParameters["StudentPath"] }
                : parameterName == "StaffWorksheet" ? new[] { fakeBoundParameters["StaffPath"] }
                : new[] { fakeBoundParameters["Path"], fakeBoundParameters["StudentPath"], fakeBoundParameters["StaffPath"] };
            var names = files.OfType<string>().Where(f => f.Length > 0).Select(Resolve).Where(f => f != null)
                .SelectMany(ImportFileReader.WorksheetNames).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return Completion.Matching(names, wordToComplete);
        }

        /// <summary>The file a path on the command line names, or null when there is none.</summary>
        private static string Resolve(string path)
        {
            try
            {
                using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
                    return ps.AddCommand("Resolve-Path").AddParameter("LiteralPath", path).Invoke().Select(p => p.ToString()).FirstOrDefault();
            }
            catch (Exception e) when (e is RuntimeException || e is InvalidOperationException) { return null; }
        }
    }
}
