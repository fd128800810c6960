BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'The module' {
    It 'imports without an unapproved-verb warning' {
        $output = Invoke-FreshPwsh "Import-Module '$ManifestPath' -WarningVariable w -WarningAction SilentlyContinue; 'warnings:' + `$w.Count"
        $output | Should -Contain 'warnings:0'
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        (Get-Command -Module Amn.Rollover).Verb | Where-Object { $_ -notin $approved } | Should -BeNullOrEmpty
    }

    It 'gives every cmdlet a -Tenant parameter' {
        foreach ($cmd in Get-Command -Module Amn.Rollover) {
            $cmd.Parameters.Keys | Should -Contain 'Tenant' -Because "$($cmd.Name) must accept -Tenant"
        }
    }
}

Describe 'Format views' {
    BeforeDiscovery {
        $format = [xml](Get-Content (Join-Path (Split-Path $PSScriptRoot -Parent) 'src/Amn.Rollover/Amn.Rollover.format.ps1xml') -Raw)
        $views = foreach ($view in $format.Configuration.ViewDefinitions.View) {
            $labels = @($view.TableControl.TableHeaders.TableColumnHeader.Label) + @($view.ListControl.ListEntries.ListEntry.ListItems.ListItem.Label) | Where-Object { $_ }
            @{ Name = $view.Name; TypeName = $view.ViewSelectedBy.TypeName; Labels = $labels }
        }
    }

    It '<Name> heads each column with the name of the property it shows' -ForEach $views {
        $type = [AppDomain]::CurrentDomain.GetAssemblies().ForEach({ $_.GetType($TypeName) }) | Where-Object { $_ } | Select-Object -First 1
        $type | Should -Not -BeNullOrEmpty -Because "$TypeName is shown by the view"
        $properties = $type.GetProperties().Name
        $Labels | Where-Object { $_ -cnotin $properties } | Should -BeNullOrEmpty -Because '(Get-X).<header> must give what the column shows'
    }
}

