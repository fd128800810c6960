using System;
using System.IO;
using System.Xml;
using ExcelDataReader.Exceptions;

namespace Amn.Rollover.Core.Files
{
    /// <summary>What a damaged or unsupported workbook makes the readers throw, and how to say it to a user.</summary>
    internal static class WorkbookFaults
    {
        /// <summary>The exceptions a workbook that cannot be read causes (ours, the zip and XML readers', ExcelDataReader's).</summary>
        public static bool IsUnreadable(Exception e)
            => e is AmnException || e is IOException || e is UnauthorizedAccessException || e is InvalidDataException
               || e is XmlException || e is ExcelReaderException || e is NotSupportedException;

        /// <summary>What went wrong, in words (the libraries' own messages are not for users).</summary>
        public static string Describe(Exception e)
        {
            switch (e)
            {
                case XmlException xml: return Messages.Format("XmlNotWellFormed", xml.LineNumber);
                case InvalidDataException _: return Messages.Get("WorkbookIncomplete");
                case NotSupportedException _: return Messages.Get("WorkbookFeatureUnsupported");
                case EndOfStreamException _: return Messages.Get("WorkbookTruncated");
                case HeaderException _: return Messages.Get("WorkbookHeaderWrong");
                case CompoundDocumentException _: return Messages.Get("CompoundDocumentDamaged");
                default:
                    var type = e.GetType().Name;
                    if (type.IndexOf("Encrypt", StringComparison.OrdinalIgnoreCase) >= 0 || type.IndexOf("Password", StringComparison.OrdinalIgnoreCase) >= 0
                        || (e.Message ?? "").IndexOf("encrypt", StringComparison.OrdinalIgnoreCase) >= 0)
                        return Messages.Get("WorkbookEncrypted");
                    return Messages.Get("WorkbookNotUnderstood");
            }
        }

        public static AmnException Unreadable(string path, Exception e)
            => new AmnException("UnreadableWorkbook", AmnErrorCategory.InvalidData,
                Messages.Format("WorkbookNotReadable", path, Describe(e)), path, e);
    }
}
