using System;
using System.Runtime.InteropServices;
using Microsoft.PowerShell;

namespace Amn.Rollover.Build.WinPwsh
{
    // pwsh.exe for the Windows stage: PowerShell's own ConsoleHost, given a console first. Under Wine a
    // process started from a pipe has none, and ConsoleHost then fails on the console output buffer,
    // prints nothing and exits 0. So the host allocates one (Wine draws it on the stage's Xvfb display)
    // and puts back the redirected standard handles, so that output still goes to the caller's pipes.
    internal static class Program
    {
        private const int StandardInput = -10;
        private const int StandardOutput = -11;
        private const int StandardError = -12;
        private const uint FileTypeUnknown = 0;

        private static int Main(string[] args)
        {
            if (GetConsoleWindow() == IntPtr.Zero)
            {
                int[] kinds = { StandardInput, StandardOutput, StandardError };
                var handles = new IntPtr[kinds.Length];
                for (int i = 0; i < kinds.Length; i++) handles[i] = GetStdHandle(kinds[i]);
                // Wine attaches a console app started from a pipe to a headless console, which has no output buffer: leave it first.
                if (!AllocConsole())
                {
                    FreeConsole();
                    AllocConsole();
                }
                for (int i = 0; i < kinds.Length; i++)
                {
                    if (IsUsable(handles[i])) SetStdHandle(kinds[i], handles[i]);
                }
            }
            return ConsoleShell.Start(null, null, args);
        }

        private static bool IsUsable(IntPtr handle)
            => handle != IntPtr.Zero && handle != new IntPtr(-1) && GetFileType(handle) != FileTypeUnknown;

        [DllImport("kernel32.dll")] private static extern IntPtr GetConsoleWindow();
        [DllImport("kernel32.dll", SetLastError = true)] private static extern bool AllocConsole();
        [DllImport("kernel32.dll")] private static extern bool FreeConsole();
        [DllImport("kernel32.dll")] private static extern IntPtr GetStdHandle(int kind);
        [DllImport("kernel32.dll")] private static extern bool SetStdHandle(int kind, IntPtr handle);
        [DllImport("kernel32.dll")] private static extern uint GetFileType(IntPtr handle);
    }
}
