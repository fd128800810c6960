# The tests' Windows stage: the xunit Core tests (build/windows/XunitRunner) and the Pester suites in a
# self-contained win-x64 PowerShell 7 (build/windows/WinPwsh, from NuGet's Microsoft.PowerShell.SDK) under
# Debian's Wine, where $IsWindows is True, paths are C:\..., SQLite's e_sqlite3.dll loads through LoadLibrary
# and the console speaks an OEM code page.
# Dot-sourced by build.ps1 (shares $root); Invoke-WindowsStage returns the counts, or $null when Wine cannot be had.

# What making the host work needs under Wine 8 (found the hard way):
# - DOTNET_EnableWriteXorExecute=0, else the CLR crashes (0x80131506 in DynamicResolver+DestroyScout.Finalize);
# - a console: pwsh.exe allocates one (see WinPwsh/Program.cs), which Wine draws on an X display (Xvfb);
# - a persistent wineserver, so that a finished run does not seem to hang on a pipe the server inherited;
# - winedbg disabled, so that a crash ends the run instead of waiting in a debugger;
# - reflection's emitted invoke stubs (Switch.System.Reflection.ForceEmitInvoke in both projects): the second
#   exception thrown through the runtime's native MethodInfo.Invoke path hangs the process under Wine 8.
function Invoke-WindowsStage([string] $ResultsPath) {
    if (-not $IsLinux) { Write-Warning 'Windows stage skipped: it runs Windows semantics under Wine on Linux only.'; return $null }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    if (-not (Install-WineTools)) { return $null }
    Write-StageTime 'installing Wine, Xvfb and xauth where missing' $clock
    $stage = Join-Path $outPath 'windows'
    $hostPath = Join-Path $stage 'pwsh'
    $xunitPath = Join-Path $stage 'xunit'
    Write-Step 'Windows stage: publishing the win-x64 PowerShell host and the win-x64 Core tests'
    Invoke-Dotnet publish (Join-Path $root 'build/windows/WinPwsh/WinPwsh.csproj') -c Release -o $hostPath --nologo -v quiet '-clp:NoSummary;ErrorsOnly'
    Invoke-Dotnet publish (Join-Path $root 'build/windows/XunitRunner/XunitRunner.csproj') -c Release -o $xunitPath --nologo -v quiet '-clp:NoSummary;ErrorsOnly'
    Write-StageTime 'publish' $clock

    $saved = @{}
    foreach ($name in 'WINEPREFIX', 'WINEDEBUG', 'WINEDLLOVERRIDES', 'DOTNET_EnableWriteXorExecute', 'DISPLAY', 'AMN_TEST_POSTGRES', 'AMN_TEST_WINDOWS_DRIVE') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $env:WINEPREFIX = Join-Path $stage 'prefix'
    $env:WINEDEBUG = '-all'
    $env:WINEDLLOVERRIDES = 'winedbg.exe=d'
    $env:DOTNET_EnableWriteXorExecute = '0'
    # The server tests stay on Linux: the store on Windows semantics is the file; PostgreSQL's client is the same managed code.
    $env:AMN_TEST_POSTGRES = $null
    $xvfb = $null
    $drive = $null
    try {
        $xvfb = Start-Xvfb $stage
        $env:DISPLAY = ":$($xvfb.Display)"
        Write-Step "Windows stage: Wine prefix $env:WINEPREFIX on display $env:DISPLAY"
        # A new prefix first, on a server of its own: Wine makes the prefix's C: and Z: drives only where it
        # makes the dosdevices folder itself, so the stage's own drive comes after.
        if (-not (Test-Path (Join-Path $env:WINEPREFIX 'system.reg'))) {
            Invoke-Detached wineserver -p
            Invoke-Detached wineboot -i
            Invoke-Detached wineserver -k
            Write-StageTime 'new Wine prefix (wineboot -i)' $clock
        }
        # Before the persistent server starts: it reads the prefix's drives once.
        $drive = New-WineDrive 'd'
        $env:AMN_TEST_WINDOWS_DRIVE = 'D:'
        Invoke-Detached wineserver -p

        $xunitJson = Join-Path $ResultsPath 'xunit-windows.json'
        $log = Join-Path $ResultsPath 'xunit-windows.log'
        Write-Step "Windows stage: xunit Core tests, win-x64, under Wine (log: $log)"
        $exitCode = Invoke-Wine $log (Join-Path $xunitPath 'Amn.Rollover.XunitRunner.exe') (ConvertTo-WinePath $xunitJson)
        Get-Content $log | Where-Object { "$_" -match '^\[(FAIL|ERROR)\]|^xunit \(win-x64\)' } | ForEach-Object { Write-Host "  $_" }
        $xunit = Read-StageCounts $xunitJson 'Amn.Rollover.XunitRunner.exe' $exitCode
        Write-StageTime 'xunit' $clock

        $pesterJson = Join-Path $ResultsPath 'pester-windows.json'
        $log = Join-Path $ResultsPath 'pester-windows.log'
        Write-Step "Windows stage: Pester in pwsh.exe under Wine, on a store file (log: $log)"
        $arguments = @('-NoProfile', '-NonInteractive', '-File', (ConvertTo-WinePath (Join-Path $root 'build/Invoke-PesterTests.ps1')),
            '-TestsPath', (ConvertTo-WinePath (Join-Path $root 'tests')), '-PesterPath', (ConvertTo-WinePath (Get-PesterModulePath)), '-ResultPath', (ConvertTo-WinePath $pesterJson))
        $exitCode = Invoke-Wine $log (Join-Path $hostPath 'pwsh.exe') @arguments
        Get-Content $log | Where-Object { "$_" -match '^\s*(\e\[[0-9;]*m)*\s*\[-\]|Tests (completed|Passed)' } | ForEach-Object { Write-Host "  $_" }
        $pester = Read-StageCounts $pesterJson 'pwsh.exe' $exitCode
        Write-StageTime 'Pester' $clock

        [pscustomobject]@{
            Xunit = $xunit; Pester = $pester
            Passed = $xunit.Passed + $pester.Passed; Failed = $xunit.Failed + $pester.Failed; Skipped = $xunit.Skipped + $pester.Skipped
        }
    }
    finally {
        Invoke-Detached wineserver -k
        if ($drive) { Remove-WineDrive $drive }
        if ($xvfb) { Stop-Process -Id $xvfb.Process.Id -ErrorAction SilentlyContinue }
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

# How long a part of the stage took (the clock restarts for the next part): the stage's cost shows in every run's log.
function Write-StageTime([string] $Part, [Diagnostics.Stopwatch] $Clock) {
    Write-Host ("Windows stage: {0} took {1:n0} s" -f $Part, $Clock.Elapsed.TotalSeconds)
    $Clock.Restart()
}

# The counts a run under Wine wrote; a run that wrote none, or failed without a failed test, counts as one failure.
function Read-StageCounts([string] $Path, [string] $Program, [int] $ExitCode) {
    $counts = if (Test-Path $Path) { Get-Content $Path -Raw | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 } }
    if ($ExitCode -ne 0 -and $counts.Failed -eq 0) {
        Write-Host "  $Program under Wine ended with exit code $ExitCode and no failed test counted: counted as one failure"
        $counts.Failed = 1
    }
    $counts
}

# The commands the stage runs, by the Debian packages that bring each. wine64 alone is not enough: wine,
# wineboot and wineserver are commands of the package wine, which wine64 only recommends (and the install
# takes no recommends); wine64 is named too, so that wine's choice of loader is the 64-bit one.
function Get-WineToolPackages {
    [ordered]@{ wine = 'wine', 'wine64'; wineboot = 'wine', 'wine64'; wineserver = 'wine', 'wine64'; Xvfb = @('xvfb'); xauth = @('xauth') }
}

# The stage's commands, from apt when missing and allowed; false (with a warning) when they cannot be had.
function Install-WineTools {
    $packages = Get-WineToolPackages
    $missing = @($packages.Keys | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) })
    if ($missing.Count -eq 0) { return $true }
    $install = @($missing | ForEach-Object { $packages[$_] } | Select-Object -Unique)
    if ((& id -u) -ne '0' -or -not (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        Write-Warning "Windows stage skipped: $($missing -join ', ') missing and not installable here (apt-get install $($install -join ' '))."
        return $false
    }
    Write-Step "Windows stage: installing $($install -join ', ') (apt)"
    & apt-get update -qq | Out-Null
    & apt-get install -y -qq --no-install-recommends @install | Out-Null
    $exitCode = $LASTEXITCODE
    $stillMissing = @($missing | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) })
    if ($exitCode -ne 0) {
        Write-Warning "Windows stage skipped: apt-get install $($install -join ' ') failed (exit code $exitCode)."
        return $false
    }
    if ($stillMissing.Count -gt 0) {
        Write-Warning "Windows stage skipped: apt-get install $($install -join ' ') succeeded, but $($stillMissing -join ', ') is still missing."
        return $false
    }
    return $true
}

