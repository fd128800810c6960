using System;
using System.Globalization;

namespace Amn.Rollover.Core.Store
{
    /// <summary>The created/updated times of stored rows: UTC to the second, ISO 8601 (20 characters instead of 28 for every pupil).</summary>
    internal static class Timestamp
    {
        public static string Now() => Of(DateTime.UtcNow);

        /// <summary>A UTC time in the stored form.</summary>
        public static string Of(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        /// <summary>A UTC time in the stored form, to the tick when it has a fraction of a second (as older stores wrote times).</summary>
        public static string Exact(DateTime utc) => utc.Ticks % TimeSpan.TicksPerSecond == 0 ? Of(utc) : utc.ToString("o", CultureInfo.InvariantCulture);

        /// <summary>A stored time (this form, or ISO 8601 to the tick as older stores wrote it) as UTC.</summary>
        public static DateTime Parse(string stored) => DateTime.Parse(stored, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

        /// <summary>The date a pupil is last seen in an import file, in local time (Get-AmnStudent -NotSeenSince takes a local date).</summary>
        public static string Today() => DateTime.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
