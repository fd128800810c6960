namespace Amn.Rollover.Core.Files
{
    /// <summary>Excel's own limits; a file past them is refused as soon as the reader gets there.</summary>
    internal static class ExcelLimits
    {
        public const int MaxRows = 1048576;
        public const int MaxColumns = 16384;
        public const int MaxCellCharacters = 32767;
    }
}
