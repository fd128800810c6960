using System.Diagnostics;
using System.Management.Automation;
using Amn.Rollover.Core;

namespace Amn.Rollover
{
    /// <summary>
    /// Write-Progress for long work, throttled by time (rendering progress per row is what makes
    /// cmdlets slow), always closed with a Completed record.
    /// </summary>
    internal sealed class ProgressReporter
    {
        private static readonly long Interval = Stopwatch.Frequency / 4; // 250 ms
        private static int _nextActivityId = 1;

        private readonly Cmdlet _cmdlet;
        private readonly ProgressRecord _record;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastWrite;
        private bool _written;

        public ProgressReporter(Cmdlet cmdlet, string activity)
        {
            _cmdlet = cmdlet;
            _record = new ProgressRecord(_nextActivityId++, activity, Messages.Get("ProgressStarting"));
            _lastWrite = -Interval;
        }

        /// <summary>
        /// True when a report would be shown: the last one is more than 250 ms old and the first second
        /// has passed. Lets a loop over 100,000 rows skip formatting a status nobody sees.
        /// </summary>
        public bool IsDue
        {
            get
            {
                var now = _clock.ElapsedTicks;
                return now >= Stopwatch.Frequency && now - _lastWrite >= Interval;
            }
        }

        /// <summary>Reports progress when it <see cref="IsDue"/>.</summary>
        public void Report(string status, double? fraction = null)
        {
            if (!IsDue) return;
            _lastWrite = _clock.ElapsedTicks;
            _record.StatusDescription = status;
            _record.PercentComplete = fraction.HasValue ? (int)(fraction.Value * 100) : -1;
            _record.RecordType = ProgressRecordType.Processing;
            _cmdlet.WriteProgress(_record);
            _written = true;
        }

        public void Complete()
        {
            if (!_written) return;
            _record.RecordType = ProgressRecordType.Completed;
            _record.PercentComplete = 100;
            _cmdlet.WriteProgress(_record);
            _written = false;
        }
    }
}
