BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    function New-School {
        $script:folder = New-TestFolder
        $script:tenant = New-TestTenant $folder
        'H4a', 'H4b', 'V5b', 'V5c' | New-AmnGroup | Out-Null
        $script:staffCsv = Join-Path $folder 'personeel.csv'
        Set-Content $staffCsv -Encoding utf8 -Value @(
            'gebruikersnaam;afkorting;voornaam;tussenvoegsel;achternaam;rol;klas;klas'
            'j.bakker@school.nl;BAK;Jan;;Bakker;mentor, docent;H4a;H4b'
            'e.devries@school.nl;VRI;Els;de;Vries;docent;V5b;'
            'a.kok@school.nl;KOK;Ali;;Kok;regievoerder;;'
        )
    }
}

Describe 'Import-AmnStaff' {
    BeforeEach { New-School }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'imports staff with roles and links, and Get-AmnGroup counts them' {
        $result = Import-AmnStaff -Path $staffCsv
        $result.Created | Should -Be 3
        $result.LinksAdded | Should -Be 3
        (Get-AmnStaff -UserName j.bakker@school.nl).Roles | Should -Be @('mentor', 'docent')
        (Get-AmnGroup H4a).StaffCount | Should -Be 1
        (Get-AmnStaff -Role mentor).UserName | Should -Be 'j.bakker@school.nl'
        (Get-AmnStaff -Group 'V5*').FullName | Should -Be 'Els de Vries'
    }

    It 'exports staff and per-row outcomes to CSV with readable lists' {
        $result = Import-AmnStaff -Path $staffCsv
        $csv = Get-AmnStaff j.bakker@school.nl | ConvertTo-Csv
        $csv[1] | Should -BeLike '*"mentor, docent","H4a, H4b"*'
        ($result.Rows | ConvertTo-Csv)[1] | Should -BeLike '*"H4a, H4b"*'
    }

    It 'reads the xlsx fixture with repeated klas columns' {
        (Import-AmnStaff -Path (Join-Path $PSScriptRoot 'fixtures/staff.xlsx')).LinksAdded | Should -Be 4
        (Get-AmnStaffGroupLink -UserName e.devries@school.example.nl).Group | Should -Be @('V5b', 'V5c')
    }

    It 'warns about unknown groups and fails bad rows with clear errors' {
        $bad = Join-Path $folder 'fout.csv'
        Set-Content $bad -Encoding utf8 -Value @(
            'gebruikersnaam;achternaam;rol;klas'
            'j@school.nl;Bakker;conciërge;H4a'
            'BAK;Bakker;docent;H4a'
            'k@school.nl;Kok;docent;Z9'
        )
        $result = Import-AmnStaff -Path $bad -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Failed | Should -Be 2
        $result.Created | Should -Be 1
        $errors.FullyQualifiedErrorId | Should -Be @('UnknownRole,Amn.Rollover.ImportAmnStaffCommand', 'InvalidUserName,Amn.Rollover.ImportAmnStaffCommand')
        "$($errors[0])" | Should -BeLike "*Row 2*conciërge*"
        "$warnings" | Should -BeLike "*'Z9' does not exist*"
    }

    It 'moves a code to a colleague and swaps codes in one file' {
        Import-AmnStaff -Path $staffCsv | Out-Null
        $next = Join-Path $folder 'volgend-jaar.csv'
        Set-Content $next -Encoding utf8 -Value @(
            'gebruikersnaam;afkorting;voornaam;achternaam;rol'
            'n.nieuw@school.nl;BAK;Nina;Nieuw;docent'
            'j.bakker@school.nl;KOK;Jan;Bakker;mentor, docent'
            'a.kok@school.nl;JBA;Ali;Kok;regievoerder'
        )
        $result = Import-AmnStaff -Path $next
        ($result.Created, $result.Updated, $result.Failed) | Should -Be @(1, 2, 0)
        Get-AmnStaff | Sort-Object UserName | ForEach-Object { "$($_.UserName)=$($_.Code)" } | Should -Be @('a.kok@school.nl=JBA', 'e.devries@school.nl=VRI', 'j.bakker@school.nl=KOK', 'n.nieuw@school.nl=BAK')
    }

    It 'refuses a student file given as the staff file' {
        { Import-AmnStaff -Path (Join-Path $RepoRoot 'samples/leerlingen-2026-2027.csv') } | Should -Throw -ErrorId 'LooksLikeStudentFile,Amn.Rollover.ImportAmnStaffCommand' -ExpectedMessage '*leerlingen-2026-2027.csv*student file*'
        (Get-AmnTenant).StaffCount | Should -Be 0
    }

    It 'changes nothing with -WhatIf' {
        $hash = Get-TenantState $tenant
        (Import-AmnStaff -Path $staffCsv -WhatIf).Created | Should -Be 3
        Get-TenantState $tenant | Should -Be $hash
    }
}

