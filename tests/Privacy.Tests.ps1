BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function New-Store {
        $script:folder = New-TestFolder
        $script:tenant = New-TestTenant $folder
        $script:pupils = Join-Path $folder 'leerlingen.csv'
        $lines = @('stamnr;roepnaam;achternaam;geboortedatum;klas')
        for ($i = 1; $i -le 20; $i++) { $lines += '{0:D6};Kind{0};Achternaam{0};{1}-3-2012;{2}' -f $i, (($i % 27) + 1), $(if ($i -le 10) { 'H4a' } else { 'H4b' }) }
        Set-Content $pupils $lines
        Import-AmnStudent -Path $pupils | Out-Null
    }

    # Rows as text, read from outside the module: what is stored, not what the module shows.
    function Get-Rows([string] $Sql) { Invoke-TenantSql $tenant $Sql }
}

Describe 'Remove-AmnStudent' {
    BeforeEach { New-Store }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'erases the personal data and keeps the number as used, in one transaction, logging the number only' {
        $result = Remove-AmnStudent -Number '000003', '000004' -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Number | Should -Be @('000003', '000004')
        # On a server, PostgreSQL keeps the old row versions in its files until vacuum: the admin is told.
        @($warnings | Where-Object { "$_" -like '*old row versions*VACUUM FULL amn_school_<id>.students*' }).Count | Should -Be $(if (Test-ServerStore) { 1 } else { 0 })
        $result[0].Erased.Date | Should -Be (Get-Date).Date
        Get-Rows "SELECT number, first_name, prefix, last_name, birth_date, gender, email, user_name, crebo_number, group_id, CASE WHEN erased_utc IS NULL THEN 0 ELSE 1 END FROM students WHERE number IN ('000003', '000004') ORDER BY 1" |
            Should -Be @('000003||||||||||1', '000004||||||||||1')
        Get-AmnStudent -Number '000003' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-AmnTenant).StudentCount | Should -Be 18
        (Get-AmnAuditLog -Action EraseStudent).Target | Sort-Object | Should -Be @('000003', '000004')
        Get-Rows "SELECT count(*) FROM audit_log WHERE details LIKE '%Kind3%' OR target LIKE '%Kind3%' OR details LIKE '%Achternaam3%'" | Should -Be '0'
        # On a server the module keeps the school in memory only; PostgreSQL's own files are the server's (VACUUM).
        foreach ($file in $(if (-not (Test-ServerStore)) { Get-ChildItem "$($tenant.Path)*" })) {
            [Text.Encoding]::UTF8.GetString([IO.File]::ReadAllBytes($file.FullName)) | Should -Not -Match 'Achternaam3\b' -Because "the erased values are overwritten on disk, also in $($file.Name)"
        }
    }

    It 'leaves no byte of the erased values in the store file, its WAL or journal, whatever the file''s history' -Tag StoreFile {
        # 300 pupils, imported twice (the second year in other groups), then one group erased.
        $lastYear = Join-Path $folder 'vorig-jaar.csv'; $thisYear = Join-Path $folder 'dit-jaar.csv'
        $rows = 1..300 | ForEach-Object { '{0:D6};Voornaam{1:D4}q;Achternaam{1:D4}q;{2:dd-MM-yyyy};mail{1:D4}q@school.nl' -f (100000 + $_), $_, ([datetime]'2010-01-01').AddDays($_) }
        Set-Content $lastYear (@('stamnr;roepnaam;achternaam;geboortedatum;email;klas') + ($rows | ForEach-Object { "$_;H3$([char](97 + [int]$_.Substring(0, 6) % 10))" }))
        Set-Content $thisYear (@('stamnr;roepnaam;achternaam;geboortedatum;email;klas') + ($rows | ForEach-Object { "$_;H4$([char](97 + [int]$_.Substring(0, 6) % 10))" }))
        Import-AmnStudent -Path $lastYear | Out-Null
        Import-AmnStudent -Path $thisYear | Out-Null
        $erased = Get-AmnStudent -Group H4c
        $erased.Count | Should -Be 30
        $erased | Remove-AmnStudent -Confirm:$false -WarningAction SilentlyContinue | Out-Null
        Disconnect-AmnTenant
        $needles = foreach ($pupil in $erased) { $pupil.FirstName; $pupil.LastName; $pupil.Email; $pupil.BirthDate.ToString('yyyy-MM-dd') }
        $needles.Count | Should -Be 120
        foreach ($file in Get-ChildItem "$($tenant.Path)*") {
            $text = [Text.Encoding]::UTF8.GetString([IO.File]::ReadAllBytes($file.FullName))
            $left = @($needles | Where-Object { $text.Contains($_) })
            $left | Should -BeNullOrEmpty -Because "no erased value may stay in $($file.Name)"
        }
        # The pupils kept are all there.
        Connect-AmnTenant -Path $tenant.Path | Out-Null
        (Get-AmnStudent -Group H4d).Count | Should -Be 30
        (Get-AmnStudent -Number '100001').FirstName | Should -Be 'Voornaam0001q'
    }

    It 'keeps an erasure across a restore of a backup taken before it, and says so' {
        $backup = (Backup-AmnTenant).FullName
        Remove-AmnStudent -Number '000003' -Confirm:$false -WarningAction SilentlyContinue | Out-Null
        Restore-AmnTenant -Path $backup -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        Get-Rows "SELECT number, first_name, last_name, birth_date, CASE WHEN erased_utc IS NULL THEN 0 ELSE 1 END FROM students WHERE number = '000003'" | Should -Be '000003||||1'
        Get-AmnStudent -Number '000003' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-AmnStudent -Number '000004').FirstName | Should -Be 'Kind4'
        "$warnings" | Should -BeLike "*1 pupil*erased*again*000003*"
        (Get-AmnAuditLog -Action RestoreTenant | Select-Object -Last 1).Details | Should -BeLike '*erased again: 000003*'
        # A number erased in the store and absent from the backup stays marked used as well.
        Remove-AmnStudent -Number '000005' -Confirm:$false -WarningAction SilentlyContinue | Out-Null
        $empty = Join-Path $folder 'leeg.db'
        Connect-AmnTenant -Path $empty | Out-Null
        $emptyBackup = (Backup-AmnTenant).FullName
        Invoke-Expression (Get-TestConnectCommand $tenant) | Out-Null
        Restore-AmnTenant -Path $emptyBackup -Confirm:$false -WarningAction SilentlyContinue
        Get-Rows "SELECT number FROM students WHERE erased_utc IS NOT NULL ORDER BY number" | Should -Be @('000003', '000005')
        $result = Import-AmnStudent -Path $pupils -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.Failed | Should -Be 2
        @($failures | Where-Object { $_.FullyQualifiedErrorId -like 'NumberErased,*' }).Count | Should -Be 2
    }

    It 'takes pupils from the pipeline' {
        Get-AmnStudent -Group H4a | Select-Object -First 2 | Remove-AmnStudent -Confirm:$false -WarningAction SilentlyContinue | Out-Null
        @(Get-AmnStudent -Group H4a).Count | Should -Be 8
    }

    It 'changes nothing with -WhatIf, byte for byte' {
        $hash = Get-TenantState $tenant
        $result = Remove-AmnStudent -Number '000001' -WhatIf
        $result.WhatIf | Should -BeTrue
        Get-TenantState $tenant | Should -Be $hash
        (Get-AmnStudent -Number '000001').FirstName | Should -Be 'Kind1'
    }

    It 'reports a number that is not stored as ObjectNotFound and changes nothing' {
        $before = Get-Rows 'SELECT * FROM students ORDER BY id'
        Remove-AmnStudent -Number '999999', 1 -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures.Count | Should -Be 2
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'StudentNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($failures[1])" | Should -BeLike "*'000001'*leading zeros*"
        Get-Rows 'SELECT * FROM students ORDER BY id' | Should -Be $before
    }

    It 'stops erasing more than a quarter of the pupils at once, unless -Force' {
        { Get-AmnStudent | Select-Object -First 6 | Remove-AmnStudent -Confirm:$false } | Should -Throw -ErrorId 'TooManyStudentsErased*' -ExpectedMessage '*6 of the 20 pupils*-Force*'
        (Get-AmnTenant).StudentCount | Should -Be 20
        (Get-AmnStudent | Select-Object -First 6 | Remove-AmnStudent -Force -Confirm:$false -WarningAction SilentlyContinue).Count | Should -Be 6
    }

    It 'lists with -WhatIf what would be erased, without a date, also past the mass-erasure limit its hint points at' {
        $hash = Get-TenantState $tenant
        $list = @(Get-AmnStudent | Select-Object -First 6 | Remove-AmnStudent -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue)
        $list.Count | Should -Be 6
        $list[0].Number | Should -Be '000001'
        $list[0].Group | Should -Be 'H4a'
        $list[0].Erased | Should -BeNullOrEmpty
        $list.WhatIf | Sort-Object -Unique | Should -BeTrue
        ($list | Format-Table | Out-String) | Should -Not -Match '01/01/0001|0001-01-01|1-1-0001'
        "$warnings" | Should -BeLike '*Without -WhatIf the erasure would stop*6 of the 20 pupils*-Force*'
        Get-TenantState $tenant | Should -Be $hash
    }

    It 'refuses an erased number in a later import with NumberErased, unless -AllowIdentityChange, and logs only the number' {
        Remove-AmnStudent -Number '000005' -Confirm:$false -WarningAction SilentlyContinue | Out-Null
        $log = Join-Path $folder 'fouten.csv'
        $result = Import-AmnStudent -Path $pupils -ErrorLogPath $log -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.Failed | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'NumberErased,*'
        "$($failures[0])" | Should -BeLike "*'000005'*erased on $((Get-Date).ToString('dd-MM-yyyy'))*"
        $row = Import-Csv $log -Delimiter ';'
        $row.stamnr | Should -Be '000005'
        $row.roepnaam | Should -BeNullOrEmpty
        $row.achternaam | Should -BeNullOrEmpty
        (Import-AmnStudent -Path $pupils -AllowIdentityChange).Moved | Should -Be 1   # back into a group: Moved
        (Get-AmnStudent -Number '000005').LastName | Should -Be 'Achternaam5'
    }

    It 'leaves erased pupils out of exports and out of the rollover''s leavers' {
        Remove-AmnStudent -Number '000007' -Confirm:$false -WarningAction SilentlyContinue | Out-Null
        $export = Join-Path $folder 'export.csv'
        Export-AmnImportFile -Kind Student -Path $export | Out-Null
        Get-Content $export -Raw | Should -Not -Match '000007'
        $staff = Join-Path $folder 'personeel.csv'
        Set-Content $staff "gebruikersnaam;achternaam;rol;klas`nm@school.nl;Mentor;mentor;H5a"
        (Get-Content $pupils | Select-Object -First 19 | Where-Object { $_ -notmatch '^000007;' }) -replace 'H4', 'H5' | Set-Content (Join-Path $folder 'nieuw.csv')
        $plan = Invoke-AmnRollover (Join-Path $folder 'nieuw.csv') $staff -WhatIf -WarningAction SilentlyContinue
        $plan.Students.NotInFile | Should -Be @('000019', '000020')
        $plan.StoredStudentCount | Should -Be 19
    }
}

