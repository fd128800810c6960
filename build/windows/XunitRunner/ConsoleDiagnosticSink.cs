using System;
using Xunit.Abstractions;
using Xunit;

namespace Amn.Rollover.Build.XunitRunner
{
    // The framework's own diagnostic messages (a discoverer that failed to load, ...), on the console.
    internal sealed class ConsoleDiagnosticSink : LongLivedMarshalByRefObject, IMessageSink
    {
        public bool OnMessage(IMessageSinkMessage message)
        {
            if (message is IDiagnosticMessage diagnostic) Console.WriteLine($"[xunit] {diagnostic.Message}");
            return true;
        }
    }
}
