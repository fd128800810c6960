using System;
using System.Runtime.InteropServices;
using System.Security;

namespace Amn.Rollover.Core.Native
{
    /// <summary>
    /// The few SQLite calls a bulk read or write makes per value, declared directly on the statement pointer.
    /// SQLitePCL's own entry points take a SafeHandle (a reference count taken and released on every
    /// call) and bind text only as copies; these let a statement bind UTF-8 text it keeps alive itself.
    /// Same library as SQLitePCL: <see cref="NativeSqlite"/> resolves "e_sqlite3" for this assembly too.
    /// </summary>
    [SuppressUnmanagedCodeSecurity]
    internal static unsafe class SqliteCalls
    {
        private const string Library = "e_sqlite3";

        /// <summary>SQLITE_STATIC: SQLite uses the text where it is, without a copy, until it is rebound.</summary>
        public static readonly IntPtr Static = IntPtr.Zero;
        /// <summary>SQLITE_TRANSIENT: SQLite copies the text before the call returns.</summary>
        public static readonly IntPtr Transient = new IntPtr(-1);

        [DllImport(Library, EntryPoint = "sqlite3_bind_text", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int BindText(IntPtr statement, int index, byte* text, int bytes, IntPtr destructor);

        [DllImport(Library, EntryPoint = "sqlite3_bind_null", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int BindNull(IntPtr statement, int index);

        [DllImport(Library, EntryPoint = "sqlite3_bind_int64", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int BindInt64(IntPtr statement, int index, long value);

        [DllImport(Library, EntryPoint = "sqlite3_step", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int Step(IntPtr statement);

        [DllImport(Library, EntryPoint = "sqlite3_column_text", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern byte* ColumnText(IntPtr statement, int column);

        [DllImport(Library, EntryPoint = "sqlite3_column_bytes", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ColumnBytes(IntPtr statement, int column);

        [DllImport(Library, EntryPoint = "sqlite3_column_int64", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern long ColumnInt64(IntPtr statement, int column);

        [DllImport(Library, EntryPoint = "sqlite3_column_type", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int ColumnType(IntPtr statement, int column);

        [DllImport(Library, EntryPoint = "sqlite3_reset", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern int Reset(IntPtr statement);
    }
}
