BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $cp1252 = [System.Text.CodePagesEncodingProvider]::Instance.GetEncoding(1252)
    function New-Export([string] $Name, [string[]] $Lines) {
        $path = Join-Path $folder $Name
        [IO.File]::WriteAllText($path, ($Lines -join "`r`n") + "`r`n", $cp1252)
        $path
    }
}

Describe 'Import-AmnStudent' {
    BeforeEach {
        $folder = New-TestFolder
        $tenant = New-TestTenant $folder
        $magister = New-Export 'leerlingen.csv' @(
            'stamnr;roepnaam;tussenv;achternaam;geb_datum_str;geslacht;klas'
            '012345;Zoë;;Jansen;14-3-2011;V;H4a'
            '012346;Daniël;van der;Berg;31-12-2010;M;H4b'
            '012347;Emre;;Çelik;1-10-2010;M;V4a'
        )
    }
    AfterEach {
        Disconnect-AmnTenant
        Remove-TestFolder $folder
    }

    It 'imports a Magister export and returns the summary' {
        $result = Import-AmnStudent -Path $magister -Folder 2026-2027
        $result.Created | Should -Be 3
        $result.GroupsCreated | Should -Be 3
        $result.WhatIf | Should -BeFalse
        $result.Rows.Action | Should -Be @('Created', 'Created', 'Created')
        (Get-AmnStudent -Number 012346).FullName | Should -Be 'Daniël van der Berg'
        (Get-AmnGroup H4a).Folder | Should -Be '2026-2027'
        @(Get-AmnAuditLog -Action ImportStudents).Count | Should -Be 1
    }

    It 'warns, naming the group and its folder, when -Folder does not apply to a group that exists elsewhere' {
        Import-AmnStudent -Path $magister -Folder 2025-2026 | Out-Null
        $next = New-Export 'volgend.csv' @('stamnr;roepnaam;achternaam;klas', '012345;Zoë;Jansen;H4a', '012346;Daniël;Berg;H5b', '012347;Emre;Çelik;V4a')
        $result = Import-AmnStudent -Path $next -Folder 2026-2027 -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Moved | Should -Be 1
        (Get-AmnGroup H5b).Folder | Should -Be '2026-2027'
        (Get-AmnGroup H4a).Folder | Should -Be '2025-2026'
        @($warnings | Where-Object { "$_" -like '*-Folder*' }).Count | Should -Be 1
        "$warnings" | Should -BeLike "*-Folder '2026-2027'*2 groups exist already*H4a (2025-2026), V4a (2025-2026)*"
        # No warning when the group is in that folder already, or without -Folder.
        Import-AmnStudent -Path $next -Folder 2025-2026 -WarningVariable again -WarningAction SilentlyContinue | Out-Null
        "$again" | Should -BeLike "*H5b (2026-2027)*"
        "$again" | Should -Not -BeLike "*H4a*"
        Import-AmnStudent -Path $next -WarningVariable none -WarningAction SilentlyContinue | Out-Null
        $none | Should -BeNullOrEmpty
    }

    It 'takes filtered Import-Csv rows from the pipeline' {
        $result = Import-Csv $magister -Delimiter ';' -Encoding ansi | Where-Object klas -like 'H*' | Import-AmnStudent
        $result.Created | Should -Be 2
        (Get-AmnStudent).Number | Sort-Object | Should -Be @('012345', '012346')
        (Get-AmnStudent -Number 012345).FirstName | Should -Be 'Zoë'
    }

    It 'applies nothing of a piped batch read with the wrong encoding, saying how to read the file' {
        # The help's own example, without -Encoding, on a Windows-1252 export: PowerShell 7 reads it as UTF-8.
        # Rows without accents look right, but the file was read wrong as a whole.
        $mixed = New-Export 'gemengd.csv' @('stamnr;roepnaam;achternaam;klas', '000001;Jan;Smit;H4a', '000002;Zoë;Jansen;H4a', '000003;Piet;Kok;H4b')
        $hash = Get-TenantState $tenant
        $err = { Import-Csv $mixed -Delimiter ';' | Import-AmnStudent -Confirm:$false } |
            Should -Throw -ErrorId 'PipedWrongEncoding,Amn.Rollover.ImportAmnStudentCommand' -PassThru
        $err.Exception.Message | Should -BeLike '*1 of the 3 piped rows*nothing was imported*Row 2*roepnaam*Import-Csv -Encoding 1252*'
        Get-AmnStudent | Should -BeNullOrEmpty
        Get-AmnGroup | Should -BeNullOrEmpty
        Get-TenantState $tenant | Should -Be $hash
        # UTF-8 read as Windows-1252 is caught too, and -WhatIf says the same.
        $utf8 = Join-Path $folder 'utf8.csv'
        [IO.File]::WriteAllText($utf8, "stamnr;roepnaam;achternaam`n1;Joëlle;Jansen`n2;Jan;Smit`n", [Text.UTF8Encoding]::new($false))
        { Import-Csv $utf8 -Delimiter ';' -Encoding ansi | Import-AmnStudent -WhatIf } | Should -Throw -ErrorId 'PipedWrongEncoding*'
        Get-AmnStudent | Should -BeNullOrEmpty
    }

    It 'shows a running count while it reads piped objects' {
        $ps = [powershell]::Create()
        try {
            # A slow source, as a large pipeline is: progress shows from the first second on, four times a second at most.
            $null = $ps.AddScript("Import-Module '$ManifestPath'; $(Get-TestConnectCommand $tenant) | Out-Null; `$ProgressPreference = 'Continue'; 1..4 | ForEach-Object { Start-Sleep -Milliseconds 600; [pscustomobject]@{ leerlingnummer = 500000 + `$_; voornaam = 'A'; achternaam = 'B'; klas = 'P1' } } | Import-AmnStudent -Confirm:`$false")
            $null = $ps.Invoke()
            $reading = @($ps.Streams.Progress | Where-Object Activity -eq 'Reading the piped objects')
            $reading.Count | Should -BeGreaterOrEqual 2
            $reading[0].StatusDescription | Should -Match '^\d+ objects read$'
            $reading[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }

    It 'reads piped objects the same through PowerShell''s public property list (the fallback of the instance-member shortcut)' {
        $script = @"
Import-Module '$ManifestPath'
Connect-AmnTenant -Path (Join-Path '$folder' ("t" + [guid]::NewGuid().ToString('N') + ".db")) | Out-Null
`$rows = @(
    [pscustomobject]@{ stamnr = '1'; roepnaam = 'Zoë'; achternaam = 'Jansen'; klas = 'H4a' }
    [pscustomobject]@{ leerlingnummer = '2'; voornaam = 'Daniël'; tussenvoegsel = 'van der'; achternaam = 'Berg'; groep = 'H4b'; geboortedatum = '31-12-2010' }
    (New-Object psobject -Property @{ deelnemersnummer = '3'; voornaam = 'Emre'; achternaam = 'Çelik' }) | Add-Member -MemberType ScriptProperty -Name klas -Value { 'V4a' } -PassThru
    [pscustomobject]@{ stamnr = '4'; roepnaam = ''; achternaam = 'Leeg' }
)
`$result = `$rows | Import-AmnStudent -ErrorAction SilentlyContinue
"created=`$(`$result.Created);failed=`$(`$result.Failed)"
Get-AmnStudent | Sort-Object Number | ForEach-Object { "`$(`$_.Number)|`$(`$_.FirstName)|`$(`$_.Prefix)|`$(`$_.LastName)|`$(`$_.Group)|`$(`$_.BirthDate)" }
"@
        $shortcut = Invoke-FreshPwsh $script
        $fallback = Invoke-FreshPwsh $script -Environment @{ AMN_ROLLOVER_PUBLIC_MEMBERS_ONLY = '1' }
        $shortcut | Should -Contain 'created=3;failed=1'
        $fallback | Should -Be $shortcut
    }

    It 'reads each piped object by its own properties when their shapes differ' {
        $rows = @(
            [pscustomobject]@{ stamnr = '000001'; roepnaam = 'Jan'; achternaam = 'Smit'; klas = 'H1' }
            [pscustomobject]@{ stamnr = '000002'; roepnaam = 'Piet'; achternaam = 'Jansen'; klas = 'H1'; email = 'piet@school.example.nl' }
            [pscustomobject]@{ achternaam = 'Bakker'; stamnr = '000003'; roepnaam = 'Kees' }
            (Add-Member -InputObject ([pscustomobject]@{ stamnr = '000004'; roepnaam = 'Lies' }) -MemberType ScriptProperty -Name achternaam -Value { 'de Vries' } -PassThru)
        )
        ($rows | Import-AmnStudent).Created | Should -Be 4
        (Get-AmnStudent -Number 000001).Email | Should -BeNullOrEmpty
        (Get-AmnStudent -Number 000002).Email | Should -Be 'piet@school.example.nl'
        (Get-AmnStudent -Number 000003).LastName | Should -Be 'Bakker'
        (Get-AmnStudent -Number 000003).Group | Should -BeNullOrEmpty
        (Get-AmnStudent -Number 000004).LastName | Should -Be 'de Vries'
    }

    It 'takes records from Read-AmnImportFile' {
        (Read-AmnImportFile $magister | Where-Object Group -eq 'V4a' | Import-AmnStudent).Created | Should -Be 1
    }

    It 'leaves the store byte-identical with -WhatIf and still reports the actions' {
        Import-AmnStudent -Path $magister | Out-Null
        $hash = Get-TenantState $tenant
        $changed = New-Export 'nieuw.csv' @('stamnr;roepnaam;achternaam;klas', '012345;Zoë;Jansen;H5a', '099999;Nieuw;Kind;H5a')
        $result = Import-AmnStudent -Path $changed -WhatIf
        $result.WhatIf | Should -BeTrue
        $result.Created | Should -Be 1
        $result.Moved | Should -Be 1
        ($result.Rows | Where-Object Number -eq '012345').Action | Should -Be 'Moved'
        ($result.Rows | Where-Object Number -eq '012345').Changes.Field | Should -Be @('Group')
        "$(($result.Rows | Where-Object Number -eq '012345').Changes)" | Should -Be 'Group: H4a -> H5a'
        ($result.Rows | Export-Csv -Path (Join-Path $folder 'rows.csv') -NoTypeInformation)
        (Import-Csv (Join-Path $folder 'rows.csv') | Where-Object Number -eq '012345').Changes | Should -Be 'Group: H4a -> H5a'
        Get-TenantState $tenant | Should -Be $hash
        (Get-AmnStudent -Number 012345).Group | Should -Be 'H4a'
    }

    It 'says under -WhatIf what it would do with the counts, as Import-AmnStaff and the rollover do, from a file and from the pipeline' {
        $file = New-Export 'whatif.csv' @('stamnr;roepnaam;achternaam;klas', '012345;Zoe;Jansen;H5a', '099999;Nieuw;Kind;H5a')
        $store = Join-Path $folder 'whatif.db'
        $output = Invoke-FreshPwsh "Import-Module '$ManifestPath'; Connect-AmnTenant -Path '$store' | Out-Null; Import-AmnStudent -Path '$file' -WhatIf | Out-Null; Import-Csv '$file' -Delimiter ';' | Import-AmnStudent -WhatIf | Out-Null"
        $whatIf = @($output | Where-Object { $_ -like 'What if:*' })
        $whatIf.Count | Should -Be 2
        $whatIf[0] | Should -BeLike "What if:*Import students*2 rows from $file`: 2 created, 0 updated, 0 moved, 0 unchanged, 0 failed; 1 new groups*"
        $whatIf[1] | Should -BeLike 'What if:*Import students*2 rows from pipeline: 2 created, 0 updated, 0 moved, 0 unchanged, 0 failed; 1 new groups*'
    }

    It 'stores valid rows and writes each failed row to the error stream with the row as target' {
        $bad = New-Export 'fout.csv' @('stamnr;roepnaam;achternaam;geb_datum_str;klas', '1;Jan;Smit;31-02-2010;H1', '2;Piet;Jansen;1-1-2010;H1')
        $result = Import-AmnStudent -Path $bad -ErrorVariable errors -ErrorAction SilentlyContinue
        $result.Created | Should -Be 1
        $result.Failed | Should -Be 1
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidDate,Amn.Rollover.ImportAmnStudentCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errors[0].TargetObject.RowNumber | Should -Be 2
        $errors[0].Exception.Message | Should -BeLike "*fout.csv*Row 2*geb_datum_str*31-02-2010*"
        (Get-AmnStudent).Number | Should -Be '2'
    }

    It 'stores nothing when -ErrorAction Stop meets a failed row' {
        $bad = New-Export 'fout.csv' @('stamnr;roepnaam;achternaam;klas', '1;Jan;Smit;H1', '2;;Jansen;H1')
        { Import-AmnStudent -Path $bad -ErrorAction Stop } | Should -Throw -ErrorId 'MissingRequiredField,Amn.Rollover.ImportAmnStudentCommand'
        (Get-AmnTenant).StudentCount | Should -Be 0
        (Get-AmnTenant).GroupCount | Should -Be 0
    }

    It 'writes failed rows to -ErrorLogPath in their original columns, ready to fix and import again' {
        $bad = New-Export 'fout.csv' @('stamnr;roepnaam;achternaam;geslacht;klas', '1;Jan;Smit;Q;H1', '2;Piet;Jansen;M;H1')
        $log = Join-Path $folder 'fouten.csv'
        Import-AmnStudent -Path $bad -ErrorLogPath $log -ErrorAction SilentlyContinue | Out-Null
        $rows = @(Import-Csv $log -Delimiter ';')
        $rows | Should -HaveCount 1
        $rows[0].stamnr | Should -Be '1'
        $rows[0].geslacht | Should -Be 'Q'
        $rows[0].ErrorId | Should -Be 'InvalidGender'
        $rows[0].Column | Should -Be 'geslacht'
        # fixed in place, the log imports cleanly
        $fixed = (Get-Content $log -Raw -Encoding utf8) -replace ';Q;', ';M;'
        Set-Content $log $fixed -Encoding utf8BOM -NoNewline
        (Import-AmnStudent -Path $log).Created | Should -Be 1
    }

    It 'refuses an error log in a missing folder before storing anything' {
        { Import-AmnStudent -Path $magister -ErrorLogPath (Join-Path $folder 'nope/log.csv') } | Should -Throw -ErrorId 'OutputFolderNotFound,Amn.Rollover.ImportAmnStudentCommand'
        (Get-AmnTenant).StudentCount | Should -Be 0
    }

    It 'fails a reused number and explains whose it is' {
        Import-AmnStudent -Path $magister | Out-Null
        $other = New-Export 'ander.csv' @('stamnr;roepnaam;achternaam;geb_datum_str;klas', '012345;Piet;Bakker;1-1-2012;H5a')
        $result = Import-AmnStudent -Path $other -ErrorVariable errors -ErrorAction SilentlyContinue
        $result.Failed | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NumberReused,*'
        "$($errors[0])" | Should -BeLike '*Zoë Jansen*'
        (Import-AmnStudent -Path $other -AllowIdentityChange).Moved | Should -Be 1
    }

    It 'rolls back everything when stopped halfway (Ctrl+C)' {
        $ps = [powershell]::Create()
        [void]$ps.AddScript("Import-Module '$ManifestPath'; $(Get-TestConnectCommand $tenant) | Out-Null; 1..2000000 | ForEach-Object { [pscustomobject]@{ stamnr = `$_.ToString('D7'); roepnaam = 'Jan'; achternaam = 'Smit'; klas = 'G' + [int](`$_ / 28) } } | Import-AmnStudent")
        $handle = $ps.BeginInvoke()
        Start-Sleep -Seconds 3
        $ps.InvocationStateInfo.State | Should -Be 'Running' -Because 'the stop must land in the middle of the import'
        $ps.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $ps.Dispose()
        (Get-AmnTenant).StudentCount | Should -Be 0
        (Get-AmnTenant).GroupCount | Should -Be 0
    }

    It 'emits the stored students with -PassThru' {
        $students = Import-AmnStudent -Path $magister -PassThru
        $students | Should -HaveCount 3
        $students[0] | Should -BeOfType Amn.Rollover.Core.Model.Student
    }

    It 'names the missing column of piped objects' {
        { [pscustomobject]@{ stamnr = '1'; roepnaam = 'Jan' } | Import-AmnStudent } | Should -Throw -ErrorId 'RequiredColumnMissing,Amn.Rollover.ImportAmnStudentCommand' -ExpectedMessage "*'achternaam'*"
    }
}

Describe 'Get-AmnStudent and Get-AmnGroup' {
    BeforeAll {
        $folder = New-TestFolder
        $tenant = New-TestTenant $folder
        $path = New-Export 'l.csv' @(
            'stamnr;roepnaam;tussenv;achternaam;klas'
            '1;Zoë;;Jansen;H4a', '2;Daniël;van der;Berg;H4b', '3;Emre;;Çelik;V4a', '4;Sem;de;Boer;'
        )
        Import-AmnStudent -Path $path -Folder 2026-2027/Havo | Out-Null
    }
    AfterAll {
        Disconnect-AmnTenant
        Remove-TestFolder $folder
    }

    It 'filters on number, name, group and no group' {
        (Get-AmnStudent -Number 2).FullName | Should -Be 'Daniël van der Berg'
        (Get-AmnStudent -Name '*van der*').Number | Should -Be '2'
        (Get-AmnStudent -Group 'H*').Number | Sort-Object | Should -Be @('1', '2')
        (Get-AmnStudent -WithoutGroup).Number | Should -Be '4'
        (Get-AmnStudent -WithoutGroup).FullName | Should -Be 'Sem de Boer'
    }

    It 'lists the pupils of piped groups' {
        (Get-AmnGroup H4* | Get-AmnStudent).Number | Sort-Object | Should -Be @('1', '2')
    }

    It 'lists groups with folder and counts' {
        $groups = Get-AmnGroup
        $groups.Name | Should -Be @('H4a', 'H4b', 'V4a')
        ($groups | Where-Object Name -eq 'H4a').StudentCount | Should -Be 1
        ($groups | Where-Object Name -eq 'H4a').Folder | Should -Be '2026-2027/Havo'
        (Get-AmnGroup -Folder '2026*').Count | Should -Be 3
    }

    It 'reports names that match nothing as ObjectNotFound' {
        Get-AmnStudent -Number 99 -ErrorVariable e1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $e1[0].FullyQualifiedErrorId | Should -Be 'StudentNotFound,Amn.Rollover.GetAmnStudentCommand'
        Get-AmnGroup X9z -ErrorVariable e2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $e2[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($e2[0])" | Should -BeLike "*'X9z'*"
        Get-AmnGroup 'Q*' -ErrorVariable e3 | Should -BeNullOrEmpty
        $e3 | Should -BeNullOrEmpty
    }

    It 'completes group names' {
        $line = 'Get-AmnStudent -Group H4'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('H4a', 'H4b')
    }

    It 'pipes into Export-Csv' {
        $csv = Join-Path $folder 'out.csv'
        Get-AmnStudent | Export-Csv $csv -NoTypeInformation
        (Import-Csv $csv | Where-Object Number -eq '2').FullName | Should -Be 'Daniël van der Berg'
    }
}

Describe 'The module''s own output through Export-Csv and back' {
    It 'comes back unchanged in the <Name> culture' -ForEach @(@{ Name = 'invariant'; Culture = '' }, @{ Name = 'en-US'; Culture = 'en-US' }, @{ Name = 'nl-NL'; Culture = 'nl-NL' }) {
        $folder = New-TestFolder
        try {
            $file = Join-Path $folder 'leerlingen.csv'
            Set-Content $file "stamnr;roepnaam;achternaam;geboortedatum;klas`n001;Zoë;Jansen;7-3-2012;H4a`n002;Daan;Smit;31-12-2011;H4a`n003;Eva;Bos;12-11-2012;H4b"
            $output = Invoke-FreshPwsh @"
[System.Globalization.CultureInfo]::CurrentCulture = [System.Globalization.CultureInfo]::GetCultureInfo('$Culture')
Import-Module '$ManifestPath'
Connect-AmnTenant -Path '$folder/school.db' | Out-Null
Import-AmnStudent -Path '$file' | Out-Null
Get-AmnStudent | Export-Csv '$folder/export.csv' -NoTypeInformation
`$result = Import-Csv '$folder/export.csv' | Import-AmnStudent -ErrorAction Continue
"created=`$(`$result.Created) updated=`$(`$result.Updated) unchanged=`$(`$result.Unchanged) failed=`$(`$result.Failed)"
(Get-AmnStudent | ForEach-Object { `$_.Number + '=' + `$_.BirthDate.ToString('yyyy-MM-dd') }) -join ' '
"@
            $output | Should -Contain 'created=0 updated=0 unchanged=3 failed=0'
            $output | Should -Contain '001=2012-03-07 002=2011-12-31 003=2012-11-12'
        }
        finally { Remove-TestFolder $folder }
    }
}
