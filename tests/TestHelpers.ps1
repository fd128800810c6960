# Dot-sourced by every *.Tests.ps1 in BeforeAll: the module under test and small helpers.
$script:RepoRoot = Split-Path $PSScriptRoot -Parent
$script:ManifestPath = Join-Path $RepoRoot 'Amn.Rollover.psd1'
Import-Module $ManifestPath -Force -ErrorAction Stop

# The command line of a fresh PowerShell: 'dotnet <PSHOME>/pwsh.dll' under the dotnet tool, else pwsh itself.
function Get-PwshCommandLine {
    $exe = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { return @($exe, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($exe)
}

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
