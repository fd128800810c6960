using System;
using System.IO;
using System.Runtime.InteropServices;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Files;
using Xunit;

namespace Amn.Rollover.Core.Tests
{
    public class OutputFileTests
    {
        // /sys refuses a new file even to root, as a read-only folder does to anyone else.
        private const string Unwritable = "/sys/rapport.html";

        [Fact]
        public void A_folder_that_cannot_be_written_is_refused_before_any_work_in_words()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            var e = Assert.Throws<AmnException>(() => OutputFile.CheckTarget(Unwritable, "ReportPath"));
            Assert.Equal("OutputNotWritable", e.ErrorId);
            Assert.Contains(Unwritable, e.Message);
            Assert.DoesNotContain(".tmp", e.Message);
            Assert.DoesNotContain(e.InnerException.Message, e.Message);
        }

        [Fact]
        public void A_write_that_fails_late_names_the_file_not_its_temporary_name_nor_the_system_text()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            var e = Assert.Throws<AmnException>(() => OutputFile.Write(Unwritable, stream => stream.WriteByte(1), "ReportNotWritten", "the report"));
            Assert.Equal("ReportNotWritten", e.ErrorId);
            Assert.Contains(Unwritable, e.Message);
            Assert.DoesNotContain(".tmp", e.Message);
            Assert.DoesNotContain(e.InnerException.Message, e.Message);
            Assert.Equal(Messages.Get("OutputNoAccess"), OutputFile.Reason(e));
        }

        [Fact]
        public void An_existing_file_is_replaced_only_when_overwriting_was_asked_for()
        {
            var path = Path.GetTempFileName();
            try
            {
                Assert.Equal("FileExists", Assert.Throws<AmnException>(() => OutputFile.CheckOverwrite(path, false, "Path")).ErrorId);
                OutputFile.CheckOverwrite(path, true, "Path");
                OutputFile.CheckTarget(path, "Path");
                Assert.True(File.Exists(path));
            }
            finally { File.Delete(path); }
        }
    }
}
