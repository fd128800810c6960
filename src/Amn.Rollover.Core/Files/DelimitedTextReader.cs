using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// Splits delimited text into rows of fields (RFC 4180: quoted fields, "" for a quote, line breaks
    /// inside quotes) and tells the line each row starts on, as a text editor counts lines.
    /// Lenient like the programs that write these files: a quote inside an unquoted field is text, text
    /// after a closing quote is kept. Empty lines are skipped. Refused, naming the row and column: a
    /// quote never closed (it would swallow the rest of the file), a field longer than Excel's 32,767
    /// characters and a row of more than 16,384 fields, each before more of the file is read.
    /// </summary>
    /// <remarks>
    /// Written for the import's hot path instead of CsvHelper's parser: it is compiled optimised from the
    /// first row, where CsvHelper's runs unoptimised for the first few hundred thousand rows of a
    /// PowerShell session, and it makes one string per field and one array per row, nothing more.
    /// </remarks>
    internal sealed class DelimitedTextReader : IDisposable
    {
        private const int NeedMoreText = -1, EndOfText = 0, RowRead = 1;
        private readonly TextReader _reader;
        private readonly char _delimiter;
        private readonly string _source;
        private readonly List<string> _fields = new List<string>(16);
        private readonly StringBuilder _quoted = new StringBuilder();
        private char[] _buffer = new char[64 * 1024];
        private int _length;   // characters in _buffer
        private int _position; // the first character not yet parsed
        private int _line = 1; // the line _position is on
        private bool _endOfInput;
        private bool[] _pooledColumns = Array.Empty<bool>();
        private StringPool _pool;

        /// <param name="source">How errors name the text: the file's path.</param>
        public DelimitedTextReader(TextReader reader, char delimiter, string source = null)
        {
            _reader = reader;
            _delimiter = delimiter;
            _source = source ?? Messages.Get("TheText");
        }

        /// <summary>
        /// From now on, unquoted values of the given columns come from <paramref name="pool"/>: a value seen
        /// before costs no new string. For columns whose values repeat, such as names, groups and dates.
        /// </summary>
        public void ShareValues(bool[] columns, StringPool pool)
        {
            _pooledColumns = columns;
            _pool = pool;
        }

        /// <summary>The line the current row starts on (1 for the first line).</summary>
        public int RowNumber { get; private set; }

        /// <summary>The current row's fields: a fresh array per row.</summary>
        public string[] Fields { get; private set; }

        /// <summary>Advances to the next row; false at the end of the text.</summary>
        [MethodImpl(HotPath.Optimize)]
        public bool Read()
        {
            while (true)
            {
                var result = TryParseRow();
                if (result != NeedMoreText) return result == RowRead;
                ReadMoreText();
            }
        }

        /// <summary>
        /// Parses the row at <see cref="_position"/> when the buffer holds all of it; a row cut off by the
        /// end of the buffer is parsed again from its start once more text is in.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        private int TryParseRow()
        {
            var buffer = _buffer;
            int end = _length, i = _position, line = _line;
            bool more = !_endOfInput;

            while (true) // empty lines, passed for good: a file of nothing else must not pile up in the buffer
            {
                if (i >= end || (buffer[i] == '\r' && i + 1 >= end && more))
                {
                    _position = i;
                    _line = line;
                    return i >= end && !more ? EndOfText : NeedMoreText;
                }
                var c = buffer[i];
                if (c == '\n') { i++; line++; continue; }
                if (c != '\r') break;
                i += i + 1 < end && buffer[i + 1] == '\n' ? 2 : 1;
                line++;
            }

            int rowLine = line;
            _fields.Clear();
            while (true) // one field per pass
            {
                if (i < end && buffer[i] == '"')
                {
                    _quoted.Clear();
                    i++;
                    while (true)
                    {
                        if (_quoted.Length > ExcelLimits.MaxCellCharacters) throw FieldTooLong(rowLine);
                        if (i >= end)
                        {
                            if (more) return NeedMoreText;
                            throw UnclosedQuote(rowLine);
                        }
                        var c = buffer[i];
                        if (c == '"')
                        {
                            if (i + 1 >= end && more) return NeedMoreText;
                            if (i + 1 < end && buffer[i + 1] == '"') { _quoted.Append('"'); i += 2; continue; }
                            i++;
                            break;
                        }
                        if (c == '\n') line++;
                        else if (c == '\r')
                        {
                            if (i + 1 >= end && more) return NeedMoreText;
                            if (i + 1 >= end || buffer[i + 1] != '\n') line++;
                        }
                        _quoted.Append(c);
                        i++;
                    }
                    int rest = i;
                    i = EndOfField(buffer, i, end);
                    if (_quoted.Length + i - rest > ExcelLimits.MaxCellCharacters) throw FieldTooLong(rowLine);
                    if (i >= end && more) return NeedMoreText;
                    _quoted.Append(buffer, rest, i - rest);
                    _fields.Add(_quoted.ToString());
                }
                else
                {
                    int start = i;
                    i = EndOfField(buffer, i, end);
                    if (i - start > ExcelLimits.MaxCellCharacters) throw FieldTooLong(rowLine);
                    if (i >= end && more) return NeedMoreText;
                    var column = _fields.Count;
                    _fields.Add(i == start ? string.Empty
                        : column < _pooledColumns.Length && _pooledColumns[column] ? _pool.Get(new ReadOnlySpan<char>(buffer, start, i - start))
                        : new string(buffer, start, i - start));
                }

                if (i < end && buffer[i] == _delimiter)
                {
                    if (_fields.Count >= ExcelLimits.MaxColumns)
                        throw new AmnException("FileLimitExceeded", AmnErrorCategory.LimitsExceeded,
                            Messages.Format("TooManyColumns", _source, rowLine, ExcelLimits.MaxColumns), _source);
                    i++;
                    continue;
                }
                if (i < end) // a line break ends the row
                {
                    if (buffer[i] == '\r')
                    {
                        if (i + 1 >= end && more) return NeedMoreText;
                        i += i + 1 < end && buffer[i + 1] == '\n' ? 2 : 1;
                    }
                    else i++;
                    line++;
                }
                break;
            }

            _position = i;
            _line = line;
            RowNumber = rowLine;
            Fields = _fields.ToArray();
            return RowRead;
        }

        private AmnException FieldTooLong(int row)
            => new AmnException("FileLimitExceeded", AmnErrorCategory.LimitsExceeded,
                Messages.Format("CellTooLongInText", _source, row, _fields.Count + 1, ExcelLimits.MaxCellCharacters), _source);

        private AmnException UnclosedQuote(int row)
            => new AmnException("UnclosedQuote", AmnErrorCategory.InvalidData,
                Messages.Format("UnclosedQuote", _source, _fields.Count + 1, row), _source);

        [MethodImpl(HotPath.Optimize)]
        private int EndOfField(char[] buffer, int i, int end)
        {
            var delimiter = _delimiter;
            while (i < end)
            {
                var c = buffer[i];
                if (c == delimiter || c == '\n' || c == '\r') break;
                i++;
            }
            return i;
        }

        /// <summary>Moves the unparsed text to the front of the buffer (growing it when a row fills it) and reads more after it.</summary>
        private void ReadMoreText()
        {
            int unparsed = _length - _position;
            if (_position > 0)
            {
                Array.Copy(_buffer, _position, _buffer, 0, unparsed);
                _position = 0;
                _length = unparsed;
            }
            if (_length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            int read = _reader.Read(_buffer, _length, _buffer.Length - _length);
            if (read == 0) _endOfInput = true;
            else _length += read;
        }

        public void Dispose() => _reader.Dispose();
    }
}
