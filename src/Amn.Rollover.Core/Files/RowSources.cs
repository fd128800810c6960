using System;
using System.IO;
using System.Text;
using ExcelDataReader;

namespace Amn.Rollover.Core.Files
{
    /// <summary>A source of raw rows: cells as read (text, or numbers and dates from a workbook) with the row number a person sees.</summary>
    internal interface IRowSource : IDisposable
    {
        /// <summary>Advances to the next row; false at the end.</summary>
        bool Read();
        int RowNumber { get; }
        object[] Cells { get; }
        /// <summary>How far through the file reading is, from 0 to 1.</summary>
        double Fraction { get; }
        /// <summary>Lets the source take text cells of the given columns from the pool (a source may ignore it).</summary>
        void ShareValues(bool[] columns, StringPool pool);
    }

    internal sealed class CsvRowSource : IRowSource
    {
        private readonly DelimitedTextReader _parser;
        private readonly Stream _stream;
        private readonly long _length;
        private readonly int _bomLength;
        private readonly Encoding _encoding;
        private readonly string _path;

        /// <summary>Rows of text from <paramref name="stream"/> past its byte-order mark; <paramref name="encoding"/> throws on bytes it cannot decode.</summary>
        public CsvRowSource(Stream stream, int bomLength, Encoding encoding, char delimiter, string path)
        {
            _stream = stream;
            _bomLength = bomLength;
            _encoding = encoding;
            _path = path;
            _length = stream.Length; // asking a FileStream for its length is a system call; the file does not grow while it is read
            _parser = new DelimitedTextReader(new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024), delimiter, $"'{path}'");
        }

        public int RowNumber => _parser.RowNumber;
        /// <summary>A fresh string[] per row; read only, so it serves as object[] as it is.</summary>
        public object[] Cells => _parser.Fields;
        public double Fraction => _length == 0 ? 1 : Math.Min(1, (double)_stream.Position / _length);

        public bool Read()
        {
            try { return _parser.Read(); }
            catch (DecoderFallbackException) { throw TextFormat.UndecodableText(_stream, _bomLength, _encoding, _path); }
        }

        public void ShareValues(bool[] columns, StringPool pool) => _parser.ShareValues(columns, pool);

        public void Dispose() => _parser.Dispose();
    }

    /// <summary>The rows of a legacy .xls worksheet, through ExcelDataReader.</summary>
    internal sealed class ExcelRowSource : IRowSource
    {
        private readonly IExcelDataReader _reader;
        private int _row;

        public ExcelRowSource(IExcelDataReader reader)
        {
            _reader = reader;
        }

        public int RowNumber => _row;
        public object[] Cells { get; private set; }
        public double Fraction => _reader.RowCount == 0 ? 1 : Math.Min(1, (double)_row / _reader.RowCount);

        /// <summary>Workbook cells arrive as objects from ExcelDataReader; there is nothing to share before they exist.</summary>
        public void ShareValues(bool[] columns, StringPool pool) { }

        public bool Read()
        {
            if (!_reader.Read()) return false;
            _row++;
            var cells = new object[_reader.FieldCount];
            for (int i = 0; i < cells.Length; i++) cells[i] = _reader.GetValue(i);
            Cells = cells;
            return true;
        }

        public void Dispose() => _reader.Dispose();
    }
}
