using System.Collections.Generic;
using System.Threading;
using Xunit.Abstractions;
using Xunit;

namespace Amn.Rollover.Build.XunitRunner
{
    // Collects the test cases xunit discovers, until it says discovery is complete.
    internal sealed class DiscoverySink : LongLivedMarshalByRefObject, IMessageSink
    {
        public List<ITestCase> TestCases { get; } = new List<ITestCase>();
        public ManualResetEvent Finished { get; } = new ManualResetEvent(false);

        public bool OnMessage(IMessageSinkMessage message)
        {
            if (message is ITestCaseDiscoveryMessage found) lock (TestCases) TestCases.Add(found.TestCase);
            if (message is IDiscoveryCompleteMessage) Finished.Set();
            return true;
        }
    }
}
