using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Amn.Rollover.Core.Native;
using Xunit.Abstractions;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// Windows PowerShell 5.1 cannot run here, so this proves statically what decides whether the
    /// module loads there: every assembly reference of every dll in the package resolves to .NET
    /// Framework 4.7.2 (its reference assemblies), to the PowerShell host, or to a dll in the package,
    /// and where the shipped version differs from the one asked for, the module's resolver picks the
    /// shipped file.
    /// </summary>
    public class WindowsPowerShellReferenceTests
    {
        private static readonly string[] HostAssemblies = { "System.Management.Automation" };
        private readonly ITestOutputHelper _output;

        public WindowsPowerShellReferenceTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Every_reference_of_the_package_resolves_on_NET_Framework_472()
        {
            var bin = PackageBin();
            Assert.True(Directory.Exists(bin), $"The package is not built ({bin}); the Test task builds it first (dotnet pwsh ./build.ps1 -Task Package).");
            var framework = FrameworkAssemblies();
            var shipped = Directory.GetFiles(bin, "*.dll").ToDictionary(f => AssemblyName.GetAssemblyName(f).Name, f => f, StringComparer.OrdinalIgnoreCase);
            var resolver = new ModuleAssemblyResolver(bin);
            var unresolved = new List<string>();
            var throughResolver = new List<string>();

            foreach (var dll in shipped.Values.OrderBy(f => f, StringComparer.Ordinal))
            {
                foreach (var reference in References(dll))
                {
                    var what = $"{Path.GetFileName(dll)} -> {reference.Name} {reference.Version}";
                    if (HostAssemblies.Contains(reference.Name)) continue;
                    // A framework assembly of the asked version or newer is loaded from the GAC before any resolver is asked.
                    if (framework.TryGetValue(reference.Name, out var frameworkVersion) && frameworkVersion >= reference.Version) continue;
                    if (shipped.TryGetValue(reference.Name, out var file))
                    {
                        var version = AssemblyName.GetAssemblyName(file).Version;
                        if (version == reference.Version) continue;
                        // No binding redirects in Windows PowerShell: the module's resolver must answer with the shipped file.
                        Assert.Equal(file, resolver.FindAssemblyFile(reference.FullName));
                        throughResolver.Add($"{what} (ships {version})");
                        continue;
                    }
                    unresolved.Add(what + (framework.ContainsKey(reference.Name) ? $" (the framework has {framework[reference.Name]})" : " (neither in the framework nor in the package)"));
                }
            }
            foreach (var line in throughResolver) _output.WriteLine("through the resolver: " + line);
            Assert.True(unresolved.Count == 0, string.Join(Environment.NewLine, unresolved));
        }

        private static IEnumerable<AssemblyName> References(string dll)
        {
            using var stream = File.OpenRead(dll);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata) yield break;
            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.AssemblyReferences)
            {
                var reference = metadata.GetAssemblyReference(handle);
                yield return new AssemblyName(metadata.GetString(reference.Name)) { Version = reference.Version };
            }
        }

        /// <summary>Name to version of every assembly .NET Framework 4.7.2 has (facades included).</summary>
        private static Dictionary<string, Version> FrameworkAssemblies()
        {
            var folder = typeof(WindowsPowerShellReferenceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Net472ReferenceAssemblies").Value;
            Assert.True(Directory.Exists(folder), $"The .NET Framework 4.7.2 reference assemblies are missing ({folder}).");
            return Directory.GetFiles(folder, "*.dll", SearchOption.AllDirectories)
                .Select(NameOrNull).Where(n => n != null)
                .GroupBy(n => n.Name, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Max(n => n.Version), StringComparer.OrdinalIgnoreCase);
        }

        private static AssemblyName NameOrNull(string file)
        {
            try { return AssemblyName.GetAssemblyName(file); }
            catch (BadImageFormatException) { return null; } // a module or native file among the reference assemblies
        }

        private static string PackageBin()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, "Amn.Rollover.psd1")))
                    return Path.Combine(folder.FullName, "out", "package", "Amn.Rollover", "bin");
            return "out/package/Amn.Rollover/bin";
        }
    }
}
