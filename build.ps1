<#
.SYNOPSIS
    Builds, tests, demonstrates, benchmarks and packages Amn.Rollover.
.DESCRIPTION
    One entry point for people and CI. Run it with the PowerShell dotnet tool:
        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
.PARAMETER Task
    Build (default): compiles the module into ./bin and its help into ./en-US and ./nl-NL (beside the manifest, where PowerShell looks).
    Test: Build and Package, then the xunit tests (Core) and the Pester tests (cmdlets), on Linux and again on Windows
    semantics, in a win-x64 PowerShell 7 under Wine (build/windows; $env:AMN_TEST_WINDOWS=0 leaves that stage out).
    WindowsTest: Build and Package, then the Windows stage alone (what Test runs under Wine), with its counts and times.
    Demo: a whole rollover on the fictional sample files in ./samples, in a temporary tenant.
    Bench: the benchmark in ./bench; -Size sets the number of pupils.
    Package: a self-contained module folder in ./out/package/Amn.Rollover.
.PARAMETER Size
    Bench only: how many pupils the generated school board has (default 100000).
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'WindowsTest', 'Demo', 'Bench', 'Package')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [ValidateRange(100, 10000000)]
    [int] $Size = 100000
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$binPath = Join-Path $root 'bin'
$outPath = Join-Path $root 'out'
$packagePath = Join-Path $outPath 'package/Amn.Rollover'

. (Join-Path $root 'build/BuildHelpers.ps1')
. (Join-Path $root 'build/windows/WineStage.ps1')

function Invoke-BuildTask {
    Write-Step 'Building the module'
    Invoke-Dotnet build (Join-Path $root 'src/Amn.Rollover/Amn.Rollover.csproj') -c $Configuration -o $binPath --nologo -v quiet '-clp:NoSummary;ErrorsOnly'
    foreach ($culture in 'en-US', 'nl-NL') {
        $docs = if ($culture -eq 'en-US') { Join-Path $root 'docs' } else { Join-Path $root "docs/$culture" }
        Write-Step "Compiling the $culture help from $([IO.Path]::GetRelativePath($root, $docs))/"
        Invoke-Pwsh -File (Join-Path $root 'build/New-MamlHelp.ps1') -ManifestPath (Join-Path $root 'Amn.Rollover.psd1') -DocsPath $docs -OutputPath (Join-Path $root "$culture/Amn.Rollover.dll-Help.xml") -Culture $culture
    }
}

function Invoke-PackageTask {
    Invoke-BuildTask
    Write-Step "Packaging into $packagePath"
    if (Test-Path $packagePath) { Remove-Item $packagePath -Recurse -Force }
    $packageBin = Join-Path $packagePath 'bin'
    New-Item -ItemType Directory -Path $packageBin -Force | Out-Null
    Copy-Item (Join-Path $root 'Amn.Rollover.psd1'), (Join-Path $root 'README.md'), (Join-Path $root 'LICENSE') $packagePath
    Copy-Item (Join-Path $root 'en-US'), (Join-Path $root 'nl-NL') $packagePath -Recurse
    Get-ChildItem $binPath -Exclude '*.pdb', '*.deps.json' | Copy-Item -Destination $packageBin -Recurse
}

function Invoke-TestTask {
    Install-TestPackages
    Invoke-PackageTask
    $resultsPath = New-TestResultsFolder

    # The server is stopped whatever the tests do; the exit code comes after that.
    $postgres = Start-TestPostgres
    $script:testSummary = $null
    try { Invoke-AllTests $resultsPath }
    finally { Stop-TestPostgres $postgres }
    # The counts come last, after the server is gone: CI reads the final line.
    $summary = $script:testSummary
    Write-Host ''
    $windowsText = if ($summary.Windows) { "; Windows (Wine): $($summary.Windows.Passed) passed, $($summary.Windows.Failed) failed, $($summary.Windows.Skipped) skipped" } else { '; Windows (Wine): skipped' }
    Write-Host "xunit: $($summary.Xunit.Passed) passed, $($summary.Xunit.Failed) failed, $($summary.Xunit.Skipped) skipped; Pester: $($summary.Pester.Passed) passed, $($summary.Pester.Failed) failed, $($summary.Pester.Skipped) skipped$windowsText"
    Write-TestsLine $summary
}

function Invoke-WindowsTestTask {
    Invoke-PackageTask
    $windows = Invoke-WindowsStep (New-TestResultsFolder)
    Write-Host ''
    Write-TestsLine $(if ($windows) { $windows } else { [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 } })
}

