using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Amn.Rollover.Core.Native
{
    /// <summary>The operating systems the module ships a native SQLite library for.</summary>
    public enum OperatingSystemKind { Windows, Linux, LinuxMusl, MacOS }

    /// <summary>
    /// Loads the e_sqlite3 native library that ships inside the module folder
    /// (runtimes/&lt;rid&gt;/native/). A netstandard2.0 module gets no runtimes/ probing from the
    /// host, so the module has to pick and load the right file itself before the first connection.
    /// </summary>
    public static class NativeSqlite
    {
        private static readonly object Gate = new object();
        private static bool _initialized;

        /// <summary>The runtime identifier whose native folder fits the platform.</summary>
        public static string GetRuntimeIdentifier(OperatingSystemKind os, Architecture processArchitecture)
        {
            string arch;
            switch (processArchitecture)
            {
                case Architecture.X64: arch = "x64"; break;
                case Architecture.X86: arch = "x86"; break;
                case Architecture.Arm64: arch = "arm64"; break;
                case Architecture.Arm: arch = "arm"; break;
                default: throw new PlatformNotSupportedException(Messages.Format("NoSqliteForArchitecture", processArchitecture));
            }
            switch (os)
            {
                case OperatingSystemKind.Windows:
                    if (arch == "arm") break;
                    return "win-" + arch;
                case OperatingSystemKind.Linux:
                    if (arch == "x86") break;
                    return "linux-" + arch;
                case OperatingSystemKind.LinuxMusl:
                    if (arch == "x86") break;
                    return "linux-musl-" + arch;
                case OperatingSystemKind.MacOS:
                    if (arch != "x64" && arch != "arm64") break;
                    return "osx-" + arch;
            }
            throw new PlatformNotSupportedException(Messages.Format("NoSqliteForPlatform", os, processArchitecture));
        }

        /// <summary>The file name of the native library on that operating system.</summary>
        public static string GetLibraryFileName(OperatingSystemKind os)
        {
            switch (os)
            {
                case OperatingSystemKind.Windows: return "e_sqlite3.dll";
                case OperatingSystemKind.MacOS: return "libe_sqlite3.dylib";
                default: return "libe_sqlite3.so";
            }
        }

        /// <summary>The path of the native library below a module folder.</summary>
        public static string GetLibraryPath(string baseDirectory, OperatingSystemKind os, Architecture processArchitecture)
        {
            return Path.Combine(baseDirectory, "runtimes", GetRuntimeIdentifier(os, processArchitecture), "native", GetLibraryFileName(os));
        }

        /// <summary>The operating system this process runs on.</summary>
        public static OperatingSystemKind CurrentOperatingSystem()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return OperatingSystemKind.Windows;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return OperatingSystemKind.MacOS;
            return IsMusl() ? OperatingSystemKind.LinuxMusl : OperatingSystemKind.Linux;
        }

        private static bool IsMusl()
        {
            try
            {
                foreach (var dir in new[] { "/lib", "/usr/lib" })
                {
                    if (Directory.Exists(dir) && Directory.GetFiles(dir, "ld-musl-*").Length > 0) return true;
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return false;
        }

        /// <summary>
        /// Points SQLitePCL at the native library next to this assembly and registers the provider.
        /// Safe to call more than once. When the module folder holds no native file (a test host with
        /// its own deps.json), the host's normal probing is left to find it.
        /// </summary>
        public static void EnsureLoaded()
        {
            lock (Gate)
            {
                if (_initialized) return;
                var baseDirectory = Path.GetDirectoryName(typeof(NativeSqlite).Assembly.Location);
                var libraryPath = GetLibraryPath(baseDirectory, CurrentOperatingSystem(), RuntimeInformation.ProcessArchitecture);
                if (File.Exists(libraryPath))
                {
                    PreloadLibrary(libraryPath);
                }
                SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
                _initialized = true;
            }
        }

        private static void PreloadLibrary(string libraryPath)
        {
            // .NET Core 3+ (PowerShell 7): a DllImport resolver for the provider assembly, found by
            // reflection because netstandard2.0 has no NativeLibrary type.
            var nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary", throwOnError: false);
            if (nativeLibrary != null)
            {
                var handle = (IntPtr)nativeLibrary.GetMethod("Load", new[] { typeof(string) }).Invoke(null, new object[] { libraryPath });
                var resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver", throwOnError: true);
                var resolver = new HandleResolver(handle);
                var callback = Delegate.CreateDelegate(resolverType, resolver, typeof(HandleResolver).GetMethod(nameof(HandleResolver.Resolve)));
                // SQLitePCL's provider and this assembly's own calls (SqliteCalls) must reach the same library.
                foreach (var assembly in new[] { typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, typeof(NativeSqlite).Assembly })
                {
                    try
                    {
                        nativeLibrary.GetMethod("SetDllImportResolver").Invoke(null, new object[] { assembly, callback });
                    }
                    catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException)
                    {
                        // Another copy of this module in the process already set it; that one loads the same library.
                    }
                }
                return;
            }
            // .NET Framework (Windows PowerShell 5.1): once loaded by full path, DllImport("e_sqlite3") finds the module by name.
            if (LoadLibraryW(libraryPath) == IntPtr.Zero)
            {
                throw new DllNotFoundException(Messages.Format("SqliteNotLoaded", libraryPath, Marshal.GetLastWin32Error()));
            }
        }

        private sealed class HandleResolver
        {
            private readonly IntPtr _handle;
            public HandleResolver(IntPtr handle) { _handle = handle; }
            public IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
            {
                return libraryName == "e_sqlite3" ? _handle : IntPtr.Zero;
            }
        }

        [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryW(string path);
    }
}
