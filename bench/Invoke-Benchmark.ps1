<#
The benchmark behind 'build.ps1 -Task Bench [-Size n]': speed and memory of the cmdlets on a
generated, fictional school board, each beside a reference measured in the same run, with the
targets marked met or not met. Prints a table and writes bench/results.json.
Times are medians of 3 runs (each on a fresh tenant) unless the row says otherwise.
#>
param(
    [Parameter(Mandatory)] [string] $ManifestPath,
    [int] $Size = 100000,
    [Parameter(Mandatory)] [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
$work = Join-Path $root "out/bench"
$runs = if ($Size -ge 1000000) { 1 } else { 3 }

function Get-PwshCommandLine {
    $exe = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { return @($exe, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($exe)
}

function New-BenchData([int] $Pupils) {
    $folder = Join-Path $work "data-$Pupils"
    if (-not (Test-Path (Join-Path $folder 'done'))) {
        Write-Host "Generating a school board of $Pupils pupils in $folder"
        & dotnet run --project (Join-Path $PSScriptRoot 'Generator') -c Release -v quiet -- $Pupils $folder | Out-Host
        if ($LASTEXITCODE) { throw 'The data generator failed.' }
        Set-Content (Join-Path $folder 'done') 'ok'
    }
    return $folder
}

function Get-Sqlite3 {
    $sqlite = Get-Command sqlite3 -ErrorAction SilentlyContinue
    if ($sqlite) { return $sqlite.Source }
    if (-not $IsLinux -or -not (Get-Command apt-get -ErrorAction SilentlyContinue)) { throw 'sqlite3 is needed for the reference measurement; install it.' }
    Write-Host 'Installing sqlite3 from apt for the reference measurement'
    & apt-get update -qq | Out-Null
    & apt-get install -y -qq sqlite3 | Out-Null
    return (Get-Command sqlite3).Source
}

# Median seconds of $runs runs of $Action; $Setup runs before each, untimed. -WarmUp runs it once
# more first, untimed.
function Measure-Median([scriptblock] $Action, [scriptblock] $Setup = {}, [int] $Count = $runs, [switch] $WarmUp) {
    if ($WarmUp) { & $Setup; & $Action }
    $times = foreach ($i in 1..$Count) {
        & $Setup
        [GC]::Collect()
        (Measure-Command { & $Action }).TotalSeconds
    }
    $sorted = @($times | Sort-Object)
    return $sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)]
}

$script:tenantNumber = 0
function New-Tenant {
    $script:tenantNumber++
    $path = Join-Path $work "tenant-$PID-$($script:tenantNumber).db"
    Remove-Item "$path*" -Force -ErrorAction SilentlyContinue
    Connect-AmnTenant -Path $path | Out-Null
}

# The commands of one admin's day on a tenant holding the pupils of $Students, warm (the session has
# read the tenant once): medians of 5, each on a pupil or group of its own. The lookup is also timed
# cold, as the first command after Connect-AmnTenant ($Connect).
function Measure-DailyCommands([string] $Students = $csv, [scriptblock] $Connect) {
    $staffFile = Join-Path $work "one-staff-$PID.csv"
    Set-Content $staffFile "gebruikersnaam;achternaam;rol`nbench@school.nl;Bench;mentor"
    Import-AmnStaff -Path $staffFile | Out-Null
    $numbers = @(Import-Csv $Students -Delimiter ';' | Select-Object -First 10 | ForEach-Object stamnr)
    $group = (Get-AmnStudent -Number $numbers[0]).Group
    $script:daily++
    $script:n = 0
    $completing = "Get-AmnStudent -Group $($group.Substring(0, 1))"
    [ordered]@{
        'Get-AmnStudent -Number, first command after Connect-AmnTenant' = Measure-Median -Count 5 -Setup $Connect { Get-AmnStudent -Number $numbers[1] | Out-Null }
        'Get-AmnStudent -Number'        = Measure-Median -Count 5 -WarmUp { Get-AmnStudent -Number $numbers[0] | Out-Null }
        'Get-AmnGroup (with counts)'    = Measure-Median -Count 5 { Get-AmnGroup | Out-Null }
        'New-AmnGroup (one group)'      = Measure-Median -Count 5 { $script:n++; New-AmnGroup -Name "Bench-$script:daily-$script:n" | Out-Null }
        'Set-AmnStaffGroupLink'         = Measure-Median -Count 5 -Setup { $script:n++; New-AmnGroup -Name "Link-$script:daily-$script:n" | Out-Null } { Set-AmnStaffGroupLink -UserName bench@school.nl -Group "Link-$script:daily-$script:n" | Out-Null }
        'Remove-AmnStudent (one pupil)' = Measure-Median -Count 5 { $script:n++; Remove-AmnStudent -Number $numbers[$script:n % 10] -Confirm:$false -WarningAction SilentlyContinue | Out-Null }
        '20 piped New-AmnGroup'         = Measure-Median -Count 5 { $script:n++; 1..20 | ForEach-Object { "Pipe-$script:daily-$script:n-$_" } | New-AmnGroup | Out-Null }
        'tab completion of -Group'      = Measure-Median -Count 5 { TabExpansion2 -inputScript $completing -cursorColumn $completing.Length | Out-Null }
    }
}
$script:daily = 0

# Backup-AmnTenant of the tenant $NewTenant makes, then Restore-AmnTenant of that backup (-NoBackup) after
# Remove-AmnGroup -All changed every pupil: the medians of $runs tenants.
function Measure-BackupAndRestore([scriptblock] $NewTenant) {
    $file = Join-Path $work "backup-$PID.db"
    $times = @(foreach ($i in 1..$runs) {
        & $NewTenant
        Remove-Item $file -ErrorAction SilentlyContinue
        [GC]::Collect()
        $backup = (Measure-Command { Backup-AmnTenant -Destination $file | Out-Null }).TotalSeconds
        Remove-AmnGroup -All -NoBackup -Confirm:$false | Out-Null
        [GC]::Collect()
        [pscustomobject]@{ Backup = $backup; Restore = (Measure-Command { Restore-AmnTenant -Path $file -NoBackup -Confirm:$false | Out-Null }).TotalSeconds }
    })
    Remove-Item $file -ErrorAction SilentlyContinue
    $middle = [int][Math]::Floor(($times.Count - 1) / 2)
    [pscustomobject]@{ Backup = @($times.Backup | Sort-Object)[$middle]; Restore = @($times.Restore | Sort-Object)[$middle] }
}

$rows = [System.Collections.Generic.List[object]]::new()
function Add-Row([string] $Name, [double] $Seconds, [Nullable[double]] $Reference = $null, [string] $ReferenceName = '', [string] $Target = '', [Nullable[bool]] $Met = $null, [string] $Note = '') {
    $rows.Add([pscustomobject]@{
        Measurement = $Name
        Seconds     = [Math]::Round($Seconds, 3)
        RowsPerSec  = if ($Seconds -gt 0 -and $Note -eq 'rows') { [int]($Size / $Seconds) } else { $null }
        Reference   = if ($null -ne $Reference) { "$ReferenceName $([Math]::Round($Reference, 3)) s" } else { '' }
        Ratio       = if ($null -ne $Reference -and $Reference -gt 0) { [Math]::Round($Seconds / $Reference, 2) } else { $null }
        Target      = $Target
        Met         = if ($null -eq $Met) { '' } elseif ($Met) { 'met' } else { 'NOT MET' }
    })
}

New-Item -ItemType Directory -Path $work -Force | Out-Null
$data = New-BenchData $Size
$csv = Join-Path $data 'students.csv'
$xlsx = Join-Path $data 'students.xlsx'
$changed = Join-Path $data 'students-changed.csv'
$cp1252 = [System.Text.CodePagesEncodingProvider]::Instance.GetEncoding(1252)

# Module import time, in fresh processes.
$pwsh = Get-PwshCommandLine
$importTimes = foreach ($i in 1..3) {
    $out = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command "(Measure-Command { Import-Module '$ManifestPath' }).TotalSeconds"
    [double]($out | Select-Object -Last 1)
}
$moduleImport = @($importTimes | Sort-Object)[1]

Import-Module $ManifestPath -Force

# References: sqlite3 .import and Import-Csv, on the same file.
$sqlite3 = Get-Sqlite3
$sqliteImport = Measure-Median -Setup { Remove-Item (Join-Path $work 'ref.db*') -Force -ErrorAction SilentlyContinue } -Action {
    & $sqlite3 (Join-Path $work 'ref.db') -cmd '.mode csv' -cmd '.separator ;' ".import '$csv' students"
    if ($LASTEXITCODE) { throw 'sqlite3 .import failed' }
}
# Warmed up: PowerShell's CSV reader needs two runs before its code is optimised, and the pipeline
# measured against it later runs warm.
$importCsvOnly = Measure-Median -WarmUp { Import-Csv $csv -Delimiter ';' -Encoding $cp1252 | Out-Null }

Add-Row 'Import-Module Amn.Rollover (fresh pwsh)' $moduleImport
Add-Row "sqlite3 .import of students.csv ($Size rows)" $sqliteImport -Note rows
Add-Row 'Import-Csv | Out-Null' $importCsvOnly -Note rows

$readCsv = Measure-Median { Read-AmnImportFile $csv | Out-Null }
Add-Row 'Read-AmnImportFile csv | Out-Null' $readCsv -Note rows
$readXlsx = Measure-Median { Read-AmnImportFile $xlsx | Out-Null }
Add-Row 'Read-AmnImportFile xlsx | Out-Null' $readXlsx $readCsv 'csv' -Note rows

$importNew = Measure-Median -Setup { New-Tenant } -Action { Import-AmnStudent -Path $csv | Out-Null }
Add-Row 'Import-AmnStudent csv, all new' $importNew $sqliteImport 'sqlite3' '<= 3x sqlite3 .import' ($importNew -le 3 * $sqliteImport) -Note rows
$importUnchanged = Measure-Median { Import-AmnStudent -Path $csv | Out-Null }
Add-Row 'Import-AmnStudent csv, unchanged re-import' $importUnchanged $sqliteImport 'sqlite3' '<= 3x sqlite3 .import' ($importUnchanged -le 3 * $sqliteImport) -Note rows
$importChanged = Measure-Median -Setup { New-Tenant; Import-AmnStudent -Path $csv | Out-Null } -Action { Import-AmnStudent -Path $changed | Out-Null }
Add-Row 'Import-AmnStudent csv, 10% changed' $importChanged $sqliteImport 'sqlite3' -Note rows
New-Tenant; Import-AmnStudent -Path $csv | Out-Null
$fileTenant = (Get-AmnTenant).Path
$fileDaily = Measure-DailyCommands -Connect { Connect-AmnTenant -Path $fileTenant | Out-Null }
$importXlsx = Measure-Median -Setup { New-Tenant } -Action { Import-AmnStudent -Path $xlsx | Out-Null }
Add-Row 'Import-AmnStudent xlsx, all new' $importXlsx $importNew 'csv import' '<= 2x csv import' ($importXlsx -le 2 * $importNew) -Note rows
$pipeline = Measure-Median -Setup { New-Tenant } -Action { Import-Csv $csv -Delimiter ';' -Encoding $cp1252 | Import-AmnStudent | Out-Null }
Add-Row 'Import-Csv | Import-AmnStudent' $pipeline $importCsvOnly 'Import-Csv|Out-Null' '<= 1.25x Import-Csv | Out-Null' ($pipeline -le 1.25 * $importCsvOnly) -Note rows

$lastYearStudents = Join-Path $data 'last-year-students.csv'
$lastYearStaff = Join-Path $data 'last-year-staff.csv'
$rolloverStudents = Join-Path $data 'rollover-students.csv'
$staffCsv = Join-Path $data 'staff.csv'
$staffXlsx = Join-Path $data 'staff.xlsx'
function New-LastYearTenant {
    New-Tenant
    Import-AmnStudent -Path $lastYearStudents -Folder 2025-2026 | Out-Null
    Import-AmnStaff -Path $lastYearStaff -CreateMissingGroups -WarningAction SilentlyContinue | Out-Null
}

$removeAll = Measure-Median -Setup { New-LastYearTenant } -Action { Remove-AmnGroup -All -Confirm:$false | Out-Null }
Add-Row 'Remove-AmnGroup -All (incl. automatic backup)' $removeAll -Note rows
$staffCount = [int]($Size / 12)
$importStaff = Measure-Median -Setup { New-Tenant; Import-AmnStudent -Path $rolloverStudents | Out-Null } -Action { Import-AmnStaff -Path $staffCsv -WarningAction SilentlyContinue | Out-Null }
Add-Row "Import-AmnStaff csv ($staffCount staff, 3-8 links each)" $importStaff
$rollover = Measure-Median -Setup { New-LastYearTenant } -Action {
    Invoke-AmnRollover -StudentPath $rolloverStudents -StaffPath $staffXlsx -Folder 2026-2027 -RemoveDepartedStaff -Confirm:$false -WarningAction SilentlyContinue | Out-Null
}
Add-Row "Invoke-AmnRollover end to end ($Size pupils, staff xlsx)" $rollover $sqliteImport 'sqlite3 .import' -Note rows
$fileBackup = Measure-BackupAndRestore { New-LastYearTenant }
Add-Row "Backup-AmnTenant ($Size pupils and their staff)" $fileBackup.Backup -Note rows
Add-Row 'Restore-AmnTenant -NoBackup of that backup after Remove-AmnGroup -All' $fileBackup.Restore -Note rows

# A school of 2,000 pupils, the whole rollover in a fresh process right after Import-Module.
$school = New-BenchData 2000
$schoolTimes = foreach ($i in 1..3) {
    $db = Join-Path $work "school-$PID-$i.db"
    Remove-Item "$db*" -Force -ErrorAction SilentlyContinue
    $script = @"
Import-Module '$ManifestPath'
Connect-AmnTenant -Path '$db' | Out-Null
Import-AmnStudent -Path '$(Join-Path $school 'last-year-students.csv')' -Tenant '$db' | Out-Null
Import-AmnStaff -Path '$(Join-Path $school 'last-year-staff.csv')' -Tenant '$db' -CreateMissingGroups -WarningAction SilentlyContinue | Out-Null
(Measure-Command { Invoke-AmnRollover -StudentPath '$(Join-Path $school 'rollover-students.csv')' -StaffPath '$(Join-Path $school 'staff.xlsx')' -Tenant '$db' -RemoveDepartedStaff -Confirm:`$false -WarningAction SilentlyContinue | Out-Null }).TotalSeconds
"@
    $out = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
    [double]($out | Select-Object -Last 1)
    Get-ChildItem $work -Filter "school-$PID-$i*" | Remove-Item -Recurse -Force
    Remove-Item (Join-Path $work 'backups') -Recurse -Force -ErrorAction SilentlyContinue
}
$schoolRollover = @($schoolTimes | Sort-Object)[1]
Add-Row 'Invoke-AmnRollover, 2,000-pupil school, first run after Import-Module' $schoolRollover -Target '< 2 s' -Met ($schoolRollover -lt 2)
$schoolStudents = Join-Path $school 'students.csv'
New-Tenant; Import-AmnStudent -Path $schoolStudents | Out-Null
$schoolTenant = (Get-AmnTenant).Path
$schoolFileDaily = Measure-DailyCommands $schoolStudents { Connect-AmnTenant -Path $schoolTenant | Out-Null }

# The school board's PostgreSQL database (the Bench task starts a server; skipped without one), each
# beside the store file: Import-AmnStudent of the same CSV into a school on the server (also beside
# psql \copy of its rows into the school's table itself), the day's commands on the 100,000- and the
# 2,000-pupil school, the staff import, the rollover, a backup and a restore, and the 2,000-pupil
# rollover in a fresh process.
if ($env:AMN_TEST_POSTGRES) {
    . (Join-Path $PSScriptRoot '../build/TestServer.ps1')
    $server = Get-TestServer
    function Get-ConnectionString([string] $Database, [string] $User) { "Host=$($server.Host);Port=$($server.Port);Username=$User;Database=$Database" }
    $script:pgNumber = 0
    function New-BoardDatabase {
        $script:pgNumber++
        $script:pgDatabase = "amn_bench_$PID`_$pgNumber"
        Invoke-ServerSql $server.Database "CREATE DATABASE $pgDatabase;"
        $owner = Get-ConnectionString $pgDatabase $server.Username
        [Amn.Rollover.Core.Store.Postgres.SchoolBoardDatabase]::Provision($owner) | Out-Null
        $role = [Amn.Rollover.Core.Store.Postgres.SchoolBoardDatabase]::AddSchool($owner, 'Bench')
        Invoke-ServerSql $pgDatabase "DO `$`$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'amn_bench_admin') THEN CREATE ROLE amn_bench_admin LOGIN; END IF; END `$`$; GRANT $role TO amn_bench_admin;"
        $script:pgAdmin = Get-ConnectionString $pgDatabase 'amn_bench_admin'
    }
    # The reference: psql \copy of the same rows, in the school's table's own columns, into that table
    # itself (its keys, its foreign key, its triggers), as the superuser.
    $tableCsv = Join-Path $work "students-table-$PID.csv"
    New-BoardDatabase
    Invoke-ServerSql $pgDatabase 'CREATE TABLE ref (stamnr text, roepnaam text, tussenv text, achternaam text, geb_datum text, geslacht text, klas text, email text);'
    Invoke-ServerSql $pgDatabase "\copy ref FROM '$csv' WITH (FORMAT csv, DELIMITER ';', HEADER, ENCODING 'WIN1252')"
    Invoke-ServerSql $pgDatabase "\copy (SELECT row_number() OVER (), r.stamnr, r.roepnaam, nullif(r.tussenv, ''), r.achternaam, nullif(r.email, ''), dense_rank() OVER (ORDER BY r.klas) + 1, now(), now(), current_date FROM ref r) TO '$tableCsv' WITH (FORMAT csv)"
    $groupsSql = "INSERT INTO amn_school_1.groups (id, name, folder_id, created_utc) SELECT dense_rank() OVER (ORDER BY klas) + 1, klas, 1, now() FROM (SELECT DISTINCT klas FROM ref) k;"
    $psqlCopy = Measure-Median -Setup {
        New-BoardDatabase
        Invoke-ServerSql $pgDatabase 'CREATE TABLE ref (stamnr text, roepnaam text, tussenv text, achternaam text, geb_datum text, geslacht text, klas text, email text);'
        Invoke-ServerSql $pgDatabase "\copy ref FROM '$csv' WITH (FORMAT csv, DELIMITER ';', HEADER, ENCODING 'WIN1252')"
        Invoke-ServerSql $pgDatabase $groupsSql
    } -Action {
        Invoke-ServerSql $pgDatabase "\copy amn_school_1.students (id, number, first_name, prefix, last_name, email, group_id, created_utc, updated_utc, last_seen_date) FROM '$tableCsv' WITH (FORMAT csv)"
    }
    Remove-Item $tableCsv -ErrorAction SilentlyContinue
    $pgCopy = Measure-Median -Setup { New-BoardDatabase; Connect-AmnTenant -ConnectionString $pgAdmin -School Bench | Out-Null } -Action {
        Import-AmnStudent -Path $csv | Out-Null
    }
    # The school written by the last run: a re-import, then the day's commands, in this session.
    function Get-PupilVersions { & psql -X -q -t -A -h $server.Host -p $server.Port -U $server.Username -d $pgDatabase -c "SELECT md5(string_agg(id || ':' || xmin, ',' ORDER BY id)) FROM amn_school_1.students;" }
    $versionsBefore = Get-PupilVersions
    $pgUnchanged = Measure-Median { Import-AmnStudent -Path $csv | Out-Null }
    $unchangedWrites = if ((Get-PupilVersions) -eq $versionsBefore) { 0 } else { 'some' }
    $pgDaily = Measure-DailyCommands -Connect { Connect-AmnTenant -ConnectionString $pgAdmin -School Bench | Out-Null }
    $pgStaff = Measure-Median -Setup { New-BoardDatabase; Connect-AmnTenant -ConnectionString $pgAdmin -School Bench | Out-Null; Import-AmnStudent -Path $rolloverStudents | Out-Null } -Action {
        Import-AmnStaff -Path $staffCsv -WarningAction SilentlyContinue | Out-Null
    }
    $pgRollover = Measure-Median -Setup {
        New-BoardDatabase
        Connect-AmnTenant -ConnectionString $pgAdmin -School Bench | Out-Null
        Import-AmnStudent -Path $lastYearStudents -Folder 2025-2026 | Out-Null
        Import-AmnStaff -Path $lastYearStaff -CreateMissingGroups -WarningAction SilentlyContinue | Out-Null
    } -Action {
        Invoke-AmnRollover -StudentPath $rolloverStudents -StaffPath $staffXlsx -Folder 2026-2027 -RemoveDepartedStaff -Confirm:$false -WarningAction SilentlyContinue | Out-Null
    }
    $pgBackup = Measure-BackupAndRestore {
        New-BoardDatabase
        Connect-AmnTenant -ConnectionString $pgAdmin -School Bench | Out-Null
        Import-AmnStudent -Path $lastYearStudents -Folder 2025-2026 | Out-Null
        Import-AmnStaff -Path $lastYearStaff -CreateMissingGroups -WarningAction SilentlyContinue | Out-Null
    }
    New-BoardDatabase
    Connect-AmnTenant -ConnectionString $pgAdmin -School Bench | Out-Null
    Import-AmnStudent -Path $schoolStudents | Out-Null
    $schoolAdmin = $pgAdmin
    $pgSchoolDaily = Measure-DailyCommands $schoolStudents { Connect-AmnTenant -ConnectionString $schoolAdmin -School Bench | Out-Null }
    $pgChanged = Measure-Median -Setup { New-BoardDatabase; Connect-AmnTenant -ConnectionString $pgAdmin -School Bench | Out-Null; Import-AmnStudent -Path $csv | Out-Null } -Action { Import-AmnStudent -Path $changed | Out-Null }
    $changedRows = & psql -X -q -t -A -h $server.Host -p $server.Port -U $server.Username -d $pgDatabase -c "SELECT count(*) FROM amn_school_1.students WHERE xmin::text = (SELECT max(xmin::text::bigint)::text FROM amn_school_1.students);"
    $pgSchoolTimes = foreach ($i in 1..3) {
        New-BoardDatabase
        $script = @"
Import-Module '$ManifestPath'
Connect-AmnTenant -ConnectionString '$pgAdmin' -School Bench | Out-Null
Import-AmnStudent -Path '$(Join-Path $school 'last-year-students.csv')' | Out-Null
Import-AmnStaff -Path '$(Join-Path $school 'last-year-staff.csv')' -CreateMissingGroups -WarningAction SilentlyContinue | Out-Null
(Measure-Command { Invoke-AmnRollover -StudentPath '$(Join-Path $school 'rollover-students.csv')' -StaffPath '$(Join-Path $school 'staff.xlsx')' -RemoveDepartedStaff -Confirm:`$false -WarningAction SilentlyContinue | Out-Null }).TotalSeconds
"@
        $out = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
        [double]($out | Select-Object -Last 1)
    }
    $pgSchoolRollover = @($pgSchoolTimes | Sort-Object)[1]
    Add-Row "psql \copy of the same $Size rows into the school's students table itself (keys, foreign key), as the superuser" $psqlCopy -Note rows
    Add-Row 'PostgreSQL: Import-AmnStudent -Path students.csv, all new, into a school on the server' $pgCopy $psqlCopy 'psql \copy' '<= 1.5x psql \copy' ($pgCopy -le 1.5 * $psqlCopy) -Note rows
    Add-Row "PostgreSQL: unchanged re-import ($unchangedWrites pupil rows written)" $pgUnchanged $importUnchanged 'store file' '<= 2x store file, no row written' ($pgUnchanged -le 2 * $importUnchanged -and $unchangedWrites -eq 0) -Note rows
    Add-Row "PostgreSQL: 10% changed ($changedRows pupil rows written by the last run)" $pgChanged $importChanged 'store file' '<= 2x store file' ($pgChanged -le 2 * $importChanged) -Note rows
    $oneRowTargets = @{ 'Get-AmnStudent -Number, first command after Connect-AmnTenant' = 0.15; 'Get-AmnStudent -Number' = 0.15; 'Get-AmnGroup (with counts)' = 0.5; 'New-AmnGroup (one group)' = 0.3; 'Set-AmnStaffGroupLink' = 0.3; 'Remove-AmnStudent (one pupil)' = 0.3; '20 piped New-AmnGroup' = 1; 'tab completion of -Group' = 0.3 }
    foreach ($command in $pgDaily.Keys) {
        Add-Row "PostgreSQL: $command, $Size-pupil school" $pgDaily[$command] $fileDaily[$command] 'store file' "<= $($oneRowTargets[$command]) s" ($pgDaily[$command] -le $oneRowTargets[$command])
    }
    foreach ($command in $pgSchoolDaily.Keys) {
        Add-Row "PostgreSQL: $command, 2,000-pupil school" $pgSchoolDaily[$command] $schoolFileDaily[$command] 'store file' "<= $($oneRowTargets[$command]) s" ($pgSchoolDaily[$command] -le $oneRowTargets[$command])
    }
    Add-Row "PostgreSQL: Import-AmnStaff csv ($staffCount staff, 3-8 links each)" $pgStaff $importStaff 'store file'
    Add-Row "PostgreSQL: Invoke-AmnRollover end to end ($Size pupils, staff xlsx)" $pgRollover $rollover 'store file' -Note rows
    Add-Row 'PostgreSQL: Invoke-AmnRollover, 2,000-pupil school on the server, first run after Import-Module' $pgSchoolRollover -Target '< 2 s' -Met ($pgSchoolRollover -lt 2)
    Add-Row "PostgreSQL: Backup-AmnTenant ($Size pupils and their staff)" $pgBackup.Backup $fileBackup.Backup 'store file' -Note rows
    Add-Row 'PostgreSQL: Restore-AmnTenant -NoBackup of that backup after Remove-AmnGroup -All' $pgBackup.Restore $fileBackup.Restore 'store file' -Note rows

    # Fair waiting: 20 sessions of one 2,000-pupil school, each in a process of its own, make 5 groups each at
    # once (bench/Measure-FairWaiting.ps1): the longest single command, its wait included, and no TenantBusy.
    New-BoardDatabase
    Connect-AmnTenant -ConnectionString $pgAdmin -School Bench | Out-Null
    Import-AmnStudent -Path (Join-Path $school 'last-year-students.csv') | Out-Null
    $fair = & (Join-Path $PSScriptRoot 'Measure-FairWaiting.ps1') -ManifestPath $ManifestPath -ConnectionString $pgAdmin -School Bench -Writers 20 -WritesEach 5
    Add-Row "PostgreSQL: 20 sessions of one 2,000-pupil school, 5 New-AmnGroup each at once: longest command, wait included (median $([Math]::Round($fair.Median, 2)) s, $($fair.Busy) TenantBusy, $($fair.Failed) failed)" $fair.Longest -Target '0 TenantBusy, < 60 s' -Met ($fair.Busy -eq 0 -and $fair.Failed -eq 0 -and $fair.Longest -lt 60)
    Disconnect-AmnTenant
    $amnHome = if ($env:AMN_ROLLOVER_HOME) { $env:AMN_ROLLOVER_HOME } else { Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'Amn.Rollover' }
    Get-ChildItem (Join-Path $amnHome 'backups') -Directory -Filter '*amn_bench_*' -ErrorAction SilentlyContinue | Remove-Item -Recurse -Force
    1..$pgNumber | ForEach-Object { Invoke-ServerSql $server.Database "DROP DATABASE IF EXISTS amn_bench_$PID`_$_ WITH (FORCE);" }
}


# One import of the whole file in a fresh process: its time and its peak working set.
function Measure-FreshImport([string] $File) {
    $db = Join-Path $work "fresh-$PID.db"
    Remove-Item "$db*" -Force -ErrorAction SilentlyContinue
    $out = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command @"
Import-Module '$ManifestPath'
Connect-AmnTenant -Path '$db' | Out-Null
`$t = (Measure-Command { Import-AmnStudent -Path '$File' -Tenant '$db' | Out-Null }).TotalSeconds
"`$t;`$((Get-Process -Id `$PID).PeakWorkingSet64)"
"@
    Remove-Item "$db*" -Force -ErrorAction SilentlyContinue
    $seconds, $peak = ($out | Select-Object -Last 1) -split ';'
    [pscustomobject]@{ Seconds = [double]$seconds; PeakBytes = [long]$peak }
}
# Three fresh processes each: the median time (a fresh process is at the mercy of whatever else the
# machine does in those seconds) and the highest peak.
function Measure-FreshImports([string] $File) {
    $runs = @(1..3 | ForEach-Object { Measure-FreshImport $File })
    [pscustomobject]@{
        Seconds   = @($runs.Seconds | Sort-Object)[1]
        PeakBytes = ($runs.PeakBytes | Measure-Object -Maximum).Maximum
    }
}
$fresh = Measure-FreshImports $csv
Add-Row "Peak working set, Import-AmnStudent of $Size rows in a fresh process (MB)" ($fresh.PeakBytes / 1MB) -Target $(if ($Size -ge 1000000) { '< 1024 MB at 1M rows' } else { '' }) -Met $(if ($Size -ge 1000000) { $fresh.PeakBytes -lt 1GB } else { $null })
if ($Size -ge 1000000) {
    $small = Measure-FreshImports (Join-Path (New-BenchData 100000) 'students.csv')
    $ratio = $fresh.Seconds / $small.Seconds
    Add-Row "Import-AmnStudent 1M / 100k time ratio, fresh processes, medians of 3 ($([Math]::Round($fresh.Seconds, 2)) s / $([Math]::Round($small.Seconds, 2)) s; ideal 10)" $ratio -Target '~10 (linear)' -Met ($ratio -le 12)
}

foreach ($command in $fileDaily.Keys) { Add-Row "Store file: $command, $Size-pupil school (Remove-AmnStudent rewrites the file)" $fileDaily[$command] }
foreach ($command in $schoolFileDaily.Keys) { Add-Row "Store file: $command, 2,000-pupil school" $schoolFileDaily[$command] }

$peak = (Get-Process -Id $PID).PeakWorkingSet64
Add-Row "Peak working set of the benchmark process, all measurements (MB)" ($peak / 1MB)

Disconnect-AmnTenant
Get-ChildItem $work -Filter "tenant-$PID-*" | Remove-Item -Force
Remove-Item (Join-Path $work 'backups') -Recurse -Force -ErrorAction SilentlyContinue

$rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
[ordered]@{
    Date        = (Get-Date).ToString('o')
    Size        = $Size
    Runs        = $runs
    Machine     = "$([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), $([System.Runtime.InteropServices.RuntimeInformation]::FrameworkDescription)"
    Results     = $rows
} | ConvertTo-Json -Depth 4 | Set-Content -Path $ResultPath -Encoding utf8
Write-Host "Results written to $ResultPath"
