<#
Fair waiting on a school board's server: $Writers PowerShell sessions of one school, each in a process of
its own, are started together and each makes $WritesEach groups (New-AmnGroup, one row each) as fast as it
can, with the default -BusyTimeoutSec. Returns the longest and the median single command (its wait for the
school's lock included), how many ended in TenantBusy, how many failed otherwise, and the wall time.
Called by Invoke-Benchmark.ps1 (server section); runs alone too:
  dotnet pwsh bench/Measure-FairWaiting.ps1 -ManifestPath ./Amn.Rollover.psd1 -ConnectionString 'Host=...;Username=...;Database=...' -School Bench
#>
param(
    [Parameter(Mandatory)] [string] $ManifestPath,
    [Parameter(Mandatory)] [string] $ConnectionString,
    [Parameter(Mandatory)] [string] $School,
    [int] $Writers = 20,
    [int] $WritesEach = 5
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '../build/PwshCommandLine.ps1')
$work = Join-Path ([IO.Path]::GetTempPath()) ("amn-fair-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null
$go = Join-Path $work 'go'
# One writer: connects, writes once, says it is ready, waits for the start, then writes; one line per command: seconds;outcome.
$writer = Join-Path $work 'writer.ps1'
Set-Content $writer @'
param([string] $Settings)
$s = Get-Content $Settings -Raw | ConvertFrom-Json
Import-Module $s.Manifest
Connect-AmnTenant -ConnectionString $s.ConnectionString -School $s.School | Out-Null
New-AmnGroup -Name "$($s.Name)-0" | Out-Null # warm: the measured commands are not a new process's first
Set-Content $s.Ready 'ready'
while (-not (Test-Path $s.Go)) { Start-Sleep -Milliseconds 10 }
foreach ($i in 1..$s.Count) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $outcome = try { New-AmnGroup -Name "$($s.Name)-$i" -ErrorAction Stop | Out-Null; 'ok' } catch { ($_.FullyQualifiedErrorId -split ',')[0] }
    "$($clock.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture));$outcome"
}
'@
$pwsh = Get-PwshCommandLine
try {
    $processes = foreach ($n in 1..$Writers) {
        $settings = Join-Path $work "writer-$n.json"
        @{ Manifest = $ManifestPath; ConnectionString = $ConnectionString; School = $School; Ready = (Join-Path $work "ready-$n"); Go = $go; Count = $WritesEach; Name = "Fair-$PID-$n" } |
            ConvertTo-Json | Set-Content $settings
        $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $writer, $settings)
        Start-Process -FilePath $pwsh[0] -ArgumentList $arguments -RedirectStandardOutput (Join-Path $work "out-$n.txt") -RedirectStandardError (Join-Path $work "err-$n.txt") -PassThru -NoNewWindow
    }
    while (@(Get-ChildItem $work -Filter 'ready-*').Count -lt $Writers) {
        if (@($processes | Where-Object HasExited).Count) { throw "A writer ended before the start: $(Get-Content (Join-Path $work 'err-*.txt') -Raw)" }
        Start-Sleep -Milliseconds 50
    }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Set-Content $go 'go'
    $processes | Wait-Process
    $wall = $clock.Elapsed.TotalSeconds
    $commands = @(foreach ($n in 1..$Writers) {
        Get-Content (Join-Path $work "out-$n.txt") | Where-Object { $_ -match '^[\d.]+;' } | ForEach-Object {
            $seconds, $outcome = $_ -split ';'
            [pscustomobject]@{ Seconds = [double]::Parse($seconds, [cultureinfo]::InvariantCulture); Outcome = $outcome }
        }
    })
    $times = @($commands.Seconds | Sort-Object)
    [pscustomobject]@{
        Commands = $commands.Count
        Longest  = $times[-1]
        Median   = $times[[int][Math]::Floor(($times.Count - 1) / 2)]
        Busy     = @($commands | Where-Object Outcome -eq 'TenantBusy').Count
        Failed   = @($commands | Where-Object { $_.Outcome -notin 'ok', 'TenantBusy' }).Count + ($Writers * $WritesEach - $commands.Count)
        Wall     = $wall
    }
}
finally {
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