Describe 'Retention' {
    BeforeEach { New-Store }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'records when each pupil was last in an imported file, and the yearly clean-up erases exactly those not seen since' {
        (Get-AmnStudent -Number '000001').LastSeen.Date | Should -Be (Get-Date).Date
        Invoke-TenantSql $tenant "UPDATE students SET last_seen_date = '2023-06-30'" | Out-Null
        # This year's file has pupils 1 to 15: they are seen today, 16 to 20 are not.
        Get-Content $pupils | Select-Object -First 16 | Set-Content (Join-Path $folder 'dit-jaar.csv')
        Import-AmnStudent -Path (Join-Path $folder 'dit-jaar.csv') | Out-Null
        $old = Get-AmnStudent -NotSeenSince (Get-Date).AddYears(-2)
        $old.Number | Should -Be @('000016', '000017', '000018', '000019', '000020')
        Get-AmnStudent -NotSeenSince 2023-01-01 | Should -BeNullOrEmpty
        $erased = $old | Remove-AmnStudent -Confirm:$false -WarningAction SilentlyContinue
        $erased.Number | Should -Be $old.Number
        (Get-AmnTenant).StudentCount | Should -Be 15
        Get-Rows "SELECT count(*) FROM students WHERE erased_utc IS NOT NULL" | Should -Be '5'
    }

    It 'deletes automatic backups past their age and says until when the rest hold erased data' {
        $old = (Backup-AmnTenant).FullName   # a manual backup: never deleted
        Remove-AmnGroup -Name H4b -Confirm:$false | Out-Null   # takes an automatic backup
        $automatic = Get-ChildItem $tenant.BackupFolder -Filter '*-auto-*.db'
        $automatic.Count | Should -Be 1
        Remove-AmnStudent -Number '000001' -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue | Select-Object -ExpandProperty BackupsHoldDataUntil |
            Should -Be ($automatic[0].LastWriteTime.AddDays(30))
        "$warnings" | Should -BeLike "*still hold the erased data*$($automatic[0].Name)*$($automatic[0].LastWriteTime.AddDays(30).ToString('dd-MM-yyyy'))*Backup-AmnTenant*"

        $automatic[0].LastWriteTime = (Get-Date).AddDays(-31)
        Connect-AmnTenant -Tenant $tenant -BackupMaxAgeDays 30 | Out-Null
        (Remove-AmnStudent -Number '000002' -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue).BackupsHoldDataUntil | Should -BeNullOrEmpty
        Test-Path $automatic[0].FullName | Should -BeFalse
        Test-Path $old | Should -BeTrue
        $warnings | Where-Object { "$_" -notlike '*VACUUM FULL*' } | Should -BeNullOrEmpty
    }
}

