# Runs the Pester tests in this (fresh) process and writes the counts as JSON for build.ps1.
# With a test server ($env:AMN_TEST_POSTGRES), the files in -BothStores run a second time on a school
# board's database: New-TestTenant then gives each test a school on the server instead of a store file,
# and tests tagged StoreFile (about the file itself: permissions, kills, disk full) are left out.
param(
    [Parameter(Mandatory)] [string] $TestsPath,
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $BothStores = ''   # file names, comma-separated (one argument through pwsh -File)
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force

function Invoke-Run([string[]] $Path, [string[]] $ExcludeTag) {
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = $Path
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Normal'
    if ($ExcludeTag) { $configuration.Filter.ExcludeTag = $ExcludeTag }
    Invoke-Pester -Configuration $configuration
}

# The default store and the server schools' automatic backups go into a folder of this run, never into the
# user's own (Windows finds that through the profile, whatever LOCALAPPDATA or HOME say).
$env:AMN_ROLLOVER_HOME = Join-Path ([IO.Path]::GetTempPath()) ('amn-pester-home-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
$env:AMN_TENANT_PATH = $null

$runs = @(Invoke-Run $TestsPath)
$bothStoreFiles = @($BothStores -split ',' | Where-Object { $_ })
if ($env:AMN_TEST_POSTGRES -and $bothStoreFiles) {
    Write-Host "`nThe same tests on a school board's PostgreSQL database: $($bothStoreFiles -join ', ')"
    . (Join-Path $TestsPath 'TestHelpers.ps1')
    $env:AMN_TEST_STORE = 'PostgreSQL'
    $env:AMN_TEST_BOARD = New-TestBoard
    try { $runs += Invoke-Run ($bothStoreFiles | ForEach-Object { Join-Path $TestsPath $_ }) 'StoreFile' }
    finally {
        Remove-TestBoard $env:AMN_TEST_BOARD
        $env:AMN_TEST_STORE = $null
    }
}
Remove-Item $env:AMN_ROLLOVER_HOME -Recurse -Force -ErrorAction SilentlyContinue
$failed = ($runs | ForEach-Object { $_.FailedCount + $_.FailedBlocksCount + $_.FailedContainersCount } | Measure-Object -Sum).Sum
[pscustomobject]@{
    Passed  = ($runs | ForEach-Object PassedCount | Measure-Object -Sum).Sum
    Failed  = $failed
    Skipped = ($runs | ForEach-Object { $_.SkippedCount + $_.NotRunCount } | Measure-Object -Sum).Sum
} | ConvertTo-Json | Set-Content -Path $ResultPath -Encoding utf8
exit ([int]($failed -gt 0))
