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
                PSCredential typed;
                try { typed = cmdlet.Host.UI.PromptForCredential(Messages.Get("PasswordPromptCaption"), e.Message, credential?.UserName ?? SchoolBoardDatabase.UserName(connectionString), ""); }
                catch (Exception prompt) when (prompt is PSInvalidOperationException || prompt is HostException || prompt is NotImplementedException)
                {
                    throw e; // no one to ask: the error itself says what to give
                }
                if (typed == null) throw;
                return open(With(connectionString, typed));
            }
        }
    }
}