# A command whose output goes nowhere: wineserver and wineboot leave processes behind that would hold a pipe
# open, and PowerShell would wait for that pipe to close.
function Invoke-Detached([string] $Command) {
    & sh -c 'exec "$@" </dev/null >/dev/null 2>&1' sh $Command @args
}

# A Windows program under Wine, its output into a file (not a pipe, for the same reason); returns its exit code.
function Invoke-Wine([string] $LogPath, [string] $Program) {
    # At most 40 minutes (the Pester suites take about 5), so that a hang under Wine fails the run instead of stopping it.
    & sh -c 'log=$1; shift; exec timeout -k 30 2400 wine "$@" </dev/null >"$log" 2>&1' sh $LogPath $Program @args
    $LASTEXITCODE
}

# An X server on a free display (Xvfb picks it and writes its number).
function Start-Xvfb([string] $Folder) {
    New-Item -ItemType Directory -Path $Folder -Force | Out-Null
    $displayFile = Join-Path $Folder 'xvfb-display'
    Remove-Item $displayFile -ErrorAction SilentlyContinue
    # ProcessStartInfo.ArgumentList passes the script as one argument (Start-Process would split it at its spaces).
    $start = [Diagnostics.ProcessStartInfo]::new('sh')
    $start.ArgumentList.Add('-c')
    $start.ArgumentList.Add("exec Xvfb -displayfd 3 -nolisten tcp 3>'$displayFile' </dev/null >/dev/null 2>&1")
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    $deadline = (Get-Date).AddSeconds(30)
    while ((Get-Date) -lt $deadline -and -not ((Test-Path $displayFile) -and (Get-Content $displayFile -Raw))) { Start-Sleep -Milliseconds 100 }
    $display = if (Test-Path $displayFile) { "$(Get-Content $displayFile -Raw)".Trim() }
    if (-not $display) { throw 'Xvfb did not start within 30 seconds.' }
    [pscustomobject]@{ Process = $process; Display = $display }
}

# A drive letter of the stage's own, on a new temporary folder, so that the tests can keep a store on a second
# drive (D:\...) without touching anything else: Wine's drives are the links in the prefix's dosdevices folder.
function New-WineDrive([string] $Letter) {
    $folder = Join-Path ([IO.Path]::GetTempPath()) ("amn-wine-drive-$Letter-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $folder | Out-Null
    $devices = New-Item -ItemType Directory -Path (Join-Path $env:WINEPREFIX 'dosdevices') -Force
    $link = Join-Path $devices.FullName "$($Letter):"
    [IO.File]::Delete($link)
    [IO.File]::CreateSymbolicLink($link, $folder) | Out-Null
    [pscustomobject]@{ Link = $link; Folder = $folder }
}

function Remove-WineDrive($Drive) {
    [IO.File]::Delete($Drive.Link)
    Remove-Item -LiteralPath $Drive.Folder -Recurse -Force -ErrorAction SilentlyContinue
}

# A Linux path as the Windows side sees it: Wine maps / to drive Z:.
function ConvertTo-WinePath([string] $Path) { 'Z:' + $Path.Replace('/', '\') }
