BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $fixtures = Join-Path $PSScriptRoot 'fixtures'
    $folder = New-TestFolder
    # A Magister-style export as Dutch Excel and Magister write it: semicolons, Windows-1252.
    $magister = Join-Path $folder 'magister.csv'
    $cp1252 = [System.Text.CodePagesEncodingProvider]::Instance.GetEncoding(1252)
    [IO.File]::WriteAllText($magister, (@(
        'stamnr;roepnaam;tussenv;achternaam;geb_datum_str;geslacht;klas;email'
        '012345;Zoë;;Jansen;14-3-2011;V;H4a;zoe@leerling.example.nl'
        '012346;Daniël;van der;Berg;31-12-2010;M;H4b;'
        '012347;Emre;;Çelik;31-02-2010;man;H4b;emre(at)school'
    ) -join "`r`n") + "`r`n", $cp1252)
}
AfterAll { Remove-TestFolder $folder }

Describe 'Test-AmnImportFile' {
    It 'reports how a Magister CSV reads and what is wrong with it' {
        $report = Test-AmnImportFile -Path $magister
        $report.Format | Should -Be 'Csv'
        $report.Encoding | Should -Be 'windows-1252'
        $report.Delimiter | Should -Be ';'
        $report.HeaderRow | Should -Be 1
        $report.Kind | Should -Be 'Student'
        ($report.Columns | Where-Object Header -eq 'stamnr').Field | Should -Be 'Number'
        $report.RowCount | Should -Be 3
        $report.ValidRowCount | Should -Be 2
        $report.IsValid | Should -BeFalse
        $report.Errors.ErrorId | Should -Be @('InvalidDate', 'InvalidEmail')
        $report.Errors[0].Row | Should -Be 4
        $report.Errors[0].Column | Should -Be 'geb_datum_str'
        $report.Errors[0].Value | Should -Be '31-02-2010'
    }

    It 'takes files from Get-ChildItem' {
        $reports = Get-ChildItem $fixtures -Filter 'students*.xls*' | Test-AmnImportFile
        $reports.Count | Should -Be 3
        $reports.Format | ForEach-Object ToString | Sort-Object -Unique | Should -Be @('Xls', 'Xlsx')
    }

    It 'is a terminating error naming the file when <Case>' -ForEach @(
        @{ Case = 'the file is missing'; File = 'nope.csv'; ErrorId = 'FileNotFound' }
        @{ Case = 'the workbook is damaged'; File = 'damaged.xlsx'; ErrorId = 'UnreadableWorkbook' }
    ) {
        $path = if ($File -eq 'damaged.xlsx') { Join-Path $fixtures $File } else { Join-Path $folder $File }
        { Test-AmnImportFile -Path $path } | Should -Throw -ErrorId "$ErrorId,Amn.Rollover.TestAmnImportFileCommand" -ExpectedMessage "*$File*"
    }

    It 'completes the worksheets of the workbook in -Path' {
        $xlsx = Join-Path $fixtures 'students.xlsx'
        $line = "Read-AmnImportFile -Path '$xlsx' -Worksheet P"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Personeel')
    }

    It 'completes the worksheets of the rollover''s workbook, from -StudentPath or else -StaffPath' {
        $xlsx = Join-Path $fixtures 'students.xlsx'
        foreach ($line in "Invoke-AmnRollover -StudentPath '$xlsx' -StaffPath x.csv -Worksheet P", "Invoke-AmnRollover -StudentPath x.csv -Worksheet P", "Invoke-AmnRollover -StaffPath '$xlsx' -Worksheet P") {
            $expected = if ($line -like "*-StudentPath x.csv*") { @() } else { @('Personeel') }
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be $expected -Because $line
        }
    }

    It 'completes the rollover''s -Worksheet from every workbook on the line: a CSV student file and a staff workbook give the staff workbook''s sheets' {
        $csv = Join-Path $folder 'leerlingen.csv'
        Set-Content -Path $csv -Value 'stamnr;roepnaam;achternaam;klas', '1;Jan;Smit;H4a'
        $staff = Join-Path $fixtures 'staff-two-lists.xlsx'
        $students = Join-Path $fixtures 'students.xlsx'
        $line = "Invoke-AmnRollover -StudentPath '$csv' -StaffPath '$staff' -Worksheet M"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Medewerkers')
        $line = "Invoke-AmnRollover -StudentPath '$students' -StaffPath '$staff' -Worksheet "
        $both = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $both | Should -Contain 'Personeel'
        $both | Should -Contain 'Medewerkers'
    }

    It 'completes -StudentWorksheet from -StudentPath and -StaffWorksheet from -StaffPath' {
        $students = Join-Path $fixtures 'cover-two-lists.xlsx'
        $staff = Join-Path $fixtures 'staff-two-lists.xlsx'
        $line = "Invoke-AmnRollover -StudentPath '$students' -StaffPath '$staff' -StudentWorksheet "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Leerlingen', 'Voorblad', "'Vorig jaar'")
        $line = "Invoke-AmnRollover -StudentPath '$students' -StaffPath '$staff' -StaffWorksheet M"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Medewerkers')
    }

    It 'completes -Encoding names' {
        $line = 'Test-AmnImportFile x.csv -Encoding wi'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'windows-1252'
    }
}

