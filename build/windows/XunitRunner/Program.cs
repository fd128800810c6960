using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Amn.Rollover.Build.XunitRunner
{
    // Runs the Core tests in this process through xunit's own framework (discover, then execute) and writes
    // the counts as JSON, the shape build/Invoke-PesterTests.ps1 writes. For the Windows stage, where neither
    // dotnet test nor a runner package can run (xunit.runner.utility is not served here).
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length != 1)
            {
                Console.Error.WriteLine("usage: Amn.Rollover.XunitRunner <result.json>");
                return 2;
            }
            var assembly = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, "Amn.Rollover.Core.Tests.dll"));
            var assemblyInfo = Reflector.Wrap(assembly);
            var diagnostics = new ConsoleDiagnosticSink();
            var summary = new ExecutionSink();
            using (var framework = new XunitTestFramework(diagnostics))
            {
                var discovery = new DiscoverySink();
                using (var discoverer = framework.GetDiscoverer(assemblyInfo))
                    discoverer.Find(false, discovery, new FrameworkOptions());
                discovery.Finished.WaitOne();
                // One test at a time. Parallel runs once stopped under Wine with the CLR's "SuspendThread failed with
                // error 5"; since the emitted invoke stubs (XunitRunner.csproj) three parallel runs ran through without it, but on two
                // cores they were no faster (about 45 s either way), so the safer order stays.
                var execution = new FrameworkOptions();
                execution.SetValue("xunit.execution.DisableParallelization", true);
                execution.SetValue("xunit.execution.MaxParallelThreads", 1);
                using (var executor = framework.GetExecutor(assembly.GetName()))
                    executor.RunTests(discovery.TestCases, summary, execution);
                summary.Finished.WaitOne();
            }
            Console.WriteLine($"xunit (win-x64): {summary.Passed} passed, {summary.Failed} failed, {summary.Skipped} skipped");
            File.WriteAllText(args[0], $"{{ \"Passed\": {summary.Passed}, \"Failed\": {summary.Failed}, \"Skipped\": {summary.Skipped} }}");
            return summary.Failed == 0 ? 0 : 1;
        }
    }

    // The options xunit's framework reads (parallelism, display names); unset ones take the framework's defaults.
    internal sealed class FrameworkOptions : ITestFrameworkDiscoveryOptions, ITestFrameworkExecutionOptions
    {
        private readonly Dictionary<string, object> _values = new Dictionary<string, object>();
        public TValue GetValue<TValue>(string name) => _values.TryGetValue(name, out var value) ? (TValue)value : default;
        public void SetValue<TValue>(string name, TValue value) => _values[name] = value;
    }
}
