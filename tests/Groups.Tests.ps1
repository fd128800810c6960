BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    function New-School {
        $script:folder = New-TestFolder
        $script:tenant = New-TestTenant $folder
        $csv = Join-Path $folder 'l.csv'
        Set-Content $csv -Encoding utf8 -Value @(
            'stamnr;roepnaam;tussenv;achternaam;geb_datum_str;geslacht;klas;email'
            '1;Zoë;;Jansen;14-3-2011;V;H4a;zoe@x.nl', '2;Daniël;van der;Berg;31-12-2010;M;H4b;', '3;Emre;;Çelik;1-10-2010;M;V4a;'
        )
        Import-AmnStudent -Path $csv -Folder 2025-2026/Havo | Out-Null
        New-AmnGroup -Name X1 -Folder 2026-2027 | Out-Null
    }
    function Get-StudentSnapshot { Get-AmnStudent | Sort-Object Number | Select-Object Number, FirstName, Prefix, LastName, BirthDate, Gender, CreboNumber, Email, UserName | ConvertTo-Json }
}

Describe 'Remove-AmnGroup' {
    BeforeEach { New-School }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'removes all groups, keeps every pupil and every field but the group, and backs up first' {
        $before = Get-StudentSnapshot
        $result = Remove-AmnGroup -All -Confirm:$false
        $result.GroupsRemoved | Should -Be 4
        $result.MembershipsCleared | Should -Be 3
        $result.WhatIf | Should -BeFalse
        Test-Path $result.BackupPath | Should -BeTrue
        (Get-AmnTenant).StudentCount | Should -Be 3
        (Get-AmnStudent -WithoutGroup).Count | Should -Be 3
        Get-StudentSnapshot | Should -Be $before
    }

    It 'changes nothing and writes no backup with -WhatIf, and still reports' {
        $hash = Get-TenantState $tenant
        $result = Remove-AmnGroup -All -WhatIf
        $result.WhatIf | Should -BeTrue
        $result.GroupsRemoved | Should -Be 4
        $result.MembershipsCleared | Should -Be 3
        $result.BackupPath | Should -BeNullOrEmpty
        Get-TenantState $tenant | Should -Be $hash
        Test-Path $tenant.BackupFolder | Should -BeFalse
    }

    It 'is undone by restoring its backup' {
        $before = Get-AmnGroup | ConvertTo-Json
        $result = Remove-AmnGroup -All -Confirm:$false
        Restore-AmnTenant -Path $result.BackupPath -Confirm:$false
        Get-AmnGroup | ConvertTo-Json | Should -Be $before
    }

    It 'removes a folder of groups, with -Recurse its subfolders, and prunes empty folders' {
        $result = Remove-AmnGroup -Folder 2025-2026 -Recurse -Confirm:$false -NoBackup
        $result.GroupsRemoved | Should -Be 3
        (Get-AmnGroup).Name | Should -Be 'X1'
        (Get-AmnFolder).Path | Should -Not -Contain '2025-2026/Havo'
        (Get-AmnFolder).Path | Should -Not -Contain '2025-2026'
        (Get-AmnFolder).Path | Should -Contain '2026-2027'
    }

    It 'removes groups by name with wildcards' {
        (Remove-AmnGroup -Name 'H4*' -Confirm:$false -NoBackup).GroupsRemoved | Should -Be 2
        (Get-AmnGroup).Name | Sort-Object | Should -Be @('V4a', 'X1')
    }

    It 'removes piped groups and can pass them through' {
        $removed = Get-AmnGroup V4a, X1 | Remove-AmnGroup -Confirm:$false -NoBackup -PassThru
        $removed.Name | Should -Be @('V4a', 'X1')
        (Get-AmnGroup).Count | Should -Be 2
    }

    It 'reports a name or folder that matches nothing as ObjectNotFound' {
        Remove-AmnGroup -Name Q9 -Confirm:$false -ErrorVariable e1 -ErrorAction SilentlyContinue | Out-Null
        $e1[0].FullyQualifiedErrorId | Should -Be 'GroupNotFound,Amn.Rollover.RemoveAmnGroupCommand'
        Remove-AmnGroup -Folder nope -Confirm:$false -ErrorVariable e2 -ErrorAction SilentlyContinue | Out-Null
        $e2[0].FullyQualifiedErrorId | Should -Be 'FolderNotFound,Amn.Rollover.RemoveAmnGroupCommand'
        "$($e2[0])" | Should -BeLike "*'nope'*"
        (Get-AmnGroup).Count | Should -Be 4
    }

    It 'returns zeros for -All on an empty tenant' {
        Remove-AmnGroup -All -Confirm:$false -NoBackup | Out-Null
        $result = Remove-AmnGroup -All -Confirm:$false
        $result.GroupsRemoved | Should -Be 0
        $result.MembershipsCleared | Should -Be 0
        $result.BackupPath | Should -BeNullOrEmpty
    }

    It 'writes one audit entry per removal' {
        Remove-AmnGroup -All -Confirm:$false -NoBackup | Out-Null
        (Get-AmnAuditLog | Where-Object Action -eq 'RemoveGroups').Details | Should -BeLike 'groups=4; membershipsCleared=3;*'
    }

    It 'removes and records a group, or reports GroupNotFound, never neither, when sessions race to remove it' {
        $names = 1..30 | ForEach-Object { "R$_" }
        New-AmnGroup -Name $names -Confirm:$false | Out-Null
        $start = Join-Path $folder 'start'
        $workers = foreach ($worker in 1..3) {
            $log = Join-Path $folder "race-$worker.txt"
            Start-FreshPwsh @"
Import-Module '$ManifestPath'
$(Get-TestConnectCommand $tenant) | Out-Null
while (-not (Test-Path '$start')) { Start-Sleep -Milliseconds 20 }
foreach (`$name in '$($names -join "','")') {
    `$result = Remove-AmnGroup -Name `$name -Confirm:`$false -NoBackup -ErrorVariable failures -ErrorAction SilentlyContinue
    `$outcome = if (`$failures.Count -eq 1 -and `$failures[0].FullyQualifiedErrorId -like 'GroupNotFound,*' -and -not `$result.GroupsRemoved) { 'NotFound' }
                elseif (`$failures.Count -eq 0 -and `$result.GroupsRemoved -eq 1) { 'Removed' }
                else { "Neither (`$(`$result.GroupsRemoved) removed; `$(`$failures -join ' / '))" }
    Add-Content '$log' "`$name `$outcome"
}
"@
        }
        Set-Content $start 'go'
        foreach ($process in $workers) { if (-not $process.WaitForExit(300000)) { $process.Kill($true) } }
        $outcomes = 1..3 | ForEach-Object { Get-Content (Join-Path $folder "race-$_.txt") }
        $outcomes.Count | Should -Be 90
        $outcomes | Where-Object { $_ -notmatch ' (Removed|NotFound)$' } | Should -BeNullOrEmpty
        @($outcomes -match ' Removed$').Count | Should -Be 30
        $audited = Get-AmnAuditLog | Where-Object { $_.Action -eq 'RemoveGroups' -and $_.Target -like 'R*' }
        @($audited).Count | Should -Be 30
        (Get-AmnGroup).Name | Sort-Object | Should -Be @('H4a', 'H4b', 'V4a', 'X1')
    }
}