function New-TestResultsFolder {
    $resultsPath = Join-Path $outPath 'test-results'
    if (Test-Path $resultsPath) { Remove-Item $resultsPath -Recurse -Force }
    New-Item -ItemType Directory -Path $resultsPath | Out-Null
    $resultsPath
}

# The final line, which CI reads; the exit code is 1 when a test failed or none passed.
function Write-TestsLine($Summary) {
    $line = "Tests: $($Summary.Passed) passed, $($Summary.Failed) failed"
    if ($Summary.Skipped -gt 0) { $line += ", $($Summary.Skipped) skipped" }
    Write-Host $line
    if ($Summary.Failed -gt 0 -or $Summary.Passed -eq 0) { exit 1 }
}

function Invoke-AllTests([string] $resultsPath) {
    Write-Step 'xunit: Core tests'
    $trx = Join-Path $resultsPath 'core.trx'
    & dotnet test (Join-Path $root 'tests/Amn.Rollover.Core.Tests/Amn.Rollover.Core.Tests.csproj') -c $Configuration --nologo `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' --results-directory $resultsPath
    $xunitExit = $LASTEXITCODE
    $xunit = Read-TrxCounts $trx

    Write-Step 'Pester: cmdlet tests (fresh pwsh, built module)'
    $pesterJson = Join-Path $resultsPath 'pester.json'
    # The cmdlet tests that run on a school board's server as well as on a store file.
    $bothStores = 'Students.Tests.ps1', 'Groups.Tests.ps1', 'Staff.Tests.ps1', 'Rollover.Tests.ps1', 'Export.Tests.ps1', 'SchoolYear.Tests.ps1', 'Privacy.Tests.ps1'
    Invoke-Pwsh -AllowFailure -File (Join-Path $root 'build/Invoke-PesterTests.ps1') -TestsPath (Join-Path $root 'tests') -PesterPath (Get-PesterModulePath) -ResultPath $pesterJson -BothStores ($bothStores -join ',')
    $pester = if (Test-Path $pesterJson) { Get-Content $pesterJson -Raw | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }

    # The Windows stage: the Core tests and the Pester suites again, on Windows semantics (a win-x64 PowerShell 7
    # under Wine). $env:AMN_TEST_WINDOWS=0 leaves it out.
    $windows = if ($env:AMN_TEST_WINDOWS -ne '0') { Invoke-WindowsStep $resultsPath }
    else { Write-Host 'Windows stage: SKIPPED, AMN_TEST_WINDOWS=0; nothing was tested on Windows semantics' }

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    if ($windows) { $passed += $windows.Passed; $failed += $windows.Failed; $skipped += $windows.Skipped }
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $failed++ }   # the test host itself failed
    $script:testSummary = [pscustomobject]@{ Xunit = $xunit; Pester = $pester; Windows = $windows; Passed = $passed; Failed = $failed; Skipped = $skipped }
}

# The Windows stage with its counts, or $null where Wine cannot be had, which it says.
function Invoke-WindowsStep([string] $resultsPath) {
    Write-Step 'Windows stage: xunit and Pester in win-x64 under Wine'
    $windows = Invoke-WindowsStage $resultsPath
    if ($windows) { Write-Host "Windows stage: $($windows.Passed) passed, $($windows.Failed) failed, $($windows.Skipped) skipped" }
    else { Write-Host 'Windows stage: SKIPPED, Wine could not be had (see the warning above); nothing was tested on Windows semantics' }
    $windows
}

function Invoke-DemoTask {
    Invoke-BuildTask
    Invoke-Pwsh -File (Join-Path $root 'samples/Invoke-Demo.ps1') -ManifestPath (Join-Path $root 'Amn.Rollover.psd1')
}

function Invoke-BenchTask {
    Invoke-BuildTask
    $postgres = Start-TestPostgres
    try { Invoke-Pwsh -File (Join-Path $root 'bench/Invoke-Benchmark.ps1') -ManifestPath (Join-Path $root 'Amn.Rollover.psd1') -Size $Size -ResultPath (Join-Path $root 'bench/results.json') }
    finally { Stop-TestPostgres $postgres }
}

Push-Location $root
try {
    switch ($Task) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'WindowsTest' { Invoke-WindowsTestTask }
        'Demo' { Invoke-DemoTask }
        'Bench' { Invoke-BenchTask }
        'Package' { Invoke-PackageTask }
    }
}
finally {
    Pop-Location
}
