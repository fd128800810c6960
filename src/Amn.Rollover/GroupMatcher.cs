using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Amn.Rollover.Core.Store;
using Microsoft.Data.Sqlite;

namespace Amn.Rollover
{
    /// <summary>Resolves group names with wildcards against the store; a name without wildcards that matches nothing is an error.</summary>
    internal static class GroupMatcher
    {
        public static List<string> Resolve(AmnCmdlet cmdlet, SqliteConnection connection, IEnumerable<string> patterns)
            => cmdlet.MatchNames(Groups.LoadIds(connection).Keys, patterns, name => name, "GroupNotFound", pattern => $"No group named '{pattern}' in tenant '{connection.DataSource}'.");
    }

    /// <summary>Tab completion of group names from the current tenant.</summary>
    public sealed class GroupNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var store = TenantSession.Current;
            if (store == null) yield break;
            List<string> names;
            try
            {
                using (var connection = store.OpenConnection()) names = Groups.LoadIds(connection).Keys.OrderBy(n => n).ToList();
            }
            catch (SqliteException) { yield break; }
            var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            foreach (var name in names.Where(pattern.IsMatch))
                yield return new CompletionResult(name.Contains(" ") ? "'" + name + "'" : name, name, CompletionResultType.ParameterValue, name);
        }
    }
}
