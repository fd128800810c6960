BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $fixtures = Join-Path $PSScriptRoot 'fixtures'

    # Last year's school in a new store: returns the files of both years.
    function New-School([int] $OtherLeavers = 5, [scriptblock] $GroupName) {
        $script:folder = New-TestFolder
        $script:tenant = New-TestTenant $folder
        $arguments = @{ Folder = $folder; OtherLeavers = $OtherLeavers }
        if ($GroupName) { $arguments.GroupName = $GroupName }
        $files = Write-SchoolYear @arguments
        Import-AmnStudent -Path $files.LastStudents -Folder 2025-2026 | Out-Null
        Import-AmnStaff -Path $files.LastStaff | Out-Null
        $files
    }

    function Get-AuditDetails([guid] $RunId) { (Get-AmnAuditLog -RunId $RunId | Where-Object Action -eq 'Rollover').Details }
}

Describe 'A normal school year' {
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'goes through without -Force: the exam classes and a few others leave, a first-year intake arrives' {
        $files = New-School
        $result = Invoke-AmnRollover $files.Students $files.Staff -Folder 2026-2027 -RemoveDepartedStaff -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $result.SafetyStops | Should -BeNullOrEmpty
        $result.Students.NotInFile.Count | Should -Be 86
        $result.Students.Created.Count | Should -Be 81
        $result.Students.Moved.Count | Should -Be 319
        (Get-AmnTenant).StudentCount | Should -Be 486
        @(Get-AmnStudent -WithoutGroup).Count | Should -Be 86
        (Get-AmnGroup).Count | Should -Be 15
        $warnings | Should -BeNullOrEmpty
        Get-AuditDetails $result.RunId | Should -Not -BeLike '*overridden*'
    }

    It 'shows the leavers per last year''s group, final-year groups first, and who moves where' {
        $files = New-School
        $plan = Invoke-AmnRollover $files.Students $files.Staff -Folder 2026-2027 -WhatIf
        $plan | Should -BeOfType ([Amn.Rollover.Core.SchoolYear.RolloverPlan])
        $final = $plan.LeaversByGroup | Where-Object FinalYear
        $final.Group | Should -Be @('H5a', 'M4a', 'V6a')
        $final | ForEach-Object { $_.Leaving | Should -Be 27; $_.Pupils | Should -Be 27 }
        $others = $plan.LeaversByGroup | Where-Object { -not $_.FinalYear }
        ($others | Measure-Object Leaving -Sum).Sum | Should -Be 5
        $others[0].Leavers[0].Name | Should -BeLike 'Leerling* Jansen'
        ($plan.GroupMoves | Where-Object { $_.From -eq 'H2a' -and $_.To -eq 'H3a' }).Count | Should -Be 26
        ($plan.GroupMoves | Where-Object { $_.From -eq 'H3a' -and $_.To -eq 'H4a' }).Count | Should -Be 27
        ($plan.GroupMoves | Where-Object { $_.From -eq '(new)' }).To | Should -Be @('H1a', 'M1a', 'V1a')
        ($plan.GroupMoves | Where-Object { $_.From -eq 'V6a' }).To | Should -Be '(left)'
        $plan.NewStudents.Count | Should -Be 81
        $plan.GroupsWithoutMentor | Should -BeNullOrEmpty
        ($plan.NewGroups | Where-Object Group -eq 'H4a').Mentors | Should -Be 'Mentor Nummer7'
        ($plan.NewGroups | Where-Object Group -eq 'H4a').Teachers | Should -Be 'Bert Docent'
    }

    It 'makes the plan''s lists reachable from what -WhatIf returns' {
        $files = New-School
        $plan = Invoke-AmnRollover $files.Students $files.Staff -WhatIf
        $plan.GroupsToRemove.Count | Should -Be 15
        $plan.Students.Moved.Count | Should -Be 319
        $plan.Students.NotInFile | Should -Contain '100108'   # last pupil of M4a
        ($plan | Format-List | Out-String) | Should -Match 'LeaversByGroup\s*:\s*H5a 27/27, M4a 27/27, V6a 27/27, H1a 1/27'
    }

    It 'warns about every group that ends up without a mentor, in the plan and the report' {
        $files = New-School
        (Get-Content $files.Staff) | Where-Object { $_ -notmatch '^mentor(3|9)@' } | Set-Content $files.Staff
        $report = Join-Path $folder 'report.html'
        $plan = Invoke-AmnRollover $files.Students $files.Staff -WhatIf -ReportPath $report -WarningVariable warnings -WarningAction SilentlyContinue
        $plan.GroupsWithoutMentor | Should -Be @('M4a', 'V1a')
        ($plan.Warnings | Where-Object ErrorId -eq 'GroupWithoutMentor').Message | Should -BeLike '*2 of the 15 groups have no mentor*M4a, V1a*'
        "$warnings" | Should -BeLike '*GroupWithoutMentor*M4a, V1a*'
        Get-Content $report -Raw | Should -Match 'Groups without a mentor</h2>\s*<p>M4a, V1a</p>'
        Get-Content $report -Raw | Should -BeLike '*Planned (-WhatIf): nothing has been changed yet*groups to remove*'
        Get-Content $report -Raw | Should -Not -BeLike '*groups removed*'
    }
}

