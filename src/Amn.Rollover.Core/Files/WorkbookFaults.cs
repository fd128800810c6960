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
                case XmlException xml: return $"its XML is not well-formed near line {xml.LineNumber}";
                case InvalidDataException _: return "it is not a complete Excel workbook (its zip package is damaged, or a part is missing)";
                case NotSupportedException _: return "it uses a feature or an encryption this reader does not support";
                case EndOfStreamException _: return "it ends too early (the file is truncated)";
                case HeaderException _: return "its header is not that of an Excel workbook";
                case CompoundDocumentException _: return "its compound-document structure (the container of an .xls file) is damaged";
                default:
                    var type = e.GetType().Name;
                    if (type.IndexOf("Encrypt", StringComparison.OrdinalIgnoreCase) >= 0 || type.IndexOf("Password", StringComparison.OrdinalIgnoreCase) >= 0
                        || (e.Message ?? "").IndexOf("encrypt", StringComparison.OrdinalIgnoreCase) >= 0)
                        return "it is encrypted (protected with a password)";
                    return "it is not a workbook this reader understands";
            }
        }

        public static AmnException Unreadable(string path, Exception e)
            => new AmnException("UnreadableWorkbook", AmnErrorCategory.InvalidData,
                $"Cannot read the workbook '{path}': {Describe(e)}. It may be damaged or protected with a password; open it in Excel and save it again.", path, e);
    }
}
