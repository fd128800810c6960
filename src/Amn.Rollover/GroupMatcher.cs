using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    /// <summary>Resolves group names with wildcards against the store; a name without wildcards that matches nothing is an error.</summary>
    internal static class GroupMatcher
    {
        public static List<string> Resolve(AmnCmdlet cmdlet, TenantWork read, IEnumerable<string> patterns)
            => cmdlet.MatchNames(Groups.Names(read), patterns, name => name, "GroupNotFound", pattern => Messages.Format("NoGroup", pattern, read.Store.Path));
    }

}