# PowerShell caches a help file once it has read it, so each language's help is read in a runspace of its own.
Describe 'Help in <Culture>' -ForEach @(@{ Culture = 'en-US' }, @{ Culture = 'nl-NL' }) {
    BeforeDiscovery {
        Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Amn.Rollover.psd1') -Force
        $script:commands = @(Get-Command -Module Amn.Rollover | ForEach-Object { @{ Name = $_.Name } })
    }
    BeforeAll {
        $script:helpByName = Get-HelpInCulture $Culture
    }

    It '<Name> has a synopsis, a description and an example' -ForEach $commands {
        $help = $helpByName[$Name]
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name \["   # the generated syntax line means no help was found
        ($help.description.Text -join '') | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterThan 0
        @($help.examples.example)[0].code | Should -Not -BeNullOrEmpty
    }

    It '<Name> shows each parameter''s type as a user types it and marks wildcard parameters' -ForEach $commands {
        $help = $helpByName[$Name]
        ($help.syntax | Out-String -Width 1000) | Should -Not -Match 'Nullable|`1'
        foreach ($parameter in (Get-Command $Name).Parameters.Values | Where-Object { $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters }) {
            $entry = $help.parameters.parameter | Where-Object name -eq $parameter.Name
            $wildcards = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            $entry.globbing | Should -Be $wildcards.ToString().ToLowerInvariant() -Because "-$($parameter.Name) of $Name"
        }
    }

    It '<Name> names in INPUTS exactly the types of its pipeline parameters' -ForEach $commands {
        $pipeline = @((Get-Command $Name).Parameters.Values |
            Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) } } |
            ForEach-Object { $type = $_.ParameterType; if ($type.IsArray) { $type = $type.GetElementType() }; $type = [Nullable]::GetUnderlyingType($type) ?? $type; $type.FullName } | Sort-Object -Unique)
        $documented = @($helpByName[$Name].inputTypes.inputType.type.name | Where-Object { $_ } | ForEach-Object Trim | Sort-Object -Unique)
        $documented | Should -Be $pipeline
    }

    It '<Name> names in OUTPUTS exactly the types it declares' -ForEach $commands {
        $declared = @((Get-Command $Name).OutputType.Type | Where-Object { $_ -and $_ -ne [void] } | ForEach-Object FullName | Sort-Object -Unique)
        $documented = @($helpByName[$Name].returnValues.returnValue.type.name | Where-Object { $_ } | ForEach-Object Trim | Sort-Object -Unique)
        $documented | Should -Be $declared
    }

    It '<Name> explains what each example does' -ForEach $commands {
        $number = 0
        foreach ($example in $helpByName[$Name].examples.example) {
            $number++
            ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "example $number of $Name needs a sentence saying what it does"
        }
    }

    It '<Name> documents every parameter' -ForEach $commands {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters
        $help = $helpByName[$Name]
        foreach ($parameter in (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $entry = $help.parameters.parameter | Where-Object name -eq $parameter
            ($entry.description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs help text"
        }
    }
}

Describe 'The Dutch help' {
    It 'is Dutch: no synopsis, example or parameter text is the English one' {
        $english = Get-HelpInCulture en-US
        $dutch = Get-HelpInCulture nl-NL
        foreach ($name in $english.Keys) {
            $dutch[$name].Synopsis | Should -Not -Be $english[$name].Synopsis -Because "the synopsis of $name"
            $englishRemarks = @($english[$name].examples.example | ForEach-Object { ($_.remarks.Text -join '').Trim() })
            $dutchRemarks = @($dutch[$name].examples.example | ForEach-Object { ($_.remarks.Text -join '').Trim() })
            for ($i = 0; $i -lt $englishRemarks.Count; $i++) { $dutchRemarks[$i] | Should -Not -Be $englishRemarks[$i] -Because "example $($i + 1) of $name" }
            foreach ($parameter in $english[$name].parameters.parameter) {
                $text = ($parameter.description.Text -join '').Trim()
                $other = (($dutch[$name].parameters.parameter | Where-Object name -eq $parameter.name).description.Text -join '').Trim()
                $other | Should -Not -Be $text -Because "-$($parameter.name) of $name"
            }
        }
    }
}

Describe 'about_Amn.Rollover' {
    It 'is found by Get-Help in <Culture> and holds the steps, the store, the header table of the reader and where to upload' -ForEach @(
        @{ Culture = 'en-US'; Parts = 'THE TENANT STORE', 'PITFALLS OF SIS EXPORTS', 'SAFETY RULES', 'LANGUAGE', 'UPLOADING INTO AMN', 'Student file (deelnemers)' }
        @{ Culture = 'nl-NL'; Parts = 'DE TENANTOPSLAG', 'VALKUILEN VAN EXPORTS', 'VEILIGHEIDSREGELS', 'TAAL', 'UPLOADEN IN AMN', 'Leerlingbestand (deelnemers)' }
    ) {
        $text = (Get-HelpInCulture $Culture -Topic about_Amn.Rollover) | Out-String
        foreach ($part in @('Remove-AmnGroup -All', 'Invoke-AmnRollover', 'Inlezen', 'Gegevens personeel inlezen') + $Parts) {
            $text | Should -BeLike "*$part*"
        }
        foreach ($kind in 'Student', 'Staff') {
            foreach ($entry in [Amn.Rollover.Core.Files.HeaderNames]::Synonyms($kind)) {
                foreach ($name in $entry.Item2) { $text | Should -Match ([regex]::Escape($name)) -Because "the table must list every header the reader knows ($name)" }
            }
        }
        $text | Should -Not -BeLike '*{{*'
    }
}

Describe 'Connect-AmnTenant, Get-AmnTenant and Disconnect-AmnTenant' {
    BeforeEach {
        $folder = New-TestFolder
    }
    AfterEach {
        Disconnect-AmnTenant
        Remove-TestFolder $folder
    }

    It 'creates a store, makes it current and reports its counts' {
        $tenant = Connect-AmnTenant -Path (Join-Path $folder 'school.db')
        $tenant.Path | Should -Be (Join-Path $folder 'school.db')
        $tenant.SchemaVersion | Should -BeGreaterThan 0
        $tenant.StudentCount | Should -Be 0
        (Get-AmnTenant).Path | Should -Be $tenant.Path
        Test-Path (Join-Path $folder 'school.db') | Should -BeTrue
    }

    It 'creates the store readable by its owner only' -Skip:$IsWindows {
        Connect-AmnTenant -Path (Join-Path $folder 'school.db') | Out-Null
        [int](Get-Item (Join-Path $folder 'school.db')).UnixFileMode | Should -Be 384   # 0600
    }

    It 'resolves a relative path against the current location' {
        Push-Location $folder
        try { (Connect-AmnTenant -Path 'rel.db').Path | Should -Be (Join-Path $folder 'rel.db') }
        finally { Pop-Location }
    }

    It 'connects $env:AMN_TENANT_PATH when nothing is connected, and says so' {
        $path = Join-Path $folder 'fromenv.db'
        $output = Invoke-FreshPwsh "Import-Module '$ManifestPath'; (Get-AmnTenant -Verbose 4>&1) | ForEach-Object { if (`$_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE: ' + `$_.Message } else { 'PATH: ' + `$_.Path } }" -Environment @{ AMN_TENANT_PATH = $path }
        $output | Should -Contain "PATH: $path"
        ($output | Where-Object { $_ -like 'VERBOSE: No tenant connected*' }) | Should -Not -BeNullOrEmpty
    }

    It 'lets -Tenant pick another store for one command' {
        $a = Connect-AmnTenant -Path (Join-Path $folder 'a.db')
        $b = Connect-AmnTenant -Path (Join-Path $folder 'b.db')
        (Get-AmnTenant -Tenant $a).Path | Should -Be $a.Path
        (Get-AmnTenant -Tenant (Join-Path $folder 'a.db')).Path | Should -Be $a.Path
        (Get-AmnTenant).Path | Should -Be $b.Path
    }

    It 'refuses a path in a folder that does not exist' {
        $path = Join-Path $folder 'missing/school.db'
        { Connect-AmnTenant -Path $path } | Should -Throw -ErrorId 'TenantFolderNotFound,Amn.Rollover.ConnectAmnTenantCommand' -ExpectedMessage "*$(Join-Path $folder 'missing')*"
        Test-Path (Join-Path $folder 'missing') | Should -BeFalse
    }

    It 'refuses a file that is not an SQLite database and leaves it untouched' {
        $path = Join-Path $folder 'leerlingen.xlsx'
        Set-Content -Path $path -Value 'PK not really a workbook'
        $hash = Get-FileHashString $path
        { Connect-AmnTenant -Path $path } | Should -Throw -ErrorId 'NotATenantStore,Amn.Rollover.ConnectAmnTenantCommand' -ExpectedMessage "*$path*"
        Get-FileHashString $path | Should -Be $hash
    }

    It 'refuses a store whose schema is newer than the module and leaves it untouched' {
        $path = Join-Path $folder 'future.db'
        Connect-AmnTenant -Path $path | Out-Null
        Disconnect-AmnTenant
        Invoke-SqliteFile $path 'PRAGMA user_version = 999;'
        $hash = Get-FileHashString $path
        { Connect-AmnTenant -Path $path } | Should -Throw -ErrorId 'TenantSchemaTooNew,Amn.Rollover.ConnectAmnTenantCommand' -ExpectedMessage "*$path*999*"
        Get-FileHashString $path | Should -Be $hash
    }

    It 'says, for -ListAvailable with a store file and no -ConnectionString, to name the server, and creates no store' {
        $store = Connect-AmnTenant -Path (Join-Path $folder 'school.db')
        { Get-AmnTenant -ListAvailable } | Should -Throw -ErrorId 'ListAvailableNeedsServer,Amn.Rollover.GetAmnTenantCommand' -ExpectedMessage "*'$($store.Path)' is a store file*-ConnectionString*"
        $default = Join-Path $folder 'default.db'
        $output = Invoke-FreshPwsh "Import-Module '$ManifestPath'; try { Get-AmnTenant -ListAvailable -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }" -Environment @{ AMN_TENANT_PATH = $default }
        $output[0] | Should -Be 'ListAvailableNeedsServer,Amn.Rollover.GetAmnTenantCommand'
        $output[1] | Should -BeLike '*no school on a server is connected*-ConnectionString*'
        Test-Path $default | Should -BeFalse
    }

    It 'forgets the current tenant on Disconnect-AmnTenant' {
        $path = Join-Path $folder 'fromenv2.db'
        $output = Invoke-FreshPwsh "Import-Module '$ManifestPath'; Connect-AmnTenant -Path '$(Join-Path $folder 'x.db')' | Out-Null; Disconnect-AmnTenant; (Get-AmnTenant).Path" -Environment @{ AMN_TENANT_PATH = $path }
        $output | Should -Contain $path
    }
}

Describe 'Backup-AmnTenant and Restore-AmnTenant' {
    BeforeEach {
        $folder = New-TestFolder
        $tenant = Connect-AmnTenant -Path (Join-Path $folder 'school.db')
        function Invoke-Sql([string] $Sql) { Invoke-SqliteFile $tenant.Path $Sql }
    }
    AfterEach {
        Disconnect-AmnTenant
        Remove-TestFolder $folder
    }

    It 'writes a timestamped backup beside the store and returns the file' {
        $backup = Backup-AmnTenant
        $backup | Should -BeOfType System.IO.FileInfo
        $backup.DirectoryName | Should -Be (Join-Path $folder 'backups')
        $backup.Name | Should -Match '^school-\d{8}-\d{6}-\d{3}-[0-9a-f]{6}\.db$'
    }

    It 'writes into an existing folder given as -Destination' {
        $target = New-Item -ItemType Directory -Path (Join-Path $folder 'elsewhere')
        (Backup-AmnTenant -Destination $target.FullName).DirectoryName | Should -Be $target.FullName
    }

    It 'takes -Path for -Destination, the name Restore-AmnTenant -Path uses for the same file' {
        $file = Join-Path $folder 'voor-de-zomer.db'
        (Backup-AmnTenant -Path $file).FullName | Should -Be $file
        Restore-AmnTenant -Path $file -Confirm:$false
        (Get-AmnTenant).Path | Should -Be $tenant.Path
    }

    It 'restores the exact previous state' {
        Invoke-Sql "INSERT INTO groups (name, folder_id, created_utc) VALUES ('H4a', 1, '2026-08-01T08:00:00Z')" | Out-Null
        $backup = Backup-AmnTenant
        Invoke-Sql "DELETE FROM groups; INSERT INTO groups (name, folder_id, created_utc) VALUES ('V6', 1, 'y')" | Out-Null

        $backup | Restore-AmnTenant -Confirm:$false
        Invoke-Sql 'SELECT group_concat(name) FROM groups' | Should -Be 'H4a'
        # the content before the restore was saved first
        @(Get-ChildItem (Join-Path $folder 'backups') -Filter 'school-auto-*.db').Count | Should -Be 1
    }

    It 'changes nothing with -WhatIf' {
        $backup = Backup-AmnTenant
        Invoke-Sql "INSERT INTO groups (name, folder_id, created_utc) VALUES ('V6', 1, 'y')" | Out-Null
        $hash = Get-FileHashString $tenant.Path
        Restore-AmnTenant -Path $backup.FullName -WhatIf
        Get-FileHashString $tenant.Path | Should -Be $hash
        @(Get-ChildItem (Join-Path $folder 'backups') -Filter 'school-auto-*.db').Count | Should -Be 0
    }

    It 'refuses a backup that is not a tenant store' {
        $junk = Join-Path $folder 'junk.db'
        Set-Content $junk 'junk'
        { Restore-AmnTenant -Path $junk -Confirm:$false } | Should -Throw -ErrorId 'NotATenantStore,Amn.Rollover.RestoreAmnTenantCommand'
        { Restore-AmnTenant -Path (Join-Path $folder 'nope.db') -Confirm:$false } | Should -Throw -ErrorId 'BackupNotFound,Amn.Rollover.RestoreAmnTenantCommand'
    }

    It 'waits for a writer in another process instead of failing' {
        $backup = Backup-AmnTenant
        $ready = Join-Path $folder 'locked.txt'
        # Another process holds the write lock for 3 seconds, a group written but not committed.
        $holder = Start-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
. '$(Join-Path $PSScriptRoot 'TestHelpers.ps1')'
`$connection = New-SqliteConnection '$($tenant.Path)'
`$command = `$connection.CreateCommand()
`$command.CommandText = "BEGIN IMMEDIATE; INSERT INTO groups (name, folder_id, created_utc) VALUES ('FromOtherProcess', 1, 'z');"
`$null = `$command.ExecuteNonQuery()
Set-Content '$ready' ''
Start-Sleep -Seconds 3
`$command.CommandText = 'COMMIT;'
`$null = `$command.ExecuteNonQuery()
`$connection.Dispose()
exit 0
"@
        $deadline = (Get-Date).AddSeconds(60)
        while (-not (Test-Path $ready) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Test-Path $ready | Should -BeTrue
        { Restore-AmnTenant -Path $backup.FullName -NoBackup -Confirm:$false } | Should -Not -Throw
        $holder.WaitForExit(60000) | Should -BeTrue
        $holder.ExitCode | Should -Be 0
        # the restore came after the other process's commit, so it won
        Invoke-Sql "SELECT count(*) FROM groups WHERE name = 'FromOtherProcess'" | Should -Be 0
    }
}

Describe 'The packaged module' {
    It 'imports from a folder on PSModulePath in a fresh pwsh and runs a cmdlet' {
        $packageRoot = Join-Path $RepoRoot 'out/package'
        Test-Path (Join-Path $packageRoot 'Amn.Rollover/Amn.Rollover.psd1') | Should -BeTrue -Because 'build.ps1 -Task Test packages before testing'
        $folder = New-TestFolder
        try {
            $db = Join-Path $folder 'packaged.db'
            $sep = [IO.Path]::PathSeparator
            $output = Invoke-FreshPwsh "`$env:PSModulePath = '$packageRoot' + '$sep' + `$env:PSModulePath; Import-Module Amn.Rollover; (Get-Module Amn.Rollover).ModuleBase; (Connect-AmnTenant -Path '$db').SchemaVersion; (Get-Help Connect-AmnTenant).Synopsis"
            $output[0] | Should -Be (Join-Path $packageRoot 'Amn.Rollover')
            $output[1] | Should -Be "$((Connect-AmnTenant -Path (Join-Path $folder 'here.db')).SchemaVersion)" -Because 'the packaged module creates stores of the current schema'
            Disconnect-AmnTenant
            $output[2] | Should -BeLike 'Opens a tenant (a store file*'
        }
        finally { Remove-TestFolder $folder }
    }
}

Describe 'A confirmation in a session that cannot ask (pwsh -NonInteractive)' {
    BeforeAll {
        $folder = New-TestFolder
        $tenant = New-TestTenant $folder
        $samples = Join-Path $RepoRoot 'samples'
        Import-AmnStudent -Path (Join-Path $samples 'vorig-jaar-leerlingen.csv') -Folder 2025-2026 | Out-Null
        Import-AmnStaff -Path (Join-Path $samples 'vorig-jaar-personeel.csv') | Out-Null
        $backup = Join-Path $folder 'kopie.db'
        Backup-AmnTenant -Destination $backup | Out-Null
        $hash = Get-TenantState $tenant
        $staffMember = (Get-AmnStaff | Select-Object -First 1).UserName
        $pupil = (Get-AmnStudent | Select-Object -First 1).Number
        $commands = [ordered]@{
            'Remove-AmnGroup -All'       = 'Remove-AmnGroup -All'
            'Remove-AmnStaff'            = "Remove-AmnStaff -UserName '$staffMember'"
            'Remove-AmnStudent'          = "Remove-AmnStudent -Number '$pupil'"
            'Restore-AmnTenant'          = "Restore-AmnTenant -Path '$backup'"
            'Invoke-AmnRollover'         = "Invoke-AmnRollover '$(Join-Path $samples 'leerlingen-2026-2027.csv')' '$(Join-Path $samples 'personeel-2026-2027.xlsx')' -Folder 2026-2027 -WarningAction SilentlyContinue"
        }
        $script = "Import-Module '$ManifestPath'; $(Get-TestConnectCommand $tenant) | Out-Null`n" + (($commands.Values | ForEach-Object {
            "try { $_ | Out-Null; 'RESULT: no error' } catch { 'RESULT: ' + `$_.FullyQualifiedErrorId + ' | ' + `$_.Exception.Message }"
        }) -join "`n")
        $results = @(Invoke-FreshPwsh $script | Where-Object { $_ -like 'RESULT: *' })
    }
    AfterAll { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'stops <_> with an error of its own that says to add -Confirm:$false, changing nothing' -ForEach @('Remove-AmnGroup -All', 'Remove-AmnStaff', 'Remove-AmnStudent', 'Restore-AmnTenant', 'Invoke-AmnRollover') {
        $index = @($commands.Keys).IndexOf($_)
        $results.Count | Should -Be $commands.Count
        $results[$index] | Should -BeLike 'RESULT: ConfirmationNeeded,*'
        $results[$index] | Should -BeLike '*-Confirm:$false*Nothing was changed*'
        $results[$index] | Should -Not -BeLike '*internal error*'
        Get-TenantState $tenant | Should -Be $hash
    }
}