Describe 'One vocabulary of outcomes' {
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'counts the same for the same files: Import -WhatIf, the rollover plan, its result and the audit log' {
        $files = New-School
        $students = Import-AmnStudent -Path $files.Students -WhatIf
        $staff = Import-AmnStaff -Path $files.Staff -WhatIf -WarningAction SilentlyContinue
        $plan = Invoke-AmnRollover $files.Students $files.Staff -Folder 2026-2027 -WhatIf -WarningAction SilentlyContinue
        foreach ($outcome in 'Created', 'Updated', 'Moved', 'Unchanged', 'Failed') {
            $plan.Students.$outcome.Count | Should -Be $students.$outcome -Because "pupils $outcome"
            @($students.Rows | Where-Object Action -eq $outcome).Count | Should -Be $students.$outcome -Because "pupil rows $outcome"
        }
        $plan.Students.Moved.Count | Should -BeGreaterThan 0
        foreach ($outcome in 'Created', 'Updated', 'Unchanged', 'Failed') {
            $plan.Staff.$outcome.Count | Should -Be $staff.$outcome -Because "staff $outcome"
        }

        $result = Invoke-AmnRollover $files.Students $files.Staff -Folder 2026-2027 -Confirm:$false -WarningAction SilentlyContinue
        $entries = @($result | Get-AmnAuditLog)
        $pupils = ($entries | Where-Object Action -eq 'ImportStudents').Details
        $pupils | Should -BeLike "created=$($plan.Students.Created.Count); updated=$($plan.Students.Updated.Count); moved=$($plan.Students.Moved.Count); unchanged=$($plan.Students.Unchanged.Count); failed=0;*"
        ($entries | Where-Object Action -eq 'ImportStaff').Details | Should -BeLike "created=$($plan.Staff.Created.Count); updated=$($plan.Staff.Updated.Count); unchanged=$($plan.Staff.Unchanged.Count); failed=0;*"
        $rollover = ($entries | Where-Object Action -eq 'Rollover').Details
        $rollover | Should -BeLike "*students: created=$($plan.Students.Created.Count), updated=$($plan.Students.Updated.Count), moved=$($plan.Students.Moved.Count), unchanged=$($plan.Students.Unchanged.Count), failed=0, notInFile=$($plan.Students.NotInFile.Count)*"
        $rollover | Should -BeLike "*staff: created=$($plan.Staff.Created.Count), updated=$($plan.Staff.Updated.Count), unchanged=$($plan.Staff.Unchanged.Count), failed=0, notInFile=$($plan.Staff.NotInFile.Count)*"
        $result.Students.Moved.Count | Should -Be $plan.Students.Moved.Count
    }
}

