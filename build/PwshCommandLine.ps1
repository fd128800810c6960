# Dot-sourced by build/BuildHelpers.ps1 and tests/TestHelpers.ps1.

# The command line of a fresh PowerShell like this one, as an array: 'dotnet <PSHOME>/pwsh.dll' under the
# dotnet tool, else pwsh itself (pwsh.exe on Windows). Always an array, also of one element: a one-element
# array returned plainly unrolls to a string, and [0] of that is its first letter.
function Get-PwshCommandLine([string] $ProcessPath = (Get-Process -Id $PID).Path) {
    if ([IO.Path]::GetFileNameWithoutExtension($ProcessPath) -eq 'dotnet') { return , @($ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) }
    return , @($ProcessPath)
}
