# Helpers for build.ps1; dot-sourced, so they share its scope.

function Write-Step([string] $Text) {
    Write-Host "==> $Text" -ForegroundColor Cyan
}

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

# The command line of a fresh PowerShell like this one: 'dotnet <PSHOME>/pwsh.dll' under the dotnet tool, else pwsh itself.
function Get-PwshCommandLine {
    $exe = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { return @($exe, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($exe)
}

function Invoke-Pwsh {
    param([string] $File, [switch] $AllowFailure, [Parameter(ValueFromRemainingArguments)] $Arguments)
    $pwsh = Get-PwshCommandLine
    $rest = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File) + @($Arguments)
    & $pwsh[0] @rest
    if ($LASTEXITCODE -ne 0 -and -not $AllowFailure) { throw "'$File' failed with exit code $LASTEXITCODE." }
}

# Debian packages the tests use, by the command each provides: the sqlite3 shell checks stores from
# outside the module, Chromium renders the rollover report (screen and print), pdftotext reads the
# printed report. Installed when missing and allowed.
function Install-TestPackages {
    if (-not $IsLinux) { return }
    $packages = [ordered]@{ sqlite3 = 'sqlite3'; chromium = 'chromium'; pdftotext = 'poppler-utils' }
    $missing = @($packages.Keys | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) } | ForEach-Object { $packages[$_] })
    if ($missing.Count -eq 0) { return }
    if ((& id -u) -ne '0' -or -not (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        Write-Warning "Missing for some tests: $($missing -join ', '). Install them (apt-get install $($missing -join ' ')); the tests that need them fail or are skipped."
        return
    }
    Write-Step "Installing $($missing -join ', ') (apt)"
    & apt-get update -qq | Out-Null
    & apt-get install -y -qq --no-install-recommends @missing | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "apt-get install $($missing -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-PesterModulePath {
    [xml] $tools = Get-Content (Join-Path $root 'build/tools.proj') -Raw
    $version = $tools.Project.PropertyGroup.PesterVersion
    Invoke-Dotnet restore (Join-Path $root 'build/tools.proj') --nologo -v quiet
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $manifest = Join-Path $packages.Trim() "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) { throw "Pester $version was restored, but '$manifest' is missing." }
    return $manifest
}

function Read-TrxCounts([string] $Path) {
    if (-not (Test-Path $Path)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    [xml] $trx = Get-Content $Path -Raw
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int] $counters.passed
        Failed  = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        # The xunit logger counts a skipped test in total but not in executed (notExecuted stays 0).
        Skipped = [Math]::Max([int] $counters.notExecuted, [int] $counters.total - [int] $counters.executed)
    }
}
