# Helpers for build.ps1; dot-sourced, so they share its scope.

function Write-Step([string] $Text) {
    Write-Host "==> $Text" -ForegroundColor Cyan
}

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

# Get-PwshCommandLine: the command line of a fresh PowerShell like this one.
. (Join-Path $PSScriptRoot 'PwshCommandLine.ps1')

function Invoke-Pwsh {
    param([string] $File, [switch] $AllowFailure, [Parameter(ValueFromRemainingArguments)] $Arguments)
    $pwsh = Get-PwshCommandLine
    $rest = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File) + @($Arguments)
    & $pwsh[0] @rest
    if ($LASTEXITCODE -ne 0 -and -not $AllowFailure) { throw "'$File' failed with exit code $LASTEXITCODE." }
}

# Debian packages the tests use, by the command each provides: Chromium renders the rollover report
# (screen and print), pdftotext reads the printed report. Installed when missing and allowed.
function Install-TestPackages {
    if (-not $IsLinux) { return }
    $packages = [ordered]@{ chromium = 'chromium'; pdftotext = 'poppler-utils' }
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

# A throw-away PostgreSQL server for the tests of the PostgreSQL store: initdb into a temporary
# folder, listening on 127.0.0.1 at a free port and on a socket in that folder, run as an
# unprivileged user (postgres refuses root). Debian's postgresql package is installed when initdb is
# missing. With $env:AMN_TEST_POSTGRES already set, that server is used and nothing is started.
# Returns a handle for Stop-TestPostgres, or $null when no server could be had (the tests then skip).
function Start-TestPostgres {
    if ($env:AMN_TEST_POSTGRES) { Write-Step 'PostgreSQL: using $env:AMN_TEST_POSTGRES'; return $null }
    if (-not $IsLinux) { Write-Warning 'No PostgreSQL server for the tests (set $env:AMN_TEST_POSTGRES to use one); its tests are skipped.'; return $null }
    $bin = Find-PostgresBin
    if (-not $bin -and (& id -u) -eq '0' -and (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        Write-Step 'Installing postgresql (apt)'
        & apt-get install -y -qq --no-install-recommends postgresql | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "apt-get install postgresql failed with exit code $LASTEXITCODE." }
        $bin = Find-PostgresBin
    }
    if (-not $bin) { Write-Warning 'initdb and pg_ctl are missing (apt-get install postgresql); the PostgreSQL tests are skipped.'; return $null }

    $folder = Join-Path ([IO.Path]::GetTempPath()) ("amn-postgres-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $folder | Out-Null
    $asRoot = (& id -u) -eq '0'
    if ($asRoot) { & chown postgres:postgres $folder }
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $data = Join-Path $folder 'data'
    $commands = @(
        "'$bin/initdb' -D '$data' -U amn_admin -A trust --no-sync -E UTF8 --locale=C.UTF-8 > '$folder/initdb.log' 2>&1",
        # Every user logs in without a password, but for one the wrong-password test uses.
        "sed -i '1i host all amn_password_test 127.0.0.1/32 scram-sha-256' '$data/pg_hba.conf'",
        "'$bin/pg_ctl' -D '$data' -l '$folder/server.log' -w -t 60 -o `"-p $port -k '$folder' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`" start > '$folder/pg_ctl.log' 2>&1"
    )
    foreach ($command in $commands) {
        if ($asRoot) { & su postgres -s /bin/sh -c $command } else { & sh -c $command }
        if ($LASTEXITCODE -ne 0) {
            $log = Get-ChildItem $folder -Filter '*.log' | ForEach-Object { Get-Content $_.FullName -Raw }
            Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
            throw "Could not start the test PostgreSQL server: $log"
        }
    }
    $env:AMN_TEST_POSTGRES = "Host=127.0.0.1;Port=$port;Username=amn_admin;Database=postgres"
    Write-Step "PostgreSQL $(& "$bin/postgres" --version) on 127.0.0.1:$port ($folder)"
    [pscustomobject]@{ Bin = $bin; Folder = $folder; Data = $data; AsRoot = $asRoot }
}

function Stop-TestPostgres($Server) {
    if (-not $Server) { return }
    $command = "'$($Server.Bin)/pg_ctl' -D '$($Server.Data)' -m immediate -w stop > /dev/null 2>&1"
    if ($Server.AsRoot) { & su postgres -s /bin/sh -c $command } else { & sh -c $command }
    Remove-Item $Server.Folder -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Item Env:AMN_TEST_POSTGRES -ErrorAction SilentlyContinue
    Write-Step 'PostgreSQL stopped'
}

function Find-PostgresBin {
    $debian = Get-ChildItem /usr/lib/postgresql/*/bin/initdb -ErrorAction SilentlyContinue | Sort-Object FullName -Descending | Select-Object -First 1
    if ($debian) { return $debian.DirectoryName }
    $initdb = Get-Command initdb -ErrorAction SilentlyContinue
    if (-not $initdb) { return $null }
    $item = Get-Item $initdb.Source
    $real = if ($item.LinkTarget) { $item.ResolvedTarget } else { $item.FullName }
    if (Test-Path (Join-Path (Split-Path $real) 'pg_ctl')) { return Split-Path $real }
    return $null
}
