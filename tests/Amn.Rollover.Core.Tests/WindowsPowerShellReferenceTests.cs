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

        /// <summary>
        /// The module's own assemblies call only members that .NET Framework 4.7.2 has: a member it
        /// lacks is a MissingMethodException on first use, on Windows PowerShell only.
        /// </summary>
        [Fact]
        public void The_module_calls_only_members_NET_Framework_472_has()
        {
            var bin = PackageBin();
            Assert.True(Directory.Exists(bin), $"The package is not built ({bin}).");
            var framework = FrameworkMembers();
            var shipped = new HashSet<string>(Directory.GetFiles(bin, "*.dll").Select(f => AssemblyName.GetAssemblyName(f).Name), StringComparer.OrdinalIgnoreCase);
            // The checker itself: an inherited member is found through the base types, a made-up one is not,
            // and a type .NET Framework never had (NativeLibrary came with .NET Core 3.0) is not either.
            Assert.True(HasMember(framework, "System.IO.FileStream", "Dispose"));
            Assert.False(HasMember(framework, "System.String", "NoSuchMember"));
            Assert.False(HasMember(framework, "System.Runtime.InteropServices.NativeLibrary", "Load"));
            var missing = new List<string>();
            foreach (var dll in new[] { "Amn.Rollover.dll", "Amn.Rollover.Core.dll" }.Select(f => Path.Combine(bin, f)))
            {
                using var stream = File.OpenRead(dll);
                using var pe = new PEReader(stream);
                var metadata = pe.GetMetadataReader();
                var checkedCount = 0;
                foreach (var handle in metadata.MemberReferences)
                {
                    var member = metadata.GetMemberReference(handle);
                    var type = FrameworkTypeName(metadata, member.Parent, shipped);
                    if (type == null) continue; // a member of the module itself or of a shipped library
                    var name = metadata.GetString(member.Name);
                    checkedCount++;
                    if (!HasMember(framework, type, name)) missing.Add($"{Path.GetFileName(dll)}: {type}::{name}");
                }
                _output.WriteLine($"{Path.GetFileName(dll)}: {checkedCount} framework member references checked");
                Assert.True(checkedCount > 100, "the check found the module's framework calls");
            }
            Assert.True(missing.Count == 0, "Not in .NET Framework 4.7.2:" + Environment.NewLine + string.Join(Environment.NewLine, missing.Distinct()));
        }

        /// <summary>The full name of a member's type when it is a framework type (netstandard or a System assembly the package does not ship); else null.</summary>
        private static string FrameworkTypeName(MetadataReader metadata, EntityHandle parent, ISet<string> shipped)
        {
            switch (parent.Kind)
            {
                case HandleKind.TypeReference:
                    var reference = metadata.GetTypeReference((TypeReferenceHandle)parent);
                    var scope = reference.ResolutionScope;
                    if (scope.Kind == HandleKind.TypeReference) // a nested type
                    {
                        var outer = FrameworkTypeName(metadata, (TypeReferenceHandle)scope, shipped);
                        return outer == null ? null : outer + "/" + metadata.GetString(reference.Name);
                    }
                    if (scope.Kind != HandleKind.AssemblyReference) return null;
                    var assembly = metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)scope).Name);
                    if (assembly != "netstandard" && assembly != "mscorlib" && !assembly.StartsWith("System", StringComparison.Ordinal)) return null;
                    if (assembly == "System.Management.Automation" || shipped.Contains(assembly)) return null; // the host's own, or a dll in the package
                    var ns = metadata.GetString(reference.Namespace);
                    return (ns.Length > 0 ? ns + "." : "") + metadata.GetString(reference.Name);
                case HandleKind.TypeSpecification:
                    // A generic instantiation (List<string>.Add): the member belongs to its generic type.
                    var blob = metadata.GetBlobReader(metadata.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
                    if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
                    blob.ReadSignatureTypeCode(); // class or value type
                    var generic = blob.ReadTypeHandle();
                    return generic.Kind == HandleKind.TypeReference ? FrameworkTypeName(metadata, generic, shipped) : null;
                default:
                    return null;
            }
        }

        private static bool HasMember(Dictionary<string, (HashSet<string> Members, string BaseType)> framework, string type, string name)
        {
            for (var depth = 0; type != null && depth < 12; depth++)
            {
                if (!framework.TryGetValue(type, out var entry)) return false;
                if (entry.Members.Contains(name)) return true;
                type = entry.BaseType;
            }
            return false;
        }

        /// <summary>Every type of the .NET Framework 4.7.2 reference assemblies: its members' names and its base type.</summary>
        private static Dictionary<string, (HashSet<string> Members, string BaseType)> FrameworkMembers()
        {
            var folder = typeof(WindowsPowerShellReferenceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Net472ReferenceAssemblies").Value;
            var types = new Dictionary<string, (HashSet<string> Members, string BaseType)>(StringComparer.Ordinal);
            foreach (var file in Directory.GetFiles(folder, "*.dll", SearchOption.AllDirectories))
            {
                using var stream = File.OpenRead(file);
                using var pe = new PEReader(stream);
                if (!pe.HasMetadata) continue;
                var metadata = pe.GetMetadataReader();
                foreach (var handle in metadata.TypeDefinitions)
                {
                    var definition = metadata.GetTypeDefinition(handle);
                    var name = DefinitionName(metadata, definition);
                    if (!types.TryGetValue(name, out var entry)) types[name] = entry = (new HashSet<string>(StringComparer.Ordinal), null);
                    foreach (var method in definition.GetMethods()) entry.Members.Add(metadata.GetString(metadata.GetMethodDefinition(method).Name));
                    foreach (var field in definition.GetFields()) entry.Members.Add(metadata.GetString(metadata.GetFieldDefinition(field).Name));
                    var baseType = definition.BaseType.IsNil ? null : BaseName(metadata, definition.BaseType);
                    if (baseType != null) types[name] = (entry.Members, baseType);
                }
            }
            return types;
        }

        private static string DefinitionName(MetadataReader metadata, TypeDefinition definition)
        {
            var declaring = definition.GetDeclaringType();
            if (!declaring.IsNil) return DefinitionName(metadata, metadata.GetTypeDefinition(declaring)) + "/" + metadata.GetString(definition.Name);
            var ns = metadata.GetString(definition.Namespace);
            return (ns.Length > 0 ? ns + "." : "") + metadata.GetString(definition.Name);
        }

        private static string BaseName(MetadataReader metadata, EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition: return DefinitionName(metadata, metadata.GetTypeDefinition((TypeDefinitionHandle)handle));
                case HandleKind.TypeReference:
                    var reference = metadata.GetTypeReference((TypeReferenceHandle)handle);
                    var ns = metadata.GetString(reference.Namespace);
                    return (ns.Length > 0 ? ns + "." : "") + metadata.GetString(reference.Name);
                case HandleKind.TypeSpecification:
                    var blob = metadata.GetBlobReader(metadata.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
                    if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
                    blob.ReadSignatureTypeCode();
                    return BaseName(metadata, blob.ReadTypeHandle());
                default: return null;
            }
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