Describe 'Files the module writes' {
    BeforeEach { New-Store }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'writes <Name> readable by its owner only' -Skip:$IsWindows -ForEach @(
        @{ Name = 'an error log'; File = 'fouten.csv'; Write = { param($f) Set-Content (Join-Path $folder 'x.csv') "stamnr;roepnaam;achternaam`n1;;"; Import-AmnStudent -Path (Join-Path $folder 'x.csv') -ErrorLogPath $f -ErrorAction SilentlyContinue | Out-Null } }
        @{ Name = 'a report'; File = 'report.html'; Write = { param($f) Invoke-AmnRollover $pupils (Join-Path $PSScriptRoot 'fixtures/staff.xlsx') -ReportPath $f -WhatIf -WarningAction SilentlyContinue | Out-Null } }
        @{ Name = 'a plan'; File = 'plan.json'; Write = { param($f) Invoke-AmnRollover $pupils (Join-Path $PSScriptRoot 'fixtures/staff.xlsx') -PlanPath $f -WhatIf -WarningAction SilentlyContinue | Out-Null } }
        @{ Name = 'a csv export'; File = 'export.csv'; Write = { param($f) Export-AmnImportFile -Kind Student -Path $f | Out-Null } }
        @{ Name = 'an xlsx export'; File = 'export.xlsx'; Write = { param($f) Export-AmnImportFile -Kind Student -Path $f | Out-Null } }
    ) {
        $path = Join-Path $folder $File
        & $Write $path
        (Get-Item $path).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        Get-ChildItem $folder -Force -Filter '.*.tmp' | Should -BeNullOrEmpty
    }

    Context 'An output file that exists' -ForEach @(
        @{ Name = '-ReportPath'; Run = { param($f, [switch] $AllowOverwrite) Invoke-AmnRollover $pupils (Join-Path $PSScriptRoot 'fixtures/staff.xlsx') -ReportPath $f -WhatIf -AllowOverwrite:$AllowOverwrite -WarningAction SilentlyContinue | Out-Null } }
        @{ Name = '-PlanPath'; Run = { param($f, [switch] $AllowOverwrite) Invoke-AmnRollover $pupils (Join-Path $PSScriptRoot 'fixtures/staff.xlsx') -PlanPath $f -WhatIf -AllowOverwrite:$AllowOverwrite -WarningAction SilentlyContinue | Out-Null } }
        @{ Name = '-ErrorLogPath'; Run = { param($f, [switch] $AllowOverwrite) Set-Content (Join-Path $folder 'x.csv') "stamnr;roepnaam;achternaam`n1;;"; Import-AmnStudent -Path (Join-Path $folder 'x.csv') -ErrorLogPath $f -AllowOverwrite:$AllowOverwrite -ErrorAction SilentlyContinue | Out-Null } }
        @{ Name = 'Export-AmnImportFile -Path'; Run = { param($f, [switch] $AllowOverwrite) Export-AmnImportFile -Kind Student -Path $f -AllowOverwrite:$AllowOverwrite | Out-Null } }
    ) {
        It 'refuses to overwrite <Name> without -AllowOverwrite' {
            $target = Join-Path $folder 'bestaand.csv'
            Set-Content $target 'someone else''s file'
            $err = { & $Run $target } | Should -Throw -ErrorId 'FileExists*' -ExpectedMessage '*already exists*-AllowOverwrite*' -PassThru
            $err.Exception.Message | Should -Not -BeLike '*-Force*'
            Get-Content $target | Should -Be 'someone else''s file'
            & $Run $target -AllowOverwrite
            Get-Content $target -Raw | Should -Not -Be "someone else's file`n"
        }

        It 'refuses to write <Name> through a symbolic link, also with -AllowOverwrite' {
            $unrelated = Join-Path $folder 'unrelated.txt'
            Set-Content $unrelated 'unrelated'
            $link = Join-Path $folder 'link.csv'
            if (-not (New-TestSymbolicLink $link $unrelated)) {
                Set-ItResult -Skipped -Because 'no symbolic link can be made here (Wine makes none; Windows only with developer mode or as administrator)'
                return
            }
            { & $Run $link -AllowOverwrite } | Should -Throw -ErrorId 'OutputIsLink*' -ExpectedMessage '*symbolic link*'
            Get-Content $unrelated | Should -Be 'unrelated'
        }
    }

    It 'has one switch for overwriting on every cmdlet that writes a file, and no -Force that overwrites' {
        foreach ($name in 'Invoke-AmnRollover', 'Import-AmnStudent', 'Import-AmnStaff', 'Export-AmnImportFile') {
            (Get-Command $name).Parameters.Keys | Should -Contain 'AllowOverwrite'
        }
        foreach ($name in 'Import-AmnStudent', 'Import-AmnStaff', 'Export-AmnImportFile') {
            (Get-Command $name).Parameters.Keys | Should -Not -Contain 'Force'
        }
        $target = Join-Path $folder 'report.html'
        Set-Content $target 'someone else''s file'
        { Invoke-AmnRollover $pupils (Join-Path $PSScriptRoot 'fixtures/staff.xlsx') -ReportPath $target -WhatIf -Force -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'FileExists*'
        Get-Content $target | Should -Be 'someone else''s file'
    }

    It 'refuses <Name> in a folder it cannot write, before any change, in words and without a temporary name' -Skip:$IsWindows -ForEach @(
        @{ Name = '-ReportPath'; File = 'rapport.html'; Run = { param($f) Invoke-AmnRollover $pupils (Join-Path $PSScriptRoot 'fixtures/staff.xlsx') -ReportPath $f -Force -Confirm:$false -WarningAction SilentlyContinue | Out-Null } }
        @{ Name = '-PlanPath'; File = 'plan.json'; Run = { param($f) Invoke-AmnRollover $pupils (Join-Path $PSScriptRoot 'fixtures/staff.xlsx') -PlanPath $f -Force -Confirm:$false -WarningAction SilentlyContinue | Out-Null } }
        @{ Name = '-ErrorLogPath'; File = 'fouten.csv'; Run = { param($f) Set-Content (Join-Path $folder 'x.csv') "stamnr;roepnaam;achternaam`n1;;`n2;Jan;Smit"; Import-AmnStudent -Path (Join-Path $folder 'x.csv') -ErrorLogPath $f -ErrorAction SilentlyContinue | Out-Null } }
        @{ Name = 'Export-AmnImportFile -Path'; File = 'amn.csv'; Run = { param($f) Export-AmnImportFile -Kind Student -Path $f | Out-Null } }
    ) {
        $hash = Get-TenantState $tenant
        # /sys refuses a new file even to root, as a read-only folder does to anyone else.
        $err = { & $Run "/sys/$File" } | Should -Throw -ErrorId 'OutputNotWritable*' -PassThru
        $err.Exception.Message | Should -BeLike "*/sys/$File*Nothing was changed*"
        $err.Exception.Message | Should -Not -BeLike '*.tmp*'
        $err.Exception.Message | Should -Not -BeLike '*denied*'
        Get-TenantState $tenant | Should -Be $hash
    }
}

Describe 'The audit log for the privacy officer' {
    BeforeEach { New-Store }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'says who and from which machine, holds no names or birth dates, and pipes into Export-Csv one line per entry' {
        Remove-AmnStudent -Number '000009' -Confirm:$false -WarningAction SilentlyContinue | Out-Null
        Remove-AmnGroup -All -Confirm:$false | Out-Null
        $entries = Get-AmnAuditLog
        $entries.Count | Should -BeGreaterOrEqual 3
        $entries | ForEach-Object { $_.User | Should -Be ([Environment]::UserName); $_.Machine | Should -Be ([Environment]::MachineName) }
        Get-Rows "SELECT count(*) FROM audit_log WHERE coalesce(target, '') || coalesce(details, '') LIKE '%Kind%' OR coalesce(target, '') || coalesce(details, '') LIKE '%Achternaam%' OR details LIKE '%-3-2012%'" | Should -Be '0'

        $csv = Join-Path $folder 'audit.csv'
        $entries | Export-Csv $csv -NoTypeInformation
        $lines = Get-Content $csv
        $lines.Count | Should -Be ($entries.Count + 1)
        $lines[0] | Should -Be '"Id","Time","User","Machine","Action","Target","Details","RunId"'
        $back = Import-Csv $csv
        ($back | Where-Object Action -eq EraseStudent).Target | Should -Be '000009'
    }
}

Describe 'The default store''s folder' -Tag StoreFile {
    It 'is created readable by its owner only' -Skip:$IsWindows {
        $folder = New-TestFolder
        try {
            Invoke-FreshPwsh "Import-Module '$ManifestPath'; Connect-AmnTenant | Out-Null" -Environment @{ AMN_TENANT_PATH = $null; AMN_ROLLOVER_HOME = (Join-Path $folder 'Amn.Rollover') } | Out-Null
            $store = Get-ChildItem $folder -Recurse -Filter tenant.db | Select-Object -First 1
            $store | Should -Not -BeNullOrEmpty
            (Get-Item $store.DirectoryName).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
            $store.UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        }
        finally { Remove-TestFolder $folder }
    }
}
