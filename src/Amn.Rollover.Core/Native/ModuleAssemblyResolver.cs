using System;
using System.IO;
using System.Reflection;

namespace Amn.Rollover.Core.Native
{
    /// <summary>
    /// Windows PowerShell 5.1 applies no binding redirects to a module's dependencies, so a request
    /// for, say, System.Memory 4.0.1.2 fails when the module folder holds 4.0.1.1. This resolver
    /// answers such requests with the copy in the module folder, whatever its version, and a request
    /// for a satellite resource assembly with the copy in the folder of its culture.
    /// </summary>
    public sealed class ModuleAssemblyResolver
    {
        private readonly string _directory;
        private readonly Func<string, bool> _fileExists;

        public ModuleAssemblyResolver(string directory, Func<string, bool> fileExists = null)
        {
            _directory = directory;
            _fileExists = fileExists ?? File.Exists;
        }

        /// <summary>The file in the module folder that answers the request, or null when the module has none.</summary>
        public string FindAssemblyFile(string requestedAssemblyName)
        {
            if (string.IsNullOrEmpty(requestedAssemblyName)) return null;
            AssemblyName name;
            try { name = new AssemblyName(requestedAssemblyName); }
            catch (FileLoadException) { return null; }
            catch (ArgumentException) { return null; }
            // A satellite (the Dutch texts) lives in a folder named after its culture; the runtime's own
            // probing usually finds it, this answers where it does not. Other cultures are not shipped.
            var isSatellite = name.Name.EndsWith(".resources", StringComparison.OrdinalIgnoreCase);
            if (isSatellite && string.IsNullOrEmpty(name.CultureName)) return null;
            var candidate = isSatellite ? Path.Combine(_directory, name.CultureName, name.Name + ".dll") : Path.Combine(_directory, name.Name + ".dll");
            return _fileExists(candidate) ? candidate : null;
        }

        /// <summary>Hooks the resolver into the current AppDomain (only done on .NET Framework).</summary>
        public void Register()
        {
            AppDomain.CurrentDomain.AssemblyResolve += (sender, args) =>
            {
                var file = FindAssemblyFile(args.Name);
                return file == null ? null : Assembly.LoadFrom(file);
            };
        }

        /// <summary>True on .NET Framework, where the host does not resolve a module's dependencies by itself.</summary>
        public static bool IsNeeded(string frameworkDescription)
        {
            return frameworkDescription != null && frameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
        }
    }
}