Describe 'Set-AmnStaffGroupLink and Remove-AmnStaffGroupLink' {
    BeforeEach { New-School; Import-AmnStaff -Path $staffCsv | Out-Null }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'completes stored usernames for -UserName on <_>' -ForEach 'Set-AmnStaffGroupLink', 'Remove-AmnStaffGroupLink', 'Get-AmnStaffGroupLink', 'Get-AmnStaff', 'Remove-AmnStaff' {
        $line = "$_ -UserName j."
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('j.bakker@school.nl')
    }

    It 'links by username or code, idempotently' {
        Set-AmnStaffGroupLink -UserName a.kok@school.nl -Group V5b, V5c
        Set-AmnStaffGroupLink -Code kok -Group V5b
        (Get-AmnStaffGroupLink -UserName a.kok@school.nl).Group | Should -Be @('V5b', 'V5c')
    }

    It 'takes Import-Csv rows with gebruikersnaam/code and klas columns' {
        $links = Join-Path $folder 'koppelingen.csv'
        Set-Content $links -Encoding utf8 -Value @('gebruikersnaam;klas', 'a.kok@school.nl;H4a, H4b', 'e.devries@school.nl;V5c')
        Import-Csv $links -Delimiter ';' | Set-AmnStaffGroupLink
        (Get-AmnStaff a.kok@school.nl).Groups | Should -Be @('H4a', 'H4b')
        $byCode = Join-Path $folder 'codes.csv'
        Set-Content $byCode -Encoding utf8 -Value @('code;groep', 'VRI;H4a')
        Import-Csv $byCode -Delimiter ';' | Set-AmnStaffGroupLink
        (Get-AmnStaff e.devries@school.nl).Groups | Should -Be @('H4a', 'V5b', 'V5c')
    }

    It 'makes links exact with -Exclusive and returns them with -PassThru' {
        $links = Set-AmnStaffGroupLink -UserName j.bakker@school.nl -Group V5c -Exclusive -PassThru
        $links.Group | Should -Be 'V5c'
    }

    It 'reports an unknown staff member and warns about unknown groups' {
        Set-AmnStaffGroupLink -UserName nobody@school.nl -Group H4a -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'StaffNotFound,Amn.Rollover.SetAmnStaffGroupLinkCommand'
        Set-AmnStaffGroupLink -UserName a.kok@school.nl -Group Q1 -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -BeLike "*'Q1' does not exist*"
        Set-AmnStaffGroupLink -UserName a.kok@school.nl -Group Q1 -CreateMissingGroups
        (Get-AmnGroup Q1).StaffCount | Should -Be 1
    }

    It 'removes links, leaving absent ones alone' {
        Remove-AmnStaffGroupLink -UserName j.bakker@school.nl -Group H4b, V5b
        (Get-AmnStaff j.bakker@school.nl).Groups | Should -Be @('H4a')
        Get-AmnStaffGroupLink -Group H4a | Remove-AmnStaffGroupLink
        (Get-AmnGroup H4a).StaffCount | Should -Be 0
    }

    It 'changes nothing with -WhatIf' {
        $hash = Get-TenantState $tenant
        Set-AmnStaffGroupLink -UserName a.kok@school.nl -Group V5c -WhatIf
        Get-TenantState $tenant | Should -Be $hash
    }
}

Describe 'Compare-AmnStaff and Remove-AmnStaff' {
    BeforeEach {
        New-School
        Import-AmnStaff -Path $staffCsv | Out-Null
        # more colleagues, so that one departure stays under the 10% limit
        1..20 | ForEach-Object { [pscustomobject]@{ gebruikersnaam = "docent$_@school.nl"; achternaam = "Docent $_"; rol = 'docent' } } | Import-AmnStaff | Out-Null
        $script:newCsv = Join-Path $folder 'personeel-nieuw.csv'
        $rows = @('gebruikersnaam;achternaam;rol', 'e.devries@school.nl;Vries;docent', 'a.kok@school.nl;Kok;regievoerder', 'n.nieuw@school.nl;Nieuw;docent') + (1..20 | ForEach-Object { "docent$_@school.nl;Docent $_;docent" })
        Set-Content $newCsv -Encoding utf8 -Value $rows
    }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'tells new, existing and departed staff apart' {
        $comparison = Compare-AmnStaff -Path $newCsv
        ($comparison | Where-Object Status -eq 'Departed').UserName | Should -Be 'j.bakker@school.nl'
        ($comparison | Where-Object Status -eq 'New').UserName | Should -Be 'n.nieuw@school.nl'
        @($comparison | Where-Object Status -eq 'Existing').Count | Should -Be 22
    }

    It 'removes departed mentors through the pipeline, with their links' {
        Compare-AmnStaff -Path $newCsv | Where-Object { $_.Status -eq 'Departed' -and $_.Roles -contains 'mentor' } | Remove-AmnStaff -Confirm:$false
        Get-AmnStaff j.bakker@school.nl -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-AmnGroup H4a).StaffCount | Should -Be 0
        (Get-AmnTenant).StaffCount | Should -Be 22
    }

    It 'refuses to remove more than 10% of staff without -Force, removing nobody' {
        $three = Get-AmnStaff -UserName 'docent1*'   # docent1, docent10..19: 11 of 23
        { $three | Remove-AmnStaff -Confirm:$false } | Should -Throw -ErrorId 'TooManyStaffRemoved,Amn.Rollover.RemoveAmnStaffCommand' -ExpectedMessage '*11 of the 23*'
        (Get-AmnTenant).StaffCount | Should -Be 23
        $removed = $three | Remove-AmnStaff -Confirm:$false -Force -PassThru
        $removed.Count | Should -Be 11
        Test-Path $tenant.BackupFolder | Should -BeTrue
    }

    It 'completes usernames and roles' {
        $line = 'Remove-AmnStaff -UserName j.'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('j.bakker@school.nl')
        $line = 'Get-AmnStaff -Role me'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('mentor')
    }

    It 'reports an unknown username and changes nothing with -WhatIf' {
        Remove-AmnStaff -UserName nobody@school.nl -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'StaffNotFound,Amn.Rollover.RemoveAmnStaffCommand'
        $hash = Get-TenantState $tenant
        Remove-AmnStaff -UserName a.kok@school.nl -WhatIf
        Get-TenantState $tenant | Should -Be $hash
    }
}