Describe 'The safety limits stop a wrong file' {
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'stops <Name> before any change, naming the limit and its figures' -ForEach @(
        @{ Name = 'another school''s export'; Limits = @('Leavers', 'OtherLeavers', 'NewStudents'); Figures = '*405 of the 405 stored pupils (100%)*MaxLeaversPercent*'
           Make = { param($files) (Get-Content $files.Students) -replace '^1(\d{5});', '9$1;' | Set-Content $files.Students } }
        @{ Name = 'one class only'; Limits = @('Leavers', 'OtherLeavers'); Figures = '*378 of the 405 stored pupils (93.3%)*'
           Make = { param($files) (Get-Content $files.Students) | Where-Object { $_ -match 'klas$|;H4a$' } | Set-Content $files.Students } }
        @{ Name = 'last year''s export again'; Limits = @('NothingMoves'); Figures = '*No pupil*moves to another group*last year''s export*'
           Make = { param($files) Copy-Item $files.LastStudents $files.Students -Force; Copy-Item $files.LastStaff $files.Staff -Force } }
        @{ Name = 'a staff file of another year'; Limits = @('GroupsUnknownToStaff'); Figures = '*None of the groups*klas column*different years or schools*'
           Make = { param($files) (Get-Content $files.Staff) -replace '([MHV])(\d)a', '$1$2x' | Set-Content $files.Staff } }
    ) {
        $files = New-School
        & $Make $files
        $hash = Get-TenantState $tenant
        $report = Join-Path $folder 'report.md'
        $err = { Invoke-AmnRollover $files.Students $files.Staff -ReportPath $report -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'RolloverSafetyLimit,Amn.Rollover.InvokeAmnRolloverCommand' -PassThru
        $err.Exception.Message | Should -BeLike '*did not start*Nothing was changed*'
        $err.Exception.Message | Should -BeLike $Figures
        $err.TargetObject.SafetyStops.Limit | Should -Be $Limits
        Get-TenantState $tenant | Should -Be $hash
        Get-Content $report -Raw | Should -BeLike '*Not started*safety limit*exceeded: the run stops*'
        Get-Content $report -Raw | Should -Not -BeLike '*groups removed*'
    }

    It 'reports the safety limits of another school''s export before asking about an existing report, and -Force does not overwrite it' {
        $files = New-School
        (Get-Content $files.Students) -replace '^1(\d{5});', '9$1;' | Set-Content $files.Students
        $hash = Get-TenantState $tenant
        $report = Join-Path $folder 'report.html'
        Set-Content $report 'last year''s report'
        $err = { Invoke-AmnRollover $files.Students $files.Staff -ReportPath $report -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'RolloverSafetyLimit,Amn.Rollover.InvokeAmnRolloverCommand' -PassThru
        $err.Exception.Message | Should -BeLike '*Leavers*OtherLeavers*NewStudents*'
        $err.Exception.Message | Should -BeLike "*report was not written*$report*already exists*-AllowOverwrite*"
        Get-Content $report | Should -Be 'last year''s report'

        # -Force overrides the limits only: the existing report still stops the run before any change.
        { Invoke-AmnRollover $files.Students $files.Staff -ReportPath $report -Force -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'FileExists,Amn.Rollover.InvokeAmnRolloverCommand' -ExpectedMessage '*already exists*-AllowOverwrite*'
        Get-TenantState $tenant | Should -Be $hash
        Get-Content $report | Should -Be 'last year''s report'
    }

    It 'counts leavers from groups it does not recognise as final-year, and takes -FinalYearGroup for them' {
        $files = New-School -GroupName { param($level, $year) "$year$level-1" }   # 1M-1, 4M-1, 5H-1, 6V-1: recognised
        (Invoke-AmnRollover $files.Students $files.Staff -WhatIf -WarningAction SilentlyContinue).SafetyStops | Should -BeNullOrEmpty
        Disconnect-AmnTenant; Remove-TestFolder $folder

        $files = New-School -GroupName { param($level, $year) "Klas $level$([char](64 + $year))" }   # Klas HE: no year digit
        $err = { Invoke-AmnRollover $files.Students $files.Staff -Confirm:$false -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'RolloverSafetyLimit*' -PassThru
        $err.TargetObject.SafetyStops.Limit | Should -Be 'OtherLeavers'
        $err.Exception.Message | Should -BeLike '*86 of the 405 pupils outside final-year groups (21.2%)*Most leave from Klas HE (27 of 27), Klas MD (27 of 27), Klas VF (27 of 27)*-FinalYearGroup*'
        $result = Invoke-AmnRollover $files.Students $files.Staff -FinalYearGroup 'Klas MD', 'Klas HE', 'Klas V?' -Confirm:$false -WarningAction SilentlyContinue
        $result.SafetyStops | Should -BeNullOrEmpty
        ($result.Plan.LeaversByGroup | Where-Object FinalYear).Group | Should -Be @('Klas HE', 'Klas MD', 'Klas VF')
    }

    It 'takes a school''s own limit, and a -Force run records each limit it overrode' {
        $files = New-School -OtherLeavers 40
        { Invoke-AmnRollover $files.Students $files.Staff -Confirm:$false -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'RolloverSafetyLimit*' -ExpectedMessage '*-MaxOtherLeaversPercent*'
        (Invoke-AmnRollover $files.Students $files.Staff -MaxOtherLeaversPercent 15 -WhatIf).SafetyStops | Should -BeNullOrEmpty

        $report = Join-Path $folder 'report.html'
        $result = Invoke-AmnRollover $files.Students $files.Staff -Force -ReportPath $report -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $result.SafetyStops.Limit | Should -Be 'OtherLeavers'
        $result.SafetyStops.Overridden | Should -BeTrue
        "$warnings" | Should -BeLike '*overridden (-Force)*OtherLeavers*'
        Get-AuditDetails $result.RunId | Should -BeLike '*overridden=OtherLeavers'
        Get-Content $report -Raw | Should -BeLike '*OtherLeavers*overridden with -Force*'
    }

    It 'stops removing more than a fifth of the staff as departed' {
        $files = New-School
        (Get-Content $files.Staff) | Where-Object { $_ -notmatch '^mentor1?[0-4]@' } | Set-Content $files.Staff
        { Invoke-AmnRollover $files.Students $files.Staff -RemoveDepartedStaff -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'RolloverSafetyLimit*' -ExpectedMessage '*10 of the 17 staff members*MaxDepartedStaffPercent*'
    }
}

Describe 'A saved plan' {
    BeforeEach {
        $files = New-School
        $planFile = Join-Path $folder 'plan.json'
        Invoke-AmnRollover $files.Students $files.Staff -Folder 2026-2027 -RemoveDepartedStaff -PlanPath $planFile -WhatIf | Out-Null
    }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'is applied exactly as reviewed, with the options it was made with' {
        $saved = Get-Content $planFile -Raw | ConvertFrom-Json
        $saved.Inputs.Folder | Should -Be '2026-2027'
        $saved.Inputs.StudentFileHash | Should -Be (Get-FileHashString $files.Students).ToLowerInvariant()
        $result = Invoke-AmnRollover -Plan $planFile -Confirm:$false -WarningAction SilentlyContinue
        $result.Students.Moved.Count | Should -Be $saved.Actions.Students.Moved.Count
        $result.Students.Created | Should -Be $saved.Actions.Students.Created
        (Get-AmnGroup H4a).Folder | Should -Be '2026-2027'
        (Get-AmnStudent -Number 100050).Group | Should -Be 'M3a'
        (Get-AmnStudent -Number 100108).Group | Should -BeNullOrEmpty
        (Get-AmnTenant).StudentCount | Should -Be 486
    }

    It 'refuses, before any change, when <Name> changed since the plan was made' -ForEach @(
        @{ Name = 'the student file'; Change = { param($files) Add-Content $files.Students '999999;Laat;Aangemeld;H1a' }; Expected = '*leerlingen-2026.csv*changed since the plan was made*' }
        @{ Name = 'the staff file'; Change = { param($files) Add-Content $files.Staff 'laat@school.example.nl;Laat;Erbij;docent;H1a' }; Expected = '*personeel-2026.csv*changed since*' }
        @{ Name = 'the store'; Change = { param($files) New-AmnGroup -Name Extra | Out-Null }; Expected = '*tenant*changed since*' }
    ) {
        & $Change $files
        $hash = Get-TenantState $tenant
        { Invoke-AmnRollover -Plan $planFile -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'PlanOutdated,Amn.Rollover.InvokeAmnRolloverCommand' -ExpectedMessage "*was not applied*$($Expected.TrimStart('*'))"
        Get-TenantState $tenant | Should -Be $hash
    }

    It 'refuses a file that is not a plan, and read options that would change it' {
        Set-Content (Join-Path $folder 'nope.json') '{ "hello": 1 }'
        { Invoke-AmnRollover -Plan (Join-Path $folder 'nope.json') -Confirm:$false } | Should -Throw -ErrorId 'PlanNotReadable*' -ExpectedMessage '*not a rollover plan*'
        { Invoke-AmnRollover -Plan $planFile -Delimiter ',' -Confirm:$false } | Should -Throw -ErrorId 'PlanOptionsFixed*' -ExpectedMessage '*-Delimiter*'
    }
}

Describe 'A saved plan in another language' {
    BeforeEach {
        $folder = New-TestFolder
        $tenant = New-TestTenant $folder
        $samples = Join-Path $RepoRoot 'samples'
        Import-AmnStudent -Path (Join-Path $samples 'vorig-jaar-leerlingen.csv') -Folder 2025-2026 | Out-Null
        Import-AmnStaff -Path (Join-Path $samples 'vorig-jaar-personeel.csv') | Out-Null
    }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'is applied by a session in English when it was made in Dutch (a scheduled task under another account)' {
        $plan = Join-Path $folder 'plan.json'
        Invoke-AmnRollover (Join-Path $samples 'leerlingen-2026-2027.csv') (Join-Path $samples 'personeel-2026-2027.xlsx') -Folder 2026-2027 -RemoveDepartedStaff -WhatIf -PlanPath $plan -Culture nl-NL -WarningAction SilentlyContinue | Out-Null
        $saved = Get-Content $plan -Raw | ConvertFrom-Json
        $saved.Review.Warnings.Message | Should -Not -BeNullOrEmpty -Because 'the plan holds messages in Dutch, for review'
        $result = Invoke-AmnRollover -Plan $plan -Culture en-US -Force -Confirm:$false -WarningAction SilentlyContinue
        $result.Students.Created | Should -Be $saved.Actions.Students.Created
        (Get-AmnStudent -Number $saved.Actions.Students.Moved[0]).Group | Should -Not -BeNullOrEmpty
    }
}

Describe 'Files as schools have them' {
    BeforeEach {
        $folder = New-TestFolder
        $tenant = New-TestTenant $folder
    }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'gives each file of the rollover its own worksheet' {
        $students = Join-Path $fixtures 'cover-two-lists.xlsx'
        $staff = Join-Path $fixtures 'staff-two-lists.xlsx'
        { Invoke-AmnRollover $students $staff -Worksheet Leerlingen -Confirm:$false } | Should -Throw -ErrorId 'WorksheetNotFound*' -ExpectedMessage '*staff-two-lists.xlsx*Medewerkers*'
        $result = Invoke-AmnRollover $students $staff -StudentWorksheet Leerlingen -StaffWorksheet Medewerkers -Confirm:$false
        $result.Students.Created.Count | Should -Be 3
        (Get-AmnStaff b.mentor@school.example.nl).Groups | Should -Be @('H4a', 'H4b')
    }

    It 'reads the one worksheet with a header row behind a cover sheet, and says so' {
        $verbose = Import-AmnStudent -Path (Join-Path $fixtures 'cover-sheet.xlsx') -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -BeLike "*first worksheet 'Voorblad'*has no header row; read 'Leerlingen'*"
        (Get-AmnStudent -Number 200003).Group | Should -Be 'H4b'
        (Test-AmnImportFile (Join-Path $fixtures 'staff-cover.xlsx')).Worksheet | Should -Be 'Personeel'
    }

    It 'lists the sheets and asks for -Worksheet when several have a header row' {
        { Import-AmnStudent -Path (Join-Path $fixtures 'cover-two-lists.xlsx') } |
            Should -Throw -ErrorId 'WorksheetAmbiguous*' -ExpectedMessage "*'Voorblad'*no header row*'Leerlingen', 'Vorig jaar'*-Worksheet*"
        (Get-AmnTenant).StudentCount | Should -Be 0
    }

    It 'names staff columns, not pupil columns, when a staff file has no header row' {
        $file = Join-Path $folder 'personeel.csv'
        Set-Content $file "Lijst van medewerkers`nJan;Bakker`nEls;Vries"
        $err = { Import-AmnStaff -Path $file } | Should -Throw -ErrorId 'HeaderRowNotFound*' -ExpectedMessage '*gebruikersnaam, code*rol*' -PassThru
        $err.Exception.Message | Should -Not -BeLike '*deelnemersnummer*'
    }

    It 'binds files piped from Get-Item to -Path in <Name>' -ForEach @(
        @{ Name = 'Import-AmnStudent'; Run = { param($fx) Get-Item (Join-Path $fx 'cover-sheet.xlsx') | Import-AmnStudent }; Check = { param($out) $out.Created | Should -Be 3 } }
        @{ Name = 'Import-AmnStaff'; Run = { param($fx) Get-Item (Join-Path $fx 'staff.xlsx') | Import-AmnStaff -CreateMissingGroups }; Check = { param($out) $out.Created | Should -Be 2 } }
        @{ Name = 'Compare-AmnStaff'; Run = { param($fx) Get-Item (Join-Path $fx 'staff.xlsx') | Compare-AmnStaff }; Check = { param($out) ($out | Where-Object Status -eq New).UserName | Should -Be @('j.bakker@school.example.nl', 'e.devries@school.example.nl') } }
    ) {
        & $Check (& $Run $fixtures)
    }
}

Describe 'The README''s scheduled script' -Tag StoreFile {
    It 'rolls a normal year over without -Force, and fails with exit code 1 on a wrong file' {
        $files = New-School
        Disconnect-AmnTenant
        $script = (Get-ReadmeScheduledTask).Script
        $script | Should -Match 'Invoke-AmnRollover'
        $script | Should -Not -Match '-Force'
        $script = $script.Replace('Import-Module Amn.Rollover', "Import-Module '$ManifestPath'").
            Replace('D:\AMN\school.db', $tenant.Path).Replace('D:\Exports\leerlingen.csv', $files.Students).Replace('D:\Exports\personeel.xlsx', $files.Staff)
        $path = Join-Path $folder 'rollover.ps1'
        Set-Content $path $script
        $output = Invoke-FreshPwsh "& '$path'; exit `$LASTEXITCODE"
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        @(Get-ChildItem $folder -Filter 'rollover-report-*.html').Count | Should -Be 1
        @(Get-ChildItem $folder -Filter 'rollover-*.log').Count | Should -Be 1

        # The same export again: now it is last year's.
        $output = Invoke-FreshPwsh "& '$path'; exit `$LASTEXITCODE"
        $LASTEXITCODE | Should -Be 1
        ($output -join "`n") | Should -Match 'NothingMoves'
        Remove-TestFolder $folder
    }
}

Describe 'Results that do not mislead' {
    BeforeEach {
        $folder = New-TestFolder
        $tenant = New-TestTenant $folder
        $file = Join-Path $folder 'leerlingen.csv'
        Set-Content $file "stamnr;roepnaam;achternaam;klas`n001000;Zoë;Jansen;H4a`n001001;Daan;Smit;H4b"
        Import-AmnStudent -Path $file | Out-Null
        Set-Content (Join-Path $folder 'personeel.csv') "gebruikersnaam;achternaam;rol;klas`nm@school.nl;Mentor;mentor;H4a"
        Import-AmnStaff -Path (Join-Path $folder 'personeel.csv') | Out-Null
    }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'makes a literal name that matches nothing an ObjectNotFound error in <Name>, and a wildcard silent' -ForEach @(
        @{ Name = 'Get-AmnStudent -Group'; Literal = { Get-AmnStudent -Group H4x }; Wildcard = { Get-AmnStudent -Group H4x* }; ErrorId = 'GroupNotFound' }
        @{ Name = 'Get-AmnStudent -Name'; Literal = { Get-AmnStudent -Name 'Piet Puk' }; Wildcard = { Get-AmnStudent -Name 'Piet*' }; ErrorId = 'StudentNotFound' }
        @{ Name = 'Get-AmnStaff -Group'; Literal = { Get-AmnStaff -Group H4x }; Wildcard = { Get-AmnStaff -Group H4x* }; ErrorId = 'GroupNotFound' }
        @{ Name = 'Get-AmnStaffGroupLink -Group'; Literal = { Get-AmnStaffGroupLink -Group H4x }; Wildcard = { Get-AmnStaffGroupLink -Group H4x* }; ErrorId = 'GroupNotFound' }
        @{ Name = 'Get-AmnStaffGroupLink -UserName'; Literal = { Get-AmnStaffGroupLink -UserName x@school.nl }; Wildcard = { Get-AmnStaffGroupLink -UserName x* }; ErrorId = 'StaffNotFound' }
        @{ Name = 'Get-AmnGroup -Folder'; Literal = { Get-AmnGroup -Folder 2030 }; Wildcard = { Get-AmnGroup -Folder 2030* }; ErrorId = 'FolderNotFound' }
        @{ Name = 'Export-AmnImportFile -Group'; Literal = { Export-AmnImportFile -Kind Student -Group H4x -Path (Join-Path $folder 'x.csv') }; Wildcard = $null; ErrorId = 'GroupNotFound' }
    ) {
        $all = try { @(& $Literal 2>&1) } catch { @($_) }
        $all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty
        $failures = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        if ($Wildcard) {
            & $Wildcard 2>&1 | Should -BeNullOrEmpty
        }
        Test-Path (Join-Path $folder 'x.csv') | Should -BeFalse
    }

    It 'says PowerShell dropped the leading zeros of an unquoted number' {
        Get-AmnStudent -Number 001000, 001001 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures.Count | Should -Be 2
        "$($failures[0])" | Should -BeLike "*No student with number '1000'*'001000'*leading zeros*quote*'001000'*"
        (Get-AmnStudent -Number '001000').FirstName | Should -Be 'Zoë'
    }

    It 'counts rows and errors apart when the rollover stops' {
        $bad = Join-Path $folder 'fout.csv'
        Set-Content $bad "stamnr;roepnaam;achternaam;klas`n001000;;;H5a`n001001;Daan;Smit;H5b"
        { Invoke-AmnRollover $bad (Join-Path $folder 'personeel.csv') -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ExpectedMessage '*1 row has 2 errors*'
    }
}

Describe 'The default store' -Tag StoreFile {
    It 'warns, naming its path, on the first change in a session that never connected' {
        $folder = New-TestFolder
        try {
            $file = Join-Path $folder 'leerlingen.csv'
            Set-Content $file "stamnr;roepnaam;achternaam;klas`n001;Zoë;Jansen;H4a"
            $output = Invoke-FreshPwsh @"
Import-Module '$ManifestPath'
Get-AmnStudent 3>&1 | ForEach-Object { 'read: ' + `$_ }
Import-AmnStudent -Path '$file' 3>&1 | Where-Object { `$_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { 'first: ' + `$_ }
Import-AmnStudent -Path '$file' 3>&1 | Where-Object { `$_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { 'second: ' + `$_ }
"@ -Environment @{ AMN_TENANT_PATH = $null; AMN_ROLLOVER_HOME = $folder }
            $first = @($output | Where-Object { $_ -like 'first: *' })
            $first.Count | Should -Be 1 -Because ($output -join "`n")
            $first[0] | Should -BeLike "*default tenant store*$folder*Connect-AmnTenant*"
            $output | Where-Object { $_ -like 'second: *' -or $_ -like 'read: *' } | Should -BeNullOrEmpty
        }
        finally { Remove-TestFolder $folder }
    }
}

Describe 'The rollover report in a browser' -Skip:(-not (Get-Command chromium -ErrorAction SilentlyContinue) -or -not (Get-Command pdftotext -ErrorAction SilentlyContinue)) {
    BeforeAll {
        # Headless Chromium, as root needs it: no sandbox, a profile of its own; killed after a minute.
        function Invoke-Chromium([string[]] $Arguments) {
            $profileFolder = Join-Path $folder 'chromium-profile'
            $process = Start-Process chromium -ArgumentList (@('--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', "--user-data-dir=$profileFolder") + $Arguments) -PassThru `
                -RedirectStandardOutput (Join-Path $folder 'chromium.out') -RedirectStandardError (Join-Path $folder 'chromium.err')
            if (-not $process.WaitForExit(60000)) { $process.Kill(); throw 'Chromium did not finish within a minute.' }
        }
    }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'reads well on screen and in print: outcome, limits, warnings, groups, leavers and new pupils' {
        $files = New-School -OtherLeavers 40
        (Get-Content $files.Staff) | Where-Object { $_ -notmatch '^mentor3@' } | Set-Content $files.Staff
        $report = Join-Path $folder 'jaarovergang.html'
        Invoke-AmnRollover $files.Students $files.Staff -Folder 2026-2027 -Force -ReportPath $report -Confirm:$false -WarningAction SilentlyContinue | Out-Null

        $screenshot = Join-Path $folder 'report.png'
        $pdf = Join-Path $folder 'report.pdf'
        Invoke-Chromium @('--window-size=1200,1800', "--screenshot=$screenshot", [System.Uri]::new($report).AbsoluteUri)
        Invoke-Chromium @('--no-pdf-header-footer', "--print-to-pdf=$pdf", [System.Uri]::new($report).AbsoluteUri)
        (Get-Item $screenshot).Length | Should -BeGreaterThan 20kb
        if ($env:AMN_REPORT_SCREENSHOT) { Copy-Item $screenshot $env:AMN_REPORT_SCREENSHOT; Copy-Item $pdf ([IO.Path]::ChangeExtension($env:AMN_REPORT_SCREENSHOT, '.pdf')) }

        $text = (& pdftotext -layout $pdf -) -join "`n"
        $pages = ((& pdftotext $pdf -) -join "`n").Split([char]12).Count - 1
        $pages | Should -BeGreaterThan 2 -Because 'every leaver and new pupil is listed'
        $text | Should -Match 'Applied: the tenant has been rolled over'
        $text | Should -Match 'OtherLeavers\s+overridden'
        $text | Should -Match 'GroupWithoutMentor'
        $text | Should -Match 'Groups without a mentor\s+M4a'
        $text | Should -Match 'H4a\s+23\s+Mentor Nummer7\s+Bert Docent'
        $text | Should -Match 'H5a: 27 of 27 left \(final-year group\)'
        $text | Should -Match 'M1a: 4 of 27 left\s+Number\s+Name\s+100014\s+Leerling100014 Jansen'
        $text | Should -Match '100108\s+Leerling100108 Jansen'
        $text | Should -Match 'New pupils\s+Number\s+Name\s+Group\s+100433\s+Nieuw100433 de Boer\s+H1a'
        $text | Should -Match 'H2a\s+H3a\s+23'
        $text | Should -Not -Match 'groups to remove|Planned \(-WhatIf\)|Not started'
    }

    It 'reads in Dutch for the school''s administration with -Culture nl-NL' {
        $files = New-School -OtherLeavers 40
        $report = Join-Path $folder 'jaarovergang.html'
        Invoke-AmnRollover $files.Students $files.Staff -Folder 2026-2027 -Force -ReportPath $report -Culture nl-NL -Confirm:$false -WarningAction SilentlyContinue | Out-Null

        $pdf = Join-Path $folder 'rapport.pdf'
        Invoke-Chromium @('--no-pdf-header-footer', "--print-to-pdf=$pdf", [System.Uri]::new($report).AbsoluteUri)
        $text = (& pdftotext -layout $pdf -) -join "`n"
        $text | Should -Match 'Uitgevoerd: de tenant is overgezet naar het nieuwe schooljaar'
        $text | Should -Match 'Gepland op\s+\d\d-\d\d-\d{4} \d\d:\d\d'
        $text | Should -Match 'OtherLeavers\s+overschreven\s+40 van de 324 leerlingen buiten examengroepen \(12,3%\)'
        $text | Should -Match 'Groep\s+Leerlingen\s+Mentoren\s+Docenten'
        $text | Should -Match 'H5a: 27 van 27 vertrokken \(examengroep\)'
        $text | Should -Match 'Nieuwe leerlingen\s+Nummer\s+Naam\s+Groep\s+100433\s+Nieuw100433 de Boer\s+H1a'
        $text | Should -Not -Match 'Applied|Safety limits|New pupils'
    }
}
