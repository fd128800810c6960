# What differs on Windows, tested wherever the suite runs: natively on Linux, and on Windows semantics in
# the Windows stage (build/windows/WineStage.ps1: a win-x64 PowerShell 7 under Wine), where $IsWindows is
# True, paths are C:\..., the console speaks an OEM code page and no sqlite3 shell exists.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'The test and build helpers on Windows' {
    It 'gives the command line of an installed <Name> whole, not its first letter' -ForEach @(
        @{ Name = 'pwsh.exe'; Path = 'C:\Program Files\PowerShell\7\pwsh.exe' }
        @{ Name = 'pwsh'; Path = '/usr/bin/pwsh' }
    ) {
        $commandLine = Get-PwshCommandLine -ProcessPath $Path
        $commandLine.Count | Should -Be 1
        $commandLine[0] | Should -Be $Path
    }

    It 'gives dotnet and pwsh.dll under the PowerShell dotnet tool' {
        $commandLine = Get-PwshCommandLine -ProcessPath '/usr/share/dotnet/dotnet'
        $commandLine.Count | Should -Be 2
        $commandLine[1] | Should -Be (Join-Path $PSHOME 'pwsh.dll')
    }

    It 'uses one Get-PwshCommandLine in the build and the tests' {
        foreach ($file in 'build/BuildHelpers.ps1', 'tests/TestHelpers.ps1') {
            Get-Content (Join-Path $RepoRoot $file) -Raw | Should -Not -Match 'function Get-PwshCommandLine' -Because "$file must dot-source build/PwshCommandLine.ps1"
        }
    }

    It 'looks into a store without the sqlite3 shell, which Windows does not have' {
        $folder = New-TestFolder
        $savedPath = $env:PATH
        try {
            $tenant = Connect-AmnTenant -Path (Join-Path $folder 'school.db')
            New-AmnGroup -Name H1a -Confirm:$false | Out-Null
            $env:PATH = $folder
            Invoke-TenantSql $tenant "SELECT name, folder_id FROM groups; SELECT count(*) FROM groups WHERE name = 'nobody';" | Should -Be @('H1a|1', '0')
            Invoke-SqliteFile $tenant.Path 'PRAGMA integrity_check;' | Should -Be 'ok'
        }
        finally {
            $env:PATH = $savedPath
            Disconnect-AmnTenant
            Remove-TestFolder $folder
        }
    }

    It 'has no test that calls the sqlite3 shell' {
        $calls = Get-ChildItem $PSScriptRoot -Filter '*.ps1' | Select-String -Pattern '&\s*sqlite3\b|Start-Process\s+sqlite3\b'
        $calls | ForEach-Object { "$($_.Filename):$($_.LineNumber)" } | Should -BeNullOrEmpty
    }
}

