using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Store.Postgres;

namespace Amn.Rollover
{
    /// <summary>The connection string of a school board's server with -Credential's user and password in it, when given.</summary>
    internal static class SchoolBoardConnection
    {
        public static string With(string connectionString, PSCredential credential)
            => credential == null ? connectionString
                : SchoolBoardDatabase.WithCredential(connectionString, credential.UserName, credential.GetNetworkCredential().Password);

        /// <summary>
        /// Runs <paramref name="open"/> on the connection string with the credential; when the server
        /// asks for a password that was not given, asks the user for one in an interactive session
        /// and tries once more. In a script (-NonInteractive) the error says what to give.
        /// </summary>
        public static T Open<T>(PSCmdlet cmdlet, string connectionString, PSCredential credential, Func<string, T> open)
        {
            try { return open(With(connectionString, credential)); }
            catch (AmnException e) when (e.ErrorId == "TenantPasswordNeeded")
            {
                var typed = AskForPassword(cmdlet, e.Message, credential?.UserName ?? SchoolBoardDatabase.UserName(connectionString));
                if (typed == null) throw; // no one to ask, or no answer: the error itself says what to give
                return open(With(connectionString, typed));
            }
        }

        /// <summary>The credential the user types; null in a session that cannot ask (-NonInteractive, a host without prompts).</summary>
        private static PSCredential AskForPassword(PSCmdlet cmdlet, string why, string userName)
        {
            try { return cmdlet.Host.UI.PromptForCredential(Messages.Get("PasswordPromptCaption"), why, userName, ""); }
            catch (Exception e) when (e is PSInvalidOperationException || e is HostException) { return null; }
        }
    }
}
