using System;
using System.IO;
using System.Linq;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>A fresh folder per test, deleted afterwards.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "amn-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        /// <summary>Another folder of the test's (a server school's backups), deleted with this one.</summary>
        public void AlsoDelete(string folder) => _others.Add(folder);

        public void Dispose()
        {
            foreach (var folder in _others.Append(Path))
                try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }

        private readonly System.Collections.Generic.List<string> _others = new System.Collections.Generic.List<string>();
    }
}
