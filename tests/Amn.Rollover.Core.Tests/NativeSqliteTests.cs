using System;
using System.IO;
using System.Runtime.InteropServices;
using Amn.Rollover.Core.Native;

namespace Amn.Rollover.Core.Tests
{
    public class NativeSqliteTests
    {
        [Theory]
        [InlineData(OperatingSystemKind.Windows, Architecture.X64, "win-x64", "e_sqlite3.dll")]
        [InlineData(OperatingSystemKind.Windows, Architecture.X86, "win-x86", "e_sqlite3.dll")]
        [InlineData(OperatingSystemKind.Windows, Architecture.Arm64, "win-arm64", "e_sqlite3.dll")]
        [InlineData(OperatingSystemKind.Linux, Architecture.X64, "linux-x64", "libe_sqlite3.so")]
        [InlineData(OperatingSystemKind.Linux, Architecture.Arm64, "linux-arm64", "libe_sqlite3.so")]
        [InlineData(OperatingSystemKind.LinuxMusl, Architecture.X64, "linux-musl-x64", "libe_sqlite3.so")]
        [InlineData(OperatingSystemKind.MacOS, Architecture.X64, "osx-x64", "libe_sqlite3.dylib")]
        [InlineData(OperatingSystemKind.MacOS, Architecture.Arm64, "osx-arm64", "libe_sqlite3.dylib")]
        public void Picks_the_native_library_per_platform(OperatingSystemKind os, Architecture arch, string rid, string file)
        {
            Assert.Equal(rid, NativeSqlite.GetRuntimeIdentifier(os, arch));
            Assert.Equal(Path.Combine("m", "runtimes", rid, "native", file), NativeSqlite.GetLibraryPath("m", os, arch));
        }

        [Theory]
        [InlineData(OperatingSystemKind.MacOS, Architecture.X86)]
        [InlineData(OperatingSystemKind.Linux, Architecture.X86)]
        [InlineData(OperatingSystemKind.Windows, Architecture.Arm)]
        public void Refuses_platforms_it_ships_nothing_for(OperatingSystemKind os, Architecture arch)
        {
            var error = Assert.Throws<PlatformNotSupportedException>(() => NativeSqlite.GetRuntimeIdentifier(os, arch));
            Assert.Contains(arch.ToString(), error.Message);
        }

        [Fact]
        public void This_machine_is_recognised()
        {
            var rid = NativeSqlite.GetRuntimeIdentifier(NativeSqlite.CurrentOperatingSystem(), RuntimeInformation.ProcessArchitecture);
            Assert.Equal(RuntimeInformation.RuntimeIdentifier.Split('-')[0], rid.Split('-')[0]);
        }
    }

    public class ModuleAssemblyResolverTests
    {
        private static readonly string Folder = Path.Combine("mod", "bin");

        [Fact]
        public void Answers_any_version_of_an_assembly_in_the_module_folder()
        {
            var resolver = new ModuleAssemblyResolver(Folder, path => path == Path.Combine(Folder, "System.Memory.dll"));
            Assert.Equal(Path.Combine(Folder, "System.Memory.dll"),
                resolver.FindAssemblyFile("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"));
        }

        [Fact]
        public void Answers_a_satellite_assembly_with_the_copy_in_its_culture_folder()
        {
            var satellite = Path.Combine(Folder, "nl-NL", "Amn.Rollover.Core.resources.dll");
            var resolver = new ModuleAssemblyResolver(Folder, path => path == satellite);
            Assert.Equal(satellite, resolver.FindAssemblyFile("Amn.Rollover.Core.resources, Version=0.1.0.0, Culture=nl-NL, PublicKeyToken=null"));
        }

        [Fact]
        public void Leaves_assemblies_and_resources_it_does_not_ship_to_the_runtime()
        {
            var resolver = new ModuleAssemblyResolver(Folder, path => path == Path.Combine(Folder, "nl-NL", "Amn.Rollover.Core.resources.dll"));
            Assert.Null(resolver.FindAssemblyFile("Amn.Rollover.Core.resources, Version=0.1.0.0, Culture=de-DE, PublicKeyToken=null"));
            Assert.Null(resolver.FindAssemblyFile("Amn.Rollover.Core.resources, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null"));
            Assert.Null(new ModuleAssemblyResolver(Folder, path => true).FindAssemblyFile("Amn.Rollover.resources, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null"));
            Assert.Null(new ModuleAssemblyResolver(Folder, path => false).FindAssemblyFile("Newtonsoft.Json, Version=13.0.0.0"));
            Assert.Null(resolver.FindAssemblyFile("not a valid, name=="));
        }

        [Theory]
        [InlineData(".NET Framework 4.8.9181.0", true)]
        [InlineData(".NET 10.0.12", false)]
        [InlineData(".NET Core 3.1.32", false)]
        public void Is_needed_only_on_the_NET_Framework(string description, bool needed)
        {
            Assert.Equal(needed, ModuleAssemblyResolver.IsNeeded(description));
        }
    }
}
