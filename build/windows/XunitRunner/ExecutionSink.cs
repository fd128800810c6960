using System;
using System.Threading;
using Xunit.Abstractions;
using Xunit;

namespace Amn.Rollover.Build.XunitRunner
{
    // Counts the results and prints each failure and skip, until the test assembly has finished.
    internal sealed class ExecutionSink : LongLivedMarshalByRefObject, IMessageSink
    {
        private readonly object _console = new object();
        private int _passed, _failed, _skipped;
        public int Passed => _passed;
        public int Failed => _failed;
        public int Skipped => _skipped;
        public ManualResetEvent Finished { get; } = new ManualResetEvent(false);

        public bool OnMessage(IMessageSinkMessage message)
        {
            switch (message)
            {
                case ITestStarting starting:
                    Write($"[start] {starting.Test.DisplayName}");
                    break;
                case ITestPassed _:
                    Interlocked.Increment(ref _passed);
                    break;
                case ITestFailed failed:
                    Interlocked.Increment(ref _failed);
                    Write($"[FAIL] {failed.Test.DisplayName}{Environment.NewLine}{string.Join(Environment.NewLine, failed.Messages)}{Environment.NewLine}{string.Join(Environment.NewLine, failed.StackTraces)}");
                    break;
                case ITestSkipped skipped:
                    Interlocked.Increment(ref _skipped);
                    Write($"[skip] {skipped.Test.DisplayName}: {skipped.Reason}");
                    break;
                case IErrorMessage error:
                    Interlocked.Increment(ref _failed);
                    Write($"[ERROR] {string.Join(Environment.NewLine, error.Messages)}{Environment.NewLine}{string.Join(Environment.NewLine, error.StackTraces)}");
                    break;
                case ITestAssemblyFinished _:
                    Finished.Set();
                    break;
            }
            return true;
        }

        private void Write(string text)
        {
            lock (_console) Console.WriteLine(text);
        }
    }
}