Describe 'New-AmnGroup and Get-AmnFolder' {
    BeforeEach { New-School }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'creates groups with their folder, and refuses a name that exists in any case' {
        $group = New-AmnGroup -Name V6b -Folder '2026-2027\Vwo'
        $group.Folder | Should -Be '2026-2027/Vwo'
        New-AmnGroup -Name h4A -ErrorVariable e -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        ('Z1', 'z1' | New-AmnGroup -ErrorVariable e2 -ErrorAction SilentlyContinue).Name | Should -Be 'Z1'
        $e2[0].FullyQualifiedErrorId | Should -Be 'GroupExists,Amn.Rollover.NewAmnGroupCommand'
        $e[0].FullyQualifiedErrorId | Should -Be 'GroupExists,Amn.Rollover.NewAmnGroupCommand'
        $e[0].CategoryInfo.Category | Should -Be 'ResourceExists'
    }

    It 'lists folders with group counts' {
        $folders = Get-AmnFolder
        ($folders | Where-Object Path -eq '2025-2026/Havo').GroupCount | Should -Be 3
        ($folders | Where-Object Path -eq '2025-2026').GroupCount | Should -Be 0
        (Get-AmnFolder '2026*').Path | Should -Be '2026-2027'
    }

    It 'completes folder paths' {
        $line = 'Remove-AmnGroup -Folder 2025'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('2025-2026', '2025-2026/Havo')
    }

    It 'creates nothing with -WhatIf' {
        $hash = Get-TenantState $tenant
        New-AmnGroup -Name Z1 -WhatIf | Should -BeNullOrEmpty
        Get-TenantState $tenant | Should -Be $hash
    }
}
