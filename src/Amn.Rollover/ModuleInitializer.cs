using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using Amn.Rollover.Core.Native;

namespace Amn.Rollover
{
    /// <summary>Runs when the module is imported: dependency resolution (Windows PowerShell) and the native SQLite library.</summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        public void OnImport()
        {
            if (ModuleAssemblyResolver.IsNeeded(RuntimeInformation.FrameworkDescription))
            {
                new ModuleAssemblyResolver(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)).Register();
            }
            LoadNativeSqlite();
        }

        // A separate method, so that Core's SQLite types are touched only after the resolver is in place.
        private static void LoadNativeSqlite() => NativeSqlite.EnsureLoaded();
    }
}
