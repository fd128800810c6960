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