Describe 'The Windows stage''s own set-up' {
    BeforeAll {
        $stageScript = Join-Path $RepoRoot 'build/windows/WineStage.ps1'
        . $stageScript
        $script:toolPackages = Get-WineToolPackages
    }

    It 'knows a package for every command it starts detached' {
        $ast = [Management.Automation.Language.Parser]::ParseFile($stageScript, [ref] $null, [ref] $null)
        $detached = $ast.FindAll({ param($node) $node -is [Management.Automation.Language.CommandAst] -and $node.GetCommandName() -eq 'Invoke-Detached' }, $true) |
            ForEach-Object { $_.CommandElements[1].Extent.Text } | Sort-Object -Unique
        $detached | Should -Not -BeNullOrEmpty
        foreach ($command in @($detached) + 'wine', 'Xvfb') { $toolPackages.Keys | Should -Contain $command }
    }

    # Failed before the fix: wine, wineboot and wineserver are in the package wine, which the stage did not install
    # (it asked for wine64 without recommends, and on a machine without Wine the stage then skipped itself).
    It 'installs, for every command it runs, the package that holds it (<_>)' -ForEach @('wine', 'wineboot', 'wineserver', 'Xvfb', 'xauth') {
        $name = $_
        $command = Get-Command $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $IsLinux -or -not (Get-Command dpkg-query -ErrorAction SilentlyContinue) -or -not $command) {
            Set-ItResult -Skipped -Because "only where Debian's dpkg and the command $name are installed: the package is read from the installed file"
            return
        }
        # The command's file is often a link made by update-alternatives, which no package owns: the package is
        # that of the first file along the links that dpkg knows.
        $path = $command.Source
        $owners = @()
        for ($hop = 0; $hop -lt 10 -and $path -and -not $owners; $hop++) {
            # dpkg-query -S answers 'package[:arch][, package...]: path'.
            $owners = @(& dpkg-query -S $path 2>$null | ForEach-Object { ($_ -split ': ')[0] -split ',\s*' } | ForEach-Object { ($_ -split ':')[0] })
            $target = (Get-Item $path).LinkTarget
            $path = if ($target) { [IO.Path]::GetFullPath($target, (Split-Path $path)) }
        }
        $owners | Should -Not -BeNullOrEmpty -Because "dpkg knows the package of $($command.Source) or of a file it links to"
        # What apt installs with the stage's packages and no recommends: they and everything they depend on.
        $brought = @(& apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances @($toolPackages[$name]) |
            ForEach-Object { "$_".Trim() -replace '^\|?\w*Depends:\s*', '' } | Select-Object -Unique)
        @($owners | Where-Object { $_ -in $brought }) | Should -Not -BeNullOrEmpty -Because "$($command.Source) comes from $($owners -join ', '), and apt-get install --no-install-recommends $($toolPackages[$name] -join ' ') brings $($brought.Count) packages without it"
    }
}

Describe 'The default store''s location, on every platform' {
    It 'is $env:AMN_ROLLOVER_HOME/tenant.db when that is set, whatever the platform''s folders are' {
        $folder = New-TestFolder
        try {
            $amnHome = Join-Path $folder 'amn home'
            $output = Invoke-FreshPwsh "Import-Module '$ManifestPath'; (Connect-AmnTenant).Path" -Environment @{ AMN_TENANT_PATH = $null; AMN_ROLLOVER_HOME = $amnHome }
            $output | Should -Be (Join-Path $amnHome 'tenant.db')
            Test-Path (Join-Path $amnHome 'tenant.db') | Should -BeTrue
        }
        finally { Remove-TestFolder $folder }
    }

    It 'is $env:AMN_TENANT_PATH when both are set' {
        $folder = New-TestFolder
        try {
            $path = Join-Path $folder 'elsewhere.db'
            $output = Invoke-FreshPwsh "Import-Module '$ManifestPath'; (Connect-AmnTenant).Path" -Environment @{ AMN_TENANT_PATH = $path; AMN_ROLLOVER_HOME = (Join-Path $folder 'amn') }
            $output | Should -Be $path
        }
        finally { Remove-TestFolder $folder }
    }

    It 'is never the user''s own folder while the tests run' {
        $env:AMN_ROLLOVER_HOME | Should -Not -BeNullOrEmpty -Because 'tests/TestHelpers.ps1 points the default store at a folder of the run'
        $env:AMN_ROLLOVER_HOME | Should -BeLike "$([IO.Path]::GetTempPath())*"
    }
}

