using System;
using System.IO;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// Passes a part's bytes to the XML reader and refuses to pass more than a window's worth without a
    /// <see cref="Checkpoint"/>, which the row source sets at every element it meets. So one cell (or one
    /// shared string) can never make the reader hold more than the window in memory, while ordinary
    /// cells are still read in one call.
    /// </summary>
    internal sealed class ElementWindowStream : Stream
    {
        /// <summary>4 MB: far more than the XML of a cell of Excel's 32,767 characters, with all its markup.</summary>
        public const int Window = 4 * 1024 * 1024;

        private readonly Stream _inner;
        private long _sinceCheckpoint;

        public ElementWindowStream(Stream inner) => _inner = inner;

        /// <summary>The reader is at a new element: what it reads from here on belongs to that one.</summary>
        public void Checkpoint() => _sinceCheckpoint = 0;

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = _inner.Read(buffer, offset, count);
            _sinceCheckpoint += read;
            if (_sinceCheckpoint > Window) throw new WindowExceededException();
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }

        /// <summary>More than <see cref="Window"/> bytes of XML went by inside one element.</summary>
        internal sealed class WindowExceededException : Exception
        {
        }
    }
}
