namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>How far a rollover got, as its report says it.</summary>
    public enum RolloverOutcome { Planned, StoppedByRowErrors, StoppedBySafetyLimit, Applied }
}