Describe 'Text in a Windows console' {
    BeforeAll {
        # Windows' consoles: OEM code pages (437 US, 850 western Europe) and the ANSI one of a redirected Windows PowerShell (1252).
        $script:codePages = 437, 850, 1252 | ForEach-Object { [Text.Encoding]::GetEncoding($_, [Text.EncoderFallback]::ExceptionFallback, [Text.DecoderFallback]::ExceptionFallback) }
        function Get-Unsayable([string] $Text) {
            foreach ($character in $Text.ToCharArray() | Sort-Object -Unique) {
                foreach ($codePage in $codePages) {
                    try { $null = $codePage.GetBytes([string] $character) }
                    catch [Text.EncoderFallbackException] { "'$character' (U+$(([int] $character).ToString('X4'))) in code page $($codePage.CodePage)"; break }
                }
            }
        }
    }

    It 'the format views use only characters every Windows console code page has' {
        Get-Unsayable (Get-Content (Join-Path $RepoRoot 'src/Amn.Rollover/Amn.Rollover.format.ps1xml') -Raw) | Should -BeNullOrEmpty
    }

    It 'the messages in <_> use only characters every Windows console code page has' -ForEach 'Messages.resx', 'Messages.nl-NL.resx' {
        [xml] $resx = Get-Content (Join-Path $RepoRoot "src/Amn.Rollover.Core/Resources/$_") -Raw
        # PipedReplacementCharacter names the replacement character itself: a console shows it as '?', as it shows the value.
        $texts = $resx.root.data | Where-Object name -ne 'PipedReplacementCharacter' | ForEach-Object value
        Get-Unsayable ($texts -join "`n") | Should -BeNullOrEmpty
    }

    It 'the ToString() of the module''s types, which PowerShell shows in tables and lists, uses only characters every Windows console code page has' {
        $found = foreach ($file in Get-ChildItem (Join-Path $RepoRoot 'src') -Recurse -Filter '*.cs' | Where-Object FullName -NotMatch '[\\/]obj[\\/]') {
            foreach ($match in Select-String -LiteralPath $file.FullName -Pattern 'override string ToString\(\)\s*=>(.*)$') {
                foreach ($problem in Get-Unsayable $match.Matches[0].Groups[1].Value) { "$($file.Name):$($match.LineNumber): $problem" }
            }
        }
        $found | Should -BeNullOrEmpty
    }

    It 'Test-AmnImportFile shows how the columns were read as -> in its list view' {
        $folder = New-TestFolder
        try {
            $file = Join-Path $folder 'leerlingen.csv'
            Set-Content $file "stamnr;roepnaam;achternaam;klas`n001;Zoë;Jansen;H4a"
            $text = Test-AmnImportFile $file | Format-List | Out-String
            $text | Should -Match 'stamnr -> Number'
            Get-Unsayable $text | Should -BeNullOrEmpty
        }
        finally { Remove-TestFolder $folder }
    }
}

