using System.Management.Automation;
using Amn.Rollover.Core.Store.Postgres;

namespace Amn.Rollover
{
    /// <summary>The connection string of a school board's server with -Credential's user and password in it, when given.</summary>
    internal static class SchoolBoardConnection
    {
        public static string With(string connectionString, PSCredential credential)
            => credential == null ? connectionString
                : SchoolBoardDatabase.WithCredential(connectionString, credential.UserName, credential.GetNetworkCredential().Password);
    }
}
