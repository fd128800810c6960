namespace Amn.Rollover.Core.Files
{
    /// <summary>What a path given to read names.</summary>
    public enum InputFileKind
    {
        Missing,
        File,
        Folder,
        /// <summary>A named pipe, a device, a socket: nothing with an end that could be read as a file.</summary>
        Other
    }
}