Describe 'Read-AmnImportFile' {
    It 'emits one normalised record per row' {
        $records = Read-AmnImportFile $magister
        $records.Count | Should -Be 3
        $records[0].Number | Should -Be '012345'
        $records[0].FirstName | Should -Be 'Zoë'
        $records[0].BirthDate | Should -Be ([datetime]'2011-03-14')
        $records[1].Prefix | Should -Be 'van der'
        $records[2].Gender | Should -Be 'M'
        $records[2].IsValid | Should -BeFalse
    }

    It 'warns how many rows have errors' {
        Read-AmnImportFile $magister -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        $warnings | Should -HaveCount 1
        "$warnings" | Should -BeLike '1 of 3 rows*errors*'
    }

    It 'pipes into Export-Csv with readable problem columns' {
        $csv = Join-Path $folder 'out.csv'
        Read-AmnImportFile $magister -WarningAction SilentlyContinue | Export-Csv $csv -NoTypeInformation
        $rows = Import-Csv $csv
        $rows[0].Number | Should -Be '012345'
        $rows[2].Errors | Should -BeLike 'InvalidDate: Row 4*; InvalidEmail: Row 4*'
    }

    It 'emits nothing when the file has no header row' {
        $bad = Join-Path $folder 'bad.csv'
        Set-Content $bad "a;b;c`n1;2;3"
        $records = @()
        { $script:records = Read-AmnImportFile $bad } | Should -Throw -ErrorId 'HeaderRowNotFound,Amn.Rollover.ReadAmnImportFileCommand'
        $script:records | Should -BeNullOrEmpty
    }

    It 'reads a worksheet of a workbook and staff lists' {
        $staff = Read-AmnImportFile (Join-Path $fixtures 'students.xlsx') -Worksheet Personeel
        $staff.UserName | Should -Be 'p.devries@school.example.nl'
        $staff.Groups | Should -Be @('H4a', 'H4b')
        $staff.Roles | Should -Be @('mentor')
    }

    It 'accepts a -ColumnMap hashtable' {
        $odd = Join-Path $folder 'odd.csv'
        Set-Content $odd "Leerling ID;Roepnaam;Achternaam`n77;Jan;Smit"
        (Read-AmnImportFile $odd -ColumnMap @{ 'Leerling ID' = 'deelnemersnummer' }).Number | Should -Be '77'
    }
}

Describe 'A path that is not a regular file' -Skip:(-not ($IsLinux -or $IsMacOS)) {
    BeforeAll {
        $tenantFolder = New-TestFolder
        New-TestTenant $tenantFolder | Out-Null
    }
    AfterAll { Remove-Item $tenantFolder -Recurse -Force }

    It '<Name> refuses /dev/zero at once, naming it' -ForEach @(
        @{ Name = 'Test-AmnImportFile'; Run = { Test-AmnImportFile -Path /dev/zero } }
        @{ Name = 'Read-AmnImportFile'; Run = { Read-AmnImportFile -Path /dev/zero } }
        @{ Name = 'Import-AmnStudent'; Run = { Import-AmnStudent -Path /dev/zero -Confirm:$false } }
        @{ Name = 'Import-AmnStaff'; Run = { Import-AmnStaff -Path /dev/zero -Confirm:$false } }
        @{ Name = 'Compare-AmnStaff'; Run = { Compare-AmnStaff -Path /dev/zero } }
        @{ Name = 'Invoke-AmnRollover'; Run = { Invoke-AmnRollover -StudentPath /dev/zero -StaffPath /dev/zero -Confirm:$false } }
        @{ Name = 'Invoke-AmnRollover -Plan'; Run = { Invoke-AmnRollover -Plan /dev/zero -Confirm:$false } }
        @{ Name = 'Restore-AmnTenant'; Run = { Restore-AmnTenant -Path /dev/zero -Confirm:$false } }
        @{ Name = 'Connect-AmnTenant'; Run = { Connect-AmnTenant -Path /dev/zero } }
    ) {
        $failure = $null
        try { & $Run -ErrorAction Stop | Out-Null } catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike 'NotARegularFile*'
        $failure.Exception.Message | Should -BeLike "*'/dev/zero'*"
    }
}

Describe 'A file with a UTF-8 byte-order mark and Windows-1252 text' {
    BeforeAll {
        $tenantFolder = New-TestFolder
        $script:tenant = New-TestTenant $tenantFolder
        $script:bomFile = Join-Path $tenantFolder 'bom.csv'
        $ansi = [Amn.Rollover.Core.Files.TextFormat]::Windows1252.GetBytes("leerlingnummer;voornaam;achternaam;gebruikersnaam;klas`r`n1;Jan;Jansen;j@s.nl;H1`r`n2;Zoë;Müller;z@s.nl;H1`r`n")
        [IO.File]::WriteAllBytes($bomFile, [byte[]](0xEF, 0xBB, 0xBF) + $ansi)
    }
    AfterAll { Remove-Item $tenantFolder -Recurse -Force }

    It '<Name> stops with InvalidEncoding naming the file and line 3, and stores nothing' -ForEach @(
        @{ Name = 'Test-AmnImportFile'; Run = { Test-AmnImportFile -Path $bomFile } }
        @{ Name = 'Read-AmnImportFile'; Run = { Read-AmnImportFile -Path $bomFile } }
        @{ Name = 'Import-AmnStudent'; Run = { Import-AmnStudent -Path $bomFile -Confirm:$false } }
        @{ Name = 'Invoke-AmnRollover'; Run = { Invoke-AmnRollover -StudentPath $bomFile -StaffPath $bomFile -Confirm:$false } }
    ) {
        $state = Get-TenantState $tenant
        $failure = $null
        try { & $Run -ErrorAction Stop | Out-Null } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidEncoding*'
        $failure.Exception.Message | Should -BeLike "*'$bomFile'*line 3*0xEB*"
        Get-TenantState $tenant | Should -Be $state
    }

    It 'is read as Windows-1252 when asked, the mark skipped' {
        $rows = Read-AmnImportFile -Path $bomFile -Encoding windows-1252
        $rows.FirstName | Should -Be @('Jan', 'Zoë')
        $rows[1].LastName | Should -Be 'Müller'
    }
}
