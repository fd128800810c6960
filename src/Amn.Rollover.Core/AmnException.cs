using System;

namespace Amn.Rollover.Core
{
    /// <summary>
    /// What kind of problem an <see cref="AmnException"/> is. The names match PowerShell's
    /// ErrorCategory values so the cmdlet layer can translate them one to one.
    /// </summary>
    public enum AmnErrorCategory
    {
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        ObjectNotFound,
        ReadError,
        WriteError,
        ResourceExists,
        LimitsExceeded,
        ResourceBusy,
        PermissionDenied,
        ConnectionError,
    }

    /// <summary>A problem the user can act on, with a stable error id.</summary>
    public class AmnException : Exception
    {
        public AmnException(string errorId, AmnErrorCategory category, string message, object target = null, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
            Target = target;
        }

        public string ErrorId { get; }
        public AmnErrorCategory Category { get; }
        public object Target { get; }
    }
}