Describe 'Windows paths' -Tag StoreFile {
    BeforeEach { $folder = New-TestFolder }
    AfterEach { Disconnect-AmnTenant; Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }

    It 'keeps a store on a drive path (C:\...) and writes its backups beside it' -Skip:(-not $IsWindows) {
        $folder | Should -Match '^[A-Za-z]:\\'
        $path = Join-Path $folder 'school.db'
        $tenant = Connect-AmnTenant -Path $path
        $tenant.Path | Should -Be $path
        (Backup-AmnTenant).DirectoryName | Should -Be (Join-Path $folder 'backups')
        (Get-AmnTenant).Path | Should -Be $path
    }

    It 'takes a store path written with the other slash' -Skip:(-not $IsWindows) {
        $tenant = Connect-AmnTenant -Path ($folder.Replace('\', '/') + '/school.db')
        $tenant.Path | Should -Be (Join-Path $folder 'school.db')
    }

    It 'refuses a store on a UNC path (<_>), naming it' -Skip:(-not $IsWindows) -ForEach '\\server\share\school.db', '\\?\UNC\server\share\school.db' {
        { Connect-AmnTenant -Path $_ } | Should -Throw -ErrorId 'TenantOnNetworkShare,Amn.Rollover.ConnectAmnTenantCommand' -ExpectedMessage '*server*share*'
    }

    It 'runs the rollover on a store in a folder with spaces and non-ASCII characters (Scholen\Zoë de Vries-Çelik)' {
        $schoolFolder = New-Item -ItemType Directory -Path (Join-Path $folder 'Scholen/Zoë de Vries-Çelik')
        $path = Join-Path $schoolFolder.FullName 'school.db'
        $tenant = Connect-AmnTenant -Path $path
        $tenant.Path | Should -Be $path
        $files = Write-SchoolYear -Folder $schoolFolder.FullName
        Import-AmnStudent -Path $files.LastStudents -Folder 2025-2026 | Out-Null
        Import-AmnStaff -Path $files.LastStaff | Out-Null
        $report = Join-Path $schoolFolder.FullName 'jaarovergang 2026.html'
        $result = Invoke-AmnRollover -StudentPath $files.Students -StaffPath $files.Staff -Folder 2026-2027 -ReportPath $report -Confirm:$false -WarningAction SilentlyContinue
        Test-Path -LiteralPath $result.BackupPath | Should -BeTrue
        Split-Path $result.BackupPath | Should -Be (Join-Path $schoolFolder.FullName 'backups')
        Get-Content -LiteralPath $report -Raw -Encoding utf8 | Should -Match '<html'
        Restore-AmnTenant -Path $result.BackupPath -Confirm:$false | Out-Null
        (Get-AmnTenant).StudentCount | Should -BeGreaterThan 0
        Invoke-SqliteFile $path 'PRAGMA integrity_check;' | Should -Be 'ok'
    }

    It 'refuses -ReportPath into a folder that does not exist, naming it, and changes nothing' {
        $tenant = Connect-AmnTenant -Path (Join-Path $folder 'school.db')
        $files = Write-SchoolYear -Folder $folder
        Import-AmnStudent -Path $files.LastStudents -Folder 2025-2026 | Out-Null
        $hash = Get-FileHashString $tenant.Path
        $missing = Join-Path $folder 'Rapporten/2026/jaarovergang.html'
        { Invoke-AmnRollover -StudentPath $files.Students -StaffPath $files.Staff -ReportPath $missing -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'OutputFolderNotFound,Amn.Rollover.InvokeAmnRolloverCommand' -ExpectedMessage "*$(Join-Path $folder 'Rapporten')*"
        Test-Path (Join-Path $folder 'Rapporten') | Should -BeFalse
        Get-FileHashString $tenant.Path | Should -Be $hash
    }
}

Describe 'A store on another drive (D:\)' -Tag StoreFile {
    BeforeAll {
        # Only a drive the test run owns: the Windows stage maps D: to a folder of its own and names it here.
        # A developer's real D: is never written into.
        $script:drive = $env:AMN_TEST_WINDOWS_DRIVE
        $script:usable = $IsWindows -and $drive -and (Test-Path -LiteralPath "$drive\")
    }
    AfterEach { Disconnect-AmnTenant; if ($usable) { Remove-Item -LiteralPath "$drive\Scholen" -Recurse -Force -ErrorAction SilentlyContinue } }

    It 'connects to D:\Scholen\Zoë\school.db, imports a school year into it and backs it up beside it' {
        if (-not $usable) {
            Set-ItResult -Skipped -Because 'no drive of the test run''s own: the Windows stage maps D: to a temporary folder under Wine and sets AMN_TEST_WINDOWS_DRIVE (not on Linux, nor on a Windows machine whose D: is its own)'
            return
        }
        $schoolFolder = New-Item -ItemType Directory -Path "$drive\Scholen\Zoë" -Force
        $path = "$drive\Scholen\Zoë\school.db"
        $tenant = Connect-AmnTenant -Path $path
        $tenant.Path | Should -Be $path
        $files = Write-SchoolYear -Folder $schoolFolder.FullName
        $students = Import-AmnStudent -Path $files.LastStudents -Folder 2025-2026
        $students.Created | Should -BeGreaterThan 0
        $students.Failed | Should -Be 0
        Import-AmnStaff -Path $files.LastStaff | Out-Null
        $backup = Backup-AmnTenant
        $backup.DirectoryName | Should -Be "$drive\Scholen\Zoë\backups"
        Test-Path -LiteralPath $backup.FullName | Should -BeTrue
        (Get-AmnTenant).StudentCount | Should -Be $students.Created
        Invoke-SqliteFile $backup.FullName 'SELECT count(*) FROM students;' | Should -Be "$($students.Created)"
    }
}

Describe 'The README''s scheduled script, as Task Scheduler starts it' -Tag StoreFile {
    BeforeAll {
        $script:drive = $env:AMN_TEST_WINDOWS_DRIVE
        $script:usable = $IsWindows -and $drive -and (Test-Path -LiteralPath "$drive\")
        # The README's paths (D:\AMN\..., D:\Exports\...) as they are on the run's own D: drive; elsewhere in a test folder.
        function ConvertTo-LocalPath([string] $ReadmePath) {
            if ($usable) { return $ReadmePath.Replace('D:', $drive) }
            Join-Path $root $ReadmePath.Substring(3).Replace('\', [IO.Path]::DirectorySeparatorChar)
        }
    }
    BeforeEach { $script:root = if ($usable) { "$drive\" } else { New-TestFolder } }
    AfterEach {
        Disconnect-AmnTenant
        if ($usable) { 'AMN', 'Exports' | ForEach-Object { Remove-Item -LiteralPath (Join-Path $root $_) -Recurse -Force -ErrorAction SilentlyContinue } }
        else { Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'exits 0 for a normal year and 1 for last year''s export again, started as a new pwsh with the README''s arguments' {
        $task = Get-ReadmeScheduledTask
        $task.Arguments | Should -Contain '-File'
        $task.Arguments | Should -Contain '-NonInteractive'
        $readmeScript = $task.Arguments[[array]::IndexOf($task.Arguments, '-File') + 1]

        $exports = New-Item -ItemType Directory -Path (ConvertTo-LocalPath 'D:\Exports') -Force
        $amn = New-Item -ItemType Directory -Path (Split-Path (ConvertTo-LocalPath $readmeScript) -Parent) -Force
        $files = Write-SchoolYear -Folder $exports.FullName
        Move-Item $files.Students (ConvertTo-LocalPath 'D:\Exports\leerlingen.csv')
        # The staff export is a CSV here, where the README's is a workbook: only that path is the test's own.
        $text = $task.Script.Replace('Import-Module Amn.Rollover', "Import-Module '$ManifestPath'").Replace('D:\Exports\personeel.xlsx', $files.Staff)
        $text = [regex]::Replace($text, 'D:\\[^\s''"`]+', { param($match) ConvertTo-LocalPath $match.Value })
        $scriptPath = ConvertTo-LocalPath $readmeScript
        Set-Content -LiteralPath $scriptPath -Value $text -Encoding utf8

        Connect-AmnTenant -Path (ConvertTo-LocalPath 'D:\AMN\school.db') | Out-Null
        Import-AmnStudent -Path $files.LastStudents -Folder 2025-2026 | Out-Null
        Import-AmnStaff -Path $files.LastStaff | Out-Null
        Disconnect-AmnTenant

        # Task Scheduler starts the program in the system folder, with no console of its own and no profile.
        $pwsh = Get-PwshCommandLine
        $arguments = @($pwsh | Select-Object -Skip 1) + @($task.Arguments | ForEach-Object { if ($_ -eq $readmeScript) { $scriptPath } else { $_ } })
        $workingFolder = if ($IsWindows) { [Environment]::SystemDirectory } else { '/' }
        $run = {
            $output = Join-Path $amn.FullName 'task-output.txt'
            $process = Start-Process -FilePath $pwsh[0] -ArgumentList $arguments -WorkingDirectory $workingFolder -NoNewWindow -Wait -PassThru -RedirectStandardOutput $output -RedirectStandardError "$output.err"
            [pscustomobject]@{ ExitCode = $process.ExitCode; Text = (Get-Content $output, "$output.err" -Raw -ErrorAction SilentlyContinue) -join "`n" }
        }

        $first = & $run
        $first.ExitCode | Should -Be 0 -Because $first.Text
        @(Get-ChildItem -LiteralPath $amn.FullName -Filter 'rollover-report-*.html').Count | Should -Be 1
        @(Get-ChildItem -LiteralPath $amn.FullName -Filter 'rollover-*.log').Count | Should -Be 1

        # The same export again: now it is last year's, and the rollover stops before any change.
        $second = & $run
        $second.ExitCode | Should -Be 1 -Because $second.Text
        $second.Text | Should -Match 'NothingMoves'
        @(Get-ChildItem -LiteralPath $amn.FullName -Filter 'rollover-*.log' | Where-Object Name -NotLike 'rollover-report-*').Count | Should -Be 2
    }
}
