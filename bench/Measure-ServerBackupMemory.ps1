<#
The memory of a backup and a restore of a large school on a school board's server: a new board database with
one school, the pupils of -StudentPath imported into it, then each measured command in a PowerShell process of
its own (Import-Module, Connect-AmnTenant, the command), which reports its peak working set (VmHWM, the most
physical memory the process ever held). The first process only connects and counts (Get-AmnTenant): what any
command costs. Then Backup-AmnTenant, and Restore-AmnTenant of that backup after 1,000 pupils were changed by hand
(-NoBackup: the safety backup is a backup, measured already), and before it Restore-AmnTenant -WhatIf, which only
checks the backup. Needs $env:AMN_TEST_POSTGRES (the Test and Bench
tasks start a server) and psql; the database is dropped at the end. Runs alone:
  dotnet pwsh bench/Measure-ServerBackupMemory.ps1 -ManifestPath ./Amn.Rollover.psd1 -StudentPath out/bench/data-100000/students.csv
#>
param(
    [Parameter(Mandatory)] [string] $ManifestPath,
    [Parameter(Mandatory)] [string] $StudentPath
)
$ErrorActionPreference = 'Stop'
$ManifestPath = (Resolve-Path $ManifestPath).Path
$StudentPath = (Resolve-Path $StudentPath).Path
. (Join-Path $PSScriptRoot '../build/TestServer.ps1')
. (Join-Path $PSScriptRoot '../build/PwshCommandLine.ps1')
$server = Get-TestServer
$database = "amn_memory_$PID"
$work = Join-Path ([IO.Path]::GetTempPath()) ("amn-memory-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null
$pwsh = Get-PwshCommandLine

# One command in a process of its own; returns the process's peak working set in MB and the command's seconds.
function Measure-InProcess([string] $Command) {
    $script = Join-Path $work 'command.ps1'
    Set-Content $script @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ManifestPath'
Connect-AmnTenant -ConnectionString '$admin' -School Bench | Out-Null
`$clock = [Diagnostics.Stopwatch]::StartNew()
$Command
`$seconds = `$clock.Elapsed.TotalSeconds
`$peak = (Get-Content /proc/self/status | Where-Object { `$_ -like 'VmHWM:*' }) -replace '\D', ''
"{0};{1}" -f ([long]`$peak / 1024).ToString([cultureinfo]::InvariantCulture), `$seconds.ToString('0.0', [cultureinfo]::InvariantCulture)
"@
    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script
    if ($LASTEXITCODE) { throw "The command failed: $Command`n$output" }
    $mb, $seconds = ($output | Select-Object -Last 1) -split ';'
    [pscustomobject]@{ Command = $Command; PeakWorkingSetMB = [double]$mb; Seconds = [double]::Parse($seconds, [cultureinfo]::InvariantCulture) }
}

try {
    Invoke-ServerSql $server.Database "CREATE DATABASE $database;"
    $owner = "Host=$($server.Host);Port=$($server.Port);Username=$($server.Username);Database=$database"
    Import-Module $ManifestPath
    [Amn.Rollover.Core.Store.Postgres.SchoolBoardDatabase]::Provision($owner) | Out-Null
    $role = [Amn.Rollover.Core.Store.Postgres.SchoolBoardDatabase]::AddSchool($owner, 'Bench')
    $login = "amn_memory_admin_$PID"
    Invoke-ServerSql $database "CREATE ROLE $login LOGIN; GRANT $role TO $login;"
    $admin = "Host=$($server.Host);Port=$($server.Port);Username=$login;Database=$database"
    Connect-AmnTenant -ConnectionString $admin -School Bench | Out-Null
    Import-AmnStudent -Path $StudentPath | Out-Null
    $pupils = (Get-AmnTenant).StudentCount
    $backup = Join-Path $work 'school.db'

    $results = @(
        Measure-InProcess 'Get-AmnTenant | Out-Null'
        Measure-InProcess "Backup-AmnTenant -Destination '$backup' | Out-Null"
    )
    Invoke-ServerSql $database "UPDATE amn_school_1.students SET first_name = first_name || 'Gewijzigd' WHERE id <= 1000;"
    $results += Measure-InProcess "Restore-AmnTenant -Path '$backup' -WhatIf"
    $results += Measure-InProcess "Restore-AmnTenant -Path '$backup' -NoBackup -Confirm:`$false | Out-Null"
    $changed = & psql -X -q -t -A -h $server.Host -p $server.Port -U $server.Username -d $database -c "SELECT count(*) FROM amn_school_1.students WHERE first_name LIKE '%Gewijzigd';"
    [pscustomobject]@{ Pupils = $pupils; BackupMB = [math]::Round((Get-Item $backup).Length / 1MB, 1); ChangedAfterRestore = [long]$changed; Results = $results }
}
finally {
    Disconnect-AmnTenant -ErrorAction SilentlyContinue
    Invoke-ServerSql $server.Database "DROP DATABASE IF EXISTS $database WITH (FORCE);"
    Invoke-ServerSql $server.Database "DROP ROLE IF EXISTS amn_memory_admin_$PID;"
    if ($role) { Invoke-ServerSql $server.Database "DROP ROLE IF EXISTS $role;" }
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
