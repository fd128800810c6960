# Dot-sourced by every *.Tests.ps1 in BeforeAll: the module under test and small helpers.
$script:RepoRoot = Split-Path $PSScriptRoot -Parent
$script:ManifestPath = Join-Path $RepoRoot 'Amn.Rollover.psd1'
Import-Module $ManifestPath -Force -ErrorAction Stop

# The default store and the automatic backups of server schools go into a folder of the test run, never
# into the user's own: on Windows, LOCALAPPDATA and HOME do not move local application data.
if (-not $env:AMN_ROLLOVER_HOME) { $env:AMN_ROLLOVER_HOME = Join-Path ([IO.Path]::GetTempPath()) ('amn-pester-home-' + [guid]::NewGuid().ToString('N').Substring(0, 8)) }

# Get-PwshCommandLine: the command line of a fresh PowerShell like this one.
. (Join-Path $PSScriptRoot '../build/PwshCommandLine.ps1')

# Runs a script block's text in a new pwsh process and returns its output lines; $LASTEXITCODE is set.
function Invoke-FreshPwsh([string] $Command, [hashtable] $Environment = @{}) {
    $pwsh = Get-PwshCommandLine
    $saved = @{}
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
    try {
        $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Command))
        & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1 | ForEach-Object { "$_" }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

# Starts a pwsh process in the background (for lock and kill tests); returns the Process.
function Start-FreshPwsh([string] $Command) {
    $pwsh = Get-PwshCommandLine
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Command))
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)
    Start-Process -FilePath $pwsh[0] -ArgumentList $arguments -PassThru -RedirectStandardOutput ([IO.Path]::GetTempFileName()) -RedirectStandardError ([IO.Path]::GetTempFileName())
}

