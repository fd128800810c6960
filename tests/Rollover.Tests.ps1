BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $samples = Join-Path $RepoRoot 'samples'
    $studentFile = Join-Path $samples 'leerlingen-2026-2027.csv'
    $staffFile = Join-Path $samples 'personeel-2026-2027.xlsx'

    function New-LastYear {
        $script:folder = New-TestFolder
        $script:tenant = New-TestTenant $folder
        Import-AmnStudent -Path (Join-Path $samples 'vorig-jaar-leerlingen.csv') -Folder 2025-2026 | Out-Null
        Import-AmnStaff -Path (Join-Path $samples 'vorig-jaar-personeel.csv') | Out-Null
    }

}

Describe 'Invoke-AmnRollover' {
    BeforeEach { New-LastYear }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'previews with -WhatIf: the plan as lists, and the store byte-identical without a backup' {
        $hash = Get-TenantState $tenant
        $plan = Invoke-AmnRollover -StudentPath $studentFile -StaffPath $staffFile -Folder 2026-2027 -RemoveDepartedStaff -WhatIf -WarningAction SilentlyContinue
        $plan | Should -BeOfType ([Amn.Rollover.Core.SchoolYear.RolloverPlan])
        $plan.GroupsToRemove | Sort-Object | Should -Be @('H3a', 'H3b', 'V3a')
        $plan.GroupsToCreate | Sort-Object | Should -Be @('H4a', 'H4b', 'V4a')
        $plan.Students.Created.Count | Should -Be 5
        $plan.Students.Moved.Count | Should -Be 56
        $plan.Students.NotInFile.Count | Should -Be 4
        $plan.Staff.Created | Should -Be 'l.nieuw@school.example.nl'
        $plan.Staff.NotInFile | Should -Be 'o.collega@school.example.nl'
        $plan.Staff.RemoveDeparted | Should -BeTrue
        $plan.LinksToCreate.Count | Should -Be 13
        ($plan.LinksToCreate | Where-Object UserName -eq 'm.devries@school.example.nl').Group | Sort-Object | Should -Be @('H4a', 'H4b')
        $plan.Warnings.ErrorId | Should -Contain 'UnknownGroup'
        Get-TenantState $tenant | Should -Be $hash
        Test-Path $tenant.BackupFolder | Should -BeFalse
    }

    It 'names for a reused number what it can do: Import-AmnStudent -AllowIdentityChange first, as it has no -AllowIdentityChange' {
        $reused = Join-Path $folder 'leerlingen-ander-kind.csv'
        $ansi = [Text.Encoding]::GetEncoding(1252)
        [IO.File]::WriteAllText($reused, [IO.File]::ReadAllText($studentFile, $ansi).Replace('020210;Zoë;;Jansen;1-1-2009', '020210;Karel;;Pietersen;5-5-2010'), $ansi)
        $err = { Invoke-AmnRollover -StudentPath $reused -StaffPath $staffFile -WhatIf -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'RolloverValidationFailed,*' -PassThru
        $err.Exception.Message | Should -BeLike "*'020210'*import this row first with Import-AmnStudent -AllowIdentityChange, then run the rollover again*"
        $err.Exception.Message | Should -Not -BeLike '*, or use -AllowIdentityChange*'
    }

    It 'rolls over in one run: new groups, pupils moved with their data, staff relinked, departed staff removed' {
        $numbers = (Get-AmnStudent).Number
        $result = Invoke-AmnRollover -StudentPath $studentFile -StaffPath $staffFile -Folder 2026-2027 -RemoveDepartedStaff -Confirm:$false -WarningAction SilentlyContinue
        Test-Path $result.BackupPath | Should -BeTrue
        (Get-AmnGroup).Name | Should -Be @('H4a', 'H4b', 'V4a')
        (Get-AmnGroup H4a).Folder | Should -Be '2026-2027'
        (Get-AmnTenant).StudentCount | Should -Be 65
        @(Get-AmnStudent -WithoutGroup).Count | Should -Be 4
        (Get-AmnStudent -Number 020210).Group | Should -Be 'H4a'
        (Get-AmnStudent -Number 020210).FirstName | Should -Be 'Zoë'
        (Get-AmnStaff m.devries@school.example.nl).Groups | Should -Be @('H4a', 'H4b')
        Get-AmnStaff o.collega@school.example.nl -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $result.StaffRemoved.UserName | Should -Be 'o.collega@school.example.nl'
        foreach ($n in $numbers) { Get-AmnStudent -Number $n | Should -Not -BeNullOrEmpty }
    }

    It 'writes audit entries that share the run id, a plan as JSON and a report' {
        $planFile = Join-Path $folder 'plan.json'
        $reportFile = Join-Path $folder 'report.html'
        $result = Invoke-AmnRollover $studentFile $staffFile -Folder 2026-2027 -PlanPath $planFile -ReportPath $reportFile -Confirm:$false -WarningAction SilentlyContinue
        $json = Get-Content $planFile -Raw | ConvertFrom-Json
        $json.Actions.Students.Created.Count | Should -Be 5
        $json.Actions.GroupsToCreate | Sort-Object | Should -Be @('H4a', 'H4b', 'V4a')
        $json.Actions.Staff.RemoveDeparted | Should -BeFalse
        $html = Get-Content $reportFile -Raw
        $html | Should -BeLike '*<h2>What was done</h2>*'
        $html | Should -BeLike "*V5x*"
        $actions = Invoke-TenantSql $tenant "SELECT action FROM audit_log WHERE run_id = '$($result.RunId)' ORDER BY id"
        $actions | Should -Be @('RemoveGroups', 'ImportStudents', 'ImportStaff', 'Rollover')
        ($result | Get-AmnAuditLog).Action | Should -Be @('Rollover', 'ImportStaff', 'ImportStudents', 'RemoveGroups')
        (Get-AmnAuditLog -Action ImportStudents -First 1).Details | Should -BeLike 'created=5;*'
        (Get-AmnAuditLog -Since (Get-Date).AddMinutes(-5)).Count | Should -BeGreaterOrEqual 6
        (Get-AmnAuditLog -Since (Get-Date).AddMinutes(5)) | Should -BeNullOrEmpty
    }

    It 'is undone exactly by restoring its backup, and the audit log keeps the undone run' {
        $before = Get-TenantDump $tenant -DataOnly
        $auditBefore = @(Get-AmnAuditLog).Count
        $result = Invoke-AmnRollover $studentFile $staffFile -Folder 2026-2027 -RemoveDepartedStaff -Confirm:$false -WarningAction SilentlyContinue
        Get-TenantDump $tenant -DataOnly | Should -Not -Be $before
        $rolloverEntries = @($result | Get-AmnAuditLog).Count
        Restore-AmnTenant -Path $result.BackupPath -Confirm:$false
        Get-TenantDump $tenant -DataOnly | Should -Be $before
        @($result | Get-AmnAuditLog).Count | Should -Be $rolloverEntries
        $restore = Get-AmnAuditLog -First 1
        $restore.Action | Should -Be 'RestoreTenant'
        $restore.Details | Should -BeLike "*$($result.BackupPath)*"
        @(Get-AmnAuditLog).Count | Should -Be ($auditBefore + $rolloverEntries + 1)
    }

    It 'stops before any change when rows have errors, lists them, and still writes the report' {
        $bad = Join-Path $folder 'fout.csv'
        (Get-Content $studentFile -Encoding ansi) -replace ';1-1-2009;', ';31-02-2009;' | Set-Content $bad -Encoding ansi
        $hash = Get-TenantState $tenant
        $report = Join-Path $folder 'report.md'
        { Invoke-AmnRollover $bad $staffFile -ReportPath $report -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'RolloverValidationFailed,Amn.Rollover.InvokeAmnRolloverCommand' -ExpectedMessage '*row*has 1 error*InvalidDate*31-02-2009*'
        Get-TenantState $tenant | Should -Be $hash
        Get-Content $report -Raw | Should -BeLike '*Not started*1 error in the files*InvalidDate*'
        # with -AllowInvalidRows the valid rows go through
        $result = Invoke-AmnRollover $bad $staffFile -AllowInvalidRows -Confirm:$false -WarningAction SilentlyContinue
        $result.Students.Failed.Count | Should -BeGreaterThan 0
    }

    It 'refuses a student file that leaves most pupils out, unless -Force' {
        $short = Join-Path $folder 'kort.csv'
        Get-Content $studentFile -Encoding ansi | Select-Object -First 30 | Set-Content $short -Encoding ansi
        $hash = Get-TenantState $tenant
        { Invoke-AmnRollover $short $staffFile -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'RolloverSafetyLimit,Amn.Rollover.InvokeAmnRolloverCommand' -ExpectedMessage '*Leavers:*not in*-MaxLeaversPercent*-Force*'
        Get-TenantState $tenant | Should -Be $hash
        (Invoke-AmnRollover $short $staffFile -Force -Confirm:$false -WarningAction SilentlyContinue).Students.NotInFile.Count | Should -BeGreaterThan 30
    }

    It 'refuses a report path in a missing folder before any change' {
        $hash = Get-TenantState $tenant
        { Invoke-AmnRollover $studentFile $staffFile -ReportPath (Join-Path $folder 'nope/report.md') -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'OutputFolderNotFound,Amn.Rollover.InvokeAmnRolloverCommand' -ExpectedMessage '*-ReportPath*nope*'
        Get-TenantState $tenant | Should -Be $hash
    }

    It 'names the file when one cannot be read, before any change' {
        { Invoke-AmnRollover (Join-Path $folder 'nope.csv') $staffFile -Confirm:$false } | Should -Throw -ErrorId 'FileNotFound,Amn.Rollover.InvokeAmnRolloverCommand' -ExpectedMessage '*nope.csv*'
    }
}

Describe 'A rollover killed halfway' {
    It 'leaves the store as it was' {
        $folder = New-TestFolder
        try {
            # A large school, so the kill lands while steps 2 to 5 are being written.
            $files = Write-LargeSchoolFiles $folder 150000
            $lastFile = $files.LastYear
            $newFile = $files.ThisYear
            $staffCsv = Join-Path $folder 'personeel.csv'; Set-Content $staffCsv "gebruikersnaam;achternaam;rol;klas`nj@school.nl;Bakker;mentor;N1"
            $tenant = New-TestTenant $folder 'big'
            Import-AmnStudent -Path $lastFile | Out-Null
            Import-AmnStaff -Path $staffCsv -CreateMissingGroups | Out-Null
            $before = Get-TenantDump $tenant

            $log = Join-Path $folder 'child.log'
            $child = Start-FreshPwsh @"
Import-Module '$ManifestPath'
$(Get-TestConnectCommand $tenant) | Out-Null
Invoke-AmnRollover -StudentPath '$newFile' -StaffPath '$staffCsv' -Confirm:`$false -Verbose 4>&1 | ForEach-Object { Add-Content -Path '$log' -Value "`$_" }
Add-Content -Path '$log' -Value 'FINISHED'
"@
            $deadline = (Get-Date).AddSeconds(120)
            while ((Get-Date) -lt $deadline -and -not ((Test-Path $log) -and (Get-Content $log -Raw) -match 'Backed up')) { Start-Sleep -Milliseconds 20 }
            Start-Sleep -Milliseconds 150
            $child.HasExited | Should -BeFalse -Because 'the kill must land in the middle of the run'
            $child.Kill()
            $child.WaitForExit()
            Get-Content $log -Raw | Should -Not -Match 'FINISHED'

            Get-TenantDump $tenant | Should -Be $before
            if (-not (Test-ServerStore)) { Invoke-TenantSql $tenant 'PRAGMA integrity_check' | Should -Be 'ok' }
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }
}

Describe 'A rollover stopped halfway (Ctrl+C)' {
    It 'stops, and leaves the store as it was' {
        $folder = New-TestFolder
        try {
            # A large school, so the stop lands while steps 2 to 5 are being written.
            $files = Write-LargeSchoolFiles $folder 150000
            $staffCsv = Join-Path $folder 'personeel.csv'; Set-Content $staffCsv "gebruikersnaam;achternaam;rol;klas`nj@school.nl;Bakker;mentor;N1"
            $tenant = New-TestTenant $folder 'stopped'
            Import-AmnStudent -Path $files.LastYear | Out-Null
            Import-AmnStaff -Path $staffCsv -CreateMissingGroups | Out-Null
            $before = Get-TenantDump $tenant

            $ps = [powershell]::Create()
            [void]$ps.AddScript("Import-Module '$ManifestPath'; $(Get-TestConnectCommand $tenant) | Out-Null; Invoke-AmnRollover -StudentPath '$($files.ThisYear)' -StaffPath '$staffCsv' -Confirm:`$false -Verbose; 'FINISHED'")
            $handle = $ps.BeginInvoke()
            $deadline = (Get-Date).AddSeconds(120)
            while ((Get-Date) -lt $deadline -and $ps.InvocationStateInfo.State -eq 'Running' -and -not ($ps.Streams.Verbose | Where-Object { "$_" -match 'Backed up' })) { Start-Sleep -Milliseconds 20 }
            $ps.InvocationStateInfo.State | Should -Be 'Running' -Because 'the stop must land in the middle of the run'
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Streams.Error | ForEach-Object { "$_" } | Should -BeNullOrEmpty
            $ps.Dispose()

            Get-TenantDump $tenant | Should -Be $before
            (Get-AmnAuditLog -Action Rollover) | Should -BeNullOrEmpty
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
