using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Amn.Rollover.Core.Files;
using Amn.Rollover.Core.SchoolYear;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// Every file the module reads goes through <see cref="InputFile"/>: a named pipe or a device given as a path
    /// is refused at once, naming it, instead of waiting for a writer or reading zeros for ever.
    /// </summary>
    public class InputFileTests
    {
        private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(1);

        public static TheoryData<string> Readers => new TheoryData<string> { "import file", "backup", "store", "file hash", "plan" };

        [Theory]
        [MemberData(nameof(Readers))]
        public void A_named_pipe_is_refused_at_once_naming_it(string reader)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return; // no mkfifo there
            using var temp = new TempFolder();
            var fifo = temp.File("export.csv");
            using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
            AssertRefused(reader, fifo);
        }

        [Theory]
        [MemberData(nameof(Readers))]
        public void A_device_is_refused_at_once_naming_it(string reader)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            AssertRefused(reader, "/dev/zero");
        }

        private static void AssertRefused(string reader, string path)
        {
            var attempt = Task.Run(() => Read(reader, path));
            // Only a guard, so that the defect fails the test instead of hanging the run.
            Task.WhenAny(attempt, Task.Delay(HangGuard)).Wait();
            Assert.True(attempt.IsCompleted, $"reading '{path}' as {reader} did not return");
            var error = attempt.Exception?.InnerException as AmnException;
            Assert.NotNull(error);
            Assert.Equal("NotARegularFile", error.ErrorId);
            Assert.Contains("'" + path + "'", error.Message);
        }

        private static void Read(string reader, string path)
        {
            switch (reader)
            {
                case "import file": ImportFileReader.Open(path).Dispose(); break;
                case "backup": TenantStore.CheckBackup(path); break;
                case "store": TenantStore.OpenExisting(path); break;
                case "file hash": RolloverRun.FileHash(path); break;
                case "plan": InputFile.ReadAllText(path); break;
            }
        }

        [Fact]
        public void Tab_completion_offers_no_worksheets_of_a_pipe_or_a_device_and_returns_at_once()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            using var temp = new TempFolder();
            var fifo = temp.File("export.xlsx");
            using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
            foreach (var path in new[] { fifo, "/dev/zero" })
            {
                var attempt = Task.Run(() => ImportFileReader.WorksheetNames(path));
                Task.WhenAny(attempt, Task.Delay(HangGuard)).Wait(); // a guard against the hang, as above
                Assert.True(attempt.IsCompleted, $"listing the worksheets of '{path}' did not return");
                Assert.Empty(attempt.Result);
            }
        }

        [Fact]
        public void A_regular_file_a_folder_and_a_missing_path_are_told_apart()
        {
            using var temp = new TempFolder();
            var file = temp.File("a.csv");
            File.WriteAllText(file, "x");
            Assert.Equal(InputFileKind.File, InputFile.KindOf(file));
            Assert.Equal(InputFileKind.Folder, InputFile.KindOf(temp.Path));
            Assert.Equal(InputFileKind.Missing, InputFile.KindOf(temp.File("missing.csv")));
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) Assert.Equal(InputFileKind.Other, InputFile.KindOf("/dev/null"));
        }
    }
}