function New-TestFolder {
    $path = Join-Path ([IO.Path]::GetTempPath()) ("amn-pester-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $path | Out-Null
    return $path
}

# Makes a symbolic link and says whether one was really made: Wine reports success and makes nothing,
# and Windows refuses without developer mode or elevation.
# Windows, and Wine, delete a file only once its last handle is closed, so just after a command the test's folder can
# still be "not empty": its removal is tried again for a few seconds before it counts as a failure.
function Remove-TestFolder([string] $Path) {
    for ($attempt = 1; ; $attempt++) {
        try { Remove-Item $Path -Recurse -Force -ErrorAction Stop; return }
        catch { if ($attempt -ge 30 -or -not (Test-Path $Path)) { throw }; Start-Sleep -Milliseconds 100 }
    }
}

function New-TestSymbolicLink([string] $Path, [string] $Target) {
    try { New-Item -ItemType SymbolicLink -Path $Path -Target $Target -ErrorAction Stop | Out-Null }
    catch { return $false }
    $item = Get-Item -LiteralPath $Path -Force -ErrorAction SilentlyContinue
    [bool] ($item -and $item.LinkType -eq 'SymbolicLink' -and $item.LinkTarget)
}

function Get-FileHashString([string] $Path) { (Get-FileHash -Path $Path -Algorithm SHA256).Hash }

# A large school's student files: last year's (groups G0, G1, ...) and this year's (the same pupils, groups N0, N1, ...), 28 to a group.
function Write-LargeSchoolFiles([string] $Folder, [int] $Pupils, [string] $NewFirstName = 'Jan') {
    $last = [Text.StringBuilder]::new("stamnr;roepnaam;achternaam;klas`n")
    $new = [Text.StringBuilder]::new("stamnr;roepnaam;achternaam;klas`n")
    for ($i = 0; $i -lt $Pupils; $i++) {
        [void]$last.Append($i.ToString('D7')).Append(';Jan;Jansen;G').Append([int]($i / 28)).Append("`n")
        [void]$new.Append($i.ToString('D7')).Append(";$NewFirstName;Jansen;N").Append([int]($i / 28)).Append("`n")
    }
    $lastFile = Join-Path $Folder 'vorig.csv'; [IO.File]::WriteAllText($lastFile, $last.ToString())
    $newFile = Join-Path $Folder 'nieuw.csv'; [IO.File]::WriteAllText($newFile, $new.ToString())
    [pscustomobject]@{ LastYear = $lastFile; ThisYear = $newFile }
}

# A Dutch secondary school of 405 pupils, as the rollover meets it: mavo 1-4, havo 1-5 and vwo 1-6,
# one group of 27 per year (M1a ... V6a). Last year's files; this year's, where the exam classes
# (M4a, H5a, V6a) have left, $OtherLeavers pupils left from the other groups, everyone else moved up
# a year and a first-year intake of 81 arrived; and both years' staff files (a mentor per group and
# two teachers). -GroupName rewrites a group's name in both years (a school whose names differ).
function Write-SchoolYear([string] $Folder, [int] $OtherLeavers = 5, [scriptblock] $GroupName = { param($level, $year) "$level${year}a" }) {
    $levels = [ordered]@{ M = 4; H = 5; V = 6 }
    $lastRows = [Collections.Generic.List[string]]::new(); $newRows = [Collections.Generic.List[string]]::new()
    $lastGroups = @(); $newGroups = @()
    $number = 100000; $left = 0; $perGroup = [math]::Ceiling($OtherLeavers / 12)
    foreach ($level in $levels.Keys) {
        for ($year = 1; $year -le $levels[$level]; $year++) {
            $group = & $GroupName $level $year
            $lastGroups += $group
            $next = if ($year -lt $levels[$level]) { & $GroupName $level ($year + 1) }
            for ($i = 0; $i -lt 27; $i++) {
                $number++
                $lastRows.Add("$number;Leerling$number;Jansen;$group")
                if (-not $next) { continue }
                if ($left -lt $OtherLeavers -and $i -ge 13 -and $i -lt 13 + $perGroup) { $left++; continue }
                $newRows.Add("$number;Leerling$number;Jansen;$next")
            }
        }
    }
    foreach ($level in $levels.Keys) {
        for ($year = 1; $year -le $levels[$level]; $year++) { $newGroups += & $GroupName $level $year }
        for ($i = 0; $i -lt 27; $i++) { $number++; $newRows.Insert(0, "$number;Nieuw$number;de Boer;$(& $GroupName $level 1)") }
    }
    function Write-Staff([string] $Path, [string[]] $Groups) {
        $lines = @('gebruikersnaam;voornaam;achternaam;rol;klas')
        for ($g = 0; $g -lt $Groups.Count; $g++) { $lines += "mentor$g@school.example.nl;Mentor;Nummer$g;mentor;$($Groups[$g])" }
        $lines += "docent.a@school.example.nl;Anna;Docent;docent;$($Groups[0..6] -join ', ')"
        $lines += "docent.b@school.example.nl;Bert;Docent;docent;$($Groups[7..14] -join ', ')"
        Set-Content -Path $Path -Value $lines -Encoding utf8
    }
    $files = [pscustomobject]@{
        LastStudents = Join-Path $Folder 'leerlingen-2025.csv'; LastStaff = Join-Path $Folder 'personeel-2025.csv'
        Students = Join-Path $Folder 'leerlingen-2026.csv'; Staff = Join-Path $Folder 'personeel-2026.csv'
    }
    Set-Content -Path $files.LastStudents -Value (@('leerlingnummer;roepnaam;achternaam;klas') + $lastRows) -Encoding utf8
    Set-Content -Path $files.Students -Value (@('leerlingnummer;roepnaam;achternaam;klas') + $newRows) -Encoding utf8
    Write-Staff $files.LastStaff $lastGroups
    Write-Staff $files.Staff $newGroups
    $files
}

# The README's scheduled script (section "### Scheduled") and the arguments the README gives Task Scheduler, as the
# README has them: the tests run that text, so that the README says what was tried.
function Get-ReadmeScheduledTask {
    $readme = Get-Content (Join-Path $RepoRoot 'README.md') -Raw
    $section = [regex]::Match($readme, '(?s)### Scheduled\r?\n(.*?)\r?\n## ').Groups[1].Value
    $script = [regex]::Match($section, '(?s)```powershell\r?\n(.*?)```').Groups[1].Value
    $arguments = [regex]::Match($section, '(?s)Task Scheduler: program `pwsh\.exe`.*?arguments\s+`([^`]+)`').Groups[1].Value
    [pscustomobject]@{ Script = $script; Arguments = @($arguments -split '\s+' | Where-Object { $_ }) }
}

# Get-TestServer and Invoke-ServerSql: the test server and SQL on it as its owner.
. (Join-Path $PSScriptRoot '../build/TestServer.ps1')

# A new school board database on the test server, provisioned; returns its name.
function New-TestBoard {
    $server = Get-TestServer
    $database = 'amn_pester_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    Invoke-ServerSql $server.Database "CREATE DATABASE $database;"
    [Amn.Rollover.Core.Store.Postgres.SchoolBoardDatabase]::Provision((Get-TestBoardOwner $database)) | Out-Null
    $database
}

function Get-TestBoardOwner([string] $Database) {
    $server = Get-TestServer
    "Host=$($server.Host);Port=$($server.Port);Username=$($server.Username);Database=$Database"
}

# The module's own folder, where the default store and the automatic backups of server schools go.
function Get-AmnRolloverHome {
    if ($env:AMN_ROLLOVER_HOME) { return $env:AMN_ROLLOVER_HOME }
    Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'Amn.Rollover'
}

# Drops a test board database and every role made for it.
function Remove-TestBoard([string] $Database) {
    $server = Get-TestServer
    Invoke-ServerSql $server.Database "DROP DATABASE IF EXISTS $Database WITH (FORCE);"
    $roles = & psql -X -q -t -A -h $server.Host -p $server.Port -U $server.Username -d $server.Database -c "SELECT rolname FROM pg_roles WHERE rolname LIKE '${Database}%' OR rolname LIKE 'amn_${Database}%';"
    foreach ($role in $roles | Where-Object { $_ }) { Invoke-ServerSql $server.Database "DROP ROLE IF EXISTS $role;" }
    # The automatic backups of its schools, in the user's local application data.
    Get-ChildItem (Join-Path (Get-AmnRolloverHome) 'backups') -Directory -Filter "*$Database*" -ErrorAction SilentlyContinue | Remove-Item -Recurse -Force
}

# A new school on the board $Database with an admin who may use only it; returns the admin's connection string.
function New-TestSchool([string] $Database, [string] $School) {
    $server = Get-TestServer
    $role = [Amn.Rollover.Core.Store.Postgres.SchoolBoardDatabase]::AddSchool((Get-TestBoardOwner $Database), $School)
    $admin = "${Database}_" + [guid]::NewGuid().ToString('N').Substring(0, 8)
    Invoke-ServerSql $Database "CREATE ROLE $admin LOGIN; GRANT $role TO $admin;"
    "Host=$($server.Host);Port=$($server.Port);Database=$Database;Username=$admin"
}

# The tests that run on both stores get their tenant here: a new store file in $Folder, or, when
# $env:AMN_TEST_STORE is PostgreSQL, a new school on the test board $env:AMN_TEST_BOARD. Connected; returns its TenantInfo.
function New-TestTenant([string] $Folder, [string] $Name = 'school') {
    if (-not (Test-ServerStore)) {
        $info = Connect-AmnTenant -Path (Join-Path $Folder "$Name.db")
        $global:AmnTestConnect[$info.Path] = "Connect-AmnTenant -Path '$($info.Path)'"
        return $info
    }
    $school = "$Name " + [guid]::NewGuid().ToString('N').Substring(0, 6)
    $connectionString = New-TestSchool $env:AMN_TEST_BOARD $school
    $info = Connect-AmnTenant -ConnectionString $connectionString -School $school
    $global:AmnTestConnect[$info.Path] = "Connect-AmnTenant -ConnectionString '$connectionString' -School '$school'"
    $global:AmnTestSchools[$info.Path] = $school
    $info
}
if ($null -eq $global:AmnTestConnect) { $global:AmnTestConnect = @{}; $global:AmnTestSchools = @{} }

# The command that connects a test tenant in a fresh session (a runspace or process of its own).
function Get-TestConnectCommand($Tenant) { $global:AmnTestConnect[$Tenant.Path] }

# The tables of a tenant's data, on either store.
$script:TenantTables = 'folders', 'groups', 'students', 'staff', 'staff_roles', 'staff_groups', 'audit_log'

# An open connection to an SQLite file, without a connection pool, through the module's own
# Microsoft.Data.Sqlite (loaded from its folder when the module has not needed it yet).
function New-SqliteConnection([string] $Path) {
    $assembly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Data.Sqlite' } | Select-Object -First 1
    if (-not $assembly) {
        $moduleBin = Join-Path (Get-Module Amn.Rollover | Select-Object -First 1).ModuleBase 'bin'
        $assembly = [Reflection.Assembly]::LoadFrom((Join-Path $moduleBin 'Microsoft.Data.Sqlite.dll'))
    }
    $builderType = $assembly.GetType('Microsoft.Data.Sqlite.SqliteConnectionStringBuilder', $true)
    $connectionType = $assembly.GetType('Microsoft.Data.Sqlite.SqliteConnection', $true)
    $builder = $builderType::new()
    $builder.DataSource = $Path
    $builder.Pooling = $false
    $connection = $connectionType::new($builder.ToString())
    $connection.Open()
    $connection
}

# Runs SQL on an SQLite file from outside the module's own code, through Microsoft.Data.Sqlite from the
# module's bin (Windows has no sqlite3 shell), and returns what the sqlite3 shell would print: a line per
# row, columns split by |, NULL as nothing. No connection pool, so the file is closed on return.
function Invoke-SqliteFile([string] $Path, [string] $Sql) {
    $connection = New-SqliteConnection $Path
    try {
        $command = $connection.CreateCommand()
        $command.CommandText = $Sql
        $reader = $command.ExecuteReader()
        try {
            do {
                while ($reader.Read()) {
                    $values = for ($i = 0; $i -lt $reader.FieldCount; $i++) {
                        if ($reader.IsDBNull($i)) { '' } else { [Convert]::ToString($reader.GetValue($i), [cultureinfo]::InvariantCulture) }
                    }
                    $values -join '|'
                }
            } while ($reader.NextResult())
        }
        finally { $reader.Dispose() }
    }
    finally { $connection.Dispose() }
}

# Runs SQL on the tenant's data from outside the module (Invoke-SqliteFile, or psql as the server's
# owner, in the school's own schema); returns the rows as text, columns split by |.
function Invoke-TenantSql($Tenant, [string] $Sql) {
    if ($Tenant.Kind -ne 'PostgreSQL') { return Invoke-SqliteFile $Tenant.Path $Sql }
    $server = Get-TestServer
    $school = $global:AmnTestSchools[$Tenant.Path] -replace "'", "''"
    $schema = "SELECT set_config('search_path', 'amn_school_' || id, false) FROM amn.schools WHERE name = '$school' \g /dev/null"
    $schema, $Sql | & psql -X -q -t -A -F '|' -h $server.Host -p $server.Port -U $server.Username -d $env:AMN_TEST_BOARD -v ON_ERROR_STOP=1
}

# The tenant's rows by their natural keys (names, numbers), not by row ids: equal on either store
# when the data is, as a restore must leave it. -DataOnly leaves the audit log out.
function Get-TenantDump($Tenant, [switch] $DataOnly) {
    $queries = @(
        "SELECT 'folder', path FROM folders ORDER BY path"
        "SELECT 'group', g.name, f.path, g.created_utc FROM groups g JOIN folders f ON f.id = g.folder_id ORDER BY g.name"
        "SELECT 'student', s.number, s.first_name, s.prefix, s.last_name, s.birth_date, s.gender, s.crebo_number, s.email, s.user_name, g.name, s.created_utc, s.updated_utc, s.last_seen_date, s.erased_utc FROM students s LEFT JOIN groups g ON g.id = s.group_id ORDER BY s.number"
        "SELECT 'staff', user_name, code, first_name, prefix, last_name, email, created_utc, updated_utc FROM staff ORDER BY user_name"
        "SELECT 'role', s.user_name, r.role FROM staff_roles r JOIN staff s ON s.id = r.staff_id ORDER BY s.user_name, r.role"
        "SELECT 'link', s.user_name, g.name FROM staff_groups l JOIN staff s ON s.id = l.staff_id JOIN groups g ON g.id = l.group_id ORDER BY s.user_name, g.name"
    )
    if (-not $DataOnly) { $queries += "SELECT 'audit', run_id, at_utc, action, target, details FROM audit_log ORDER BY at_utc, action" }
    foreach ($query in $queries) { Invoke-TenantSql $Tenant $query }
}

# True while the tests run on a school board's server (tests of store files skip then).
function Test-ServerStore { $env:AMN_TEST_STORE -eq 'PostgreSQL' }

# What the tenant holds, as one hash, read from outside the module: the store file's bytes, or a
# dump of the school's rows in every table of the server (as its owner), audit log included.
function Get-TenantState($Tenant) {
    if ($Tenant.Kind -ne 'PostgreSQL') { return Get-FileHashString $Tenant.Path }
    $dump = foreach ($table in $TenantTables) {
        Invoke-TenantSql $Tenant "SELECT t::text FROM $table t ORDER BY 1;"
    }
    $bytes = [Text.Encoding]::UTF8.GetBytes(($dump -join "`n"))
    [BitConverter]::ToString([Security.Cryptography.SHA256]::HashData($bytes))
}

# The module's help in one language, read in a runspace of its own (PowerShell caches a help file
# once read): for each cmdlet its Get-Help -Full object, or with -Topic that topic's text.
function Get-HelpInCulture([string] $Culture, [string] $Topic) {
    $key = "$Culture/$Topic"
    if ($null -eq $script:HelpInCulture) { $script:HelpInCulture = @{} }
    if ($script:HelpInCulture.ContainsKey($key)) { return $script:HelpInCulture[$key] }
    $ps = [powershell]::Create([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
    try {
        $null = $ps.AddScript({
            param($Manifest, $Culture, $Topic)
            [cultureinfo]::CurrentUICulture = $Culture
            Import-Module $Manifest
            if ($Topic) { return Get-Help $Topic | Out-String }
            $help = @{}
            foreach ($command in Get-Command -Module Amn.Rollover) { $help[$command.Name] = Get-Help $command.Name -Full }
            $help
        }).AddArgument($ManifestPath).AddArgument($Culture).AddArgument($Topic)
        $result = $ps.Invoke()[0]
    }
    finally { $ps.Dispose() }
    $script:HelpInCulture[$key] = $result
    $result
}
