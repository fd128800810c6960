namespace Amn.Rollover.Core.SchoolYear
{
    /// <summary>A problem found while validating the rollover's files, with the file it is in.</summary>
    public sealed class RolloverProblem
    {
        public string File { get; internal set; }
        public int? Row { get; internal set; }
        public string Column { get; internal set; }
        public string Value { get; internal set; }
        public string ErrorId { get; internal set; }
        public string Message { get; internal set; }

        public override string ToString() => $"{System.IO.Path.GetFileName(File)}: {ErrorId}: {Message}";
    }
}
