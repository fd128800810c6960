BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # The descriptors this process holds on a store file or its -wal/-shm (Linux: /proc/self/fd).
    function Get-StoreDescriptorCount([string] $StorePath) {
        @(Get-ChildItem "/proc/$PID/fd" -ErrorAction SilentlyContinue | ForEach-Object {
            try { [IO.File]::ResolveLinkTarget($_.FullName, $false).FullName } catch { }
        } | Where-Object { $_ -and $_.StartsWith($StorePath) }).Count
    }

    # Every error text, for the check that nothing raw gets out.
    function Assert-NoRawError([System.Management.Automation.ErrorRecord[]] $Records) {
        foreach ($record in $Records) {
            "$($record.Exception.Message)" | Should -Not -Match 'SQLite Error|SqliteException|given key|Object reference|AggregateException'
            $record.Exception.GetType().Name | Should -Not -Match 'Sqlite|KeyNotFound|Aggregate|NullReference'
        }
    }

}

BeforeDiscovery {
    # Read-only and full disks are made with tmpfs mounts, which need root on Linux (as in CI).
    $CanMount = $false
    if ($IsLinux -and ((& id -u) -eq '0') -and (Get-Command mount -ErrorAction SilentlyContinue)) {
        $probe = Join-Path ([IO.Path]::GetTempPath()) "amn-mount-probe-$PID"
        New-Item -ItemType Directory $probe -Force | Out-Null
        & mount -t tmpfs -o size=1m tmpfs $probe 2>$null
        if ($LASTEXITCODE -eq 0) { $CanMount = $true; & umount $probe }
        Remove-Item $probe -Force
    }
}

Describe 'Store connections are closed on every path' -Skip:(-not $IsLinux) {
    BeforeDiscovery {
        $failingNames = @(
            'Set-AmnStaffGroupLink, unknown user', 'Remove-AmnStaffGroupLink, unknown user', 'Import-AmnStudent, bad row',
            'Import-AmnStudent, piped bad row', 'Import-AmnStaff, bad row', 'Get-AmnStudent, unknown number',
            'Get-AmnStudent | Select-Object -First 1', 'Get-AmnGroup | Select-Object -First 1', 'Get-AmnAuditLog | Select-Object -First 1',
            'Remove-AmnGroup, unknown group', 'New-AmnGroup, existing group', 'Remove-AmnStaff, unknown user',
            'Invoke-AmnRollover, bad rows', 'Restore-AmnTenant, not a backup', 'Export-AmnImportFile, missing folder', 'Compare-AmnStaff, bad file')
    }
    BeforeAll {
        $folder = New-TestFolder
        $store = Join-Path $folder 'school.db'
        Connect-AmnTenant -Path $store | Out-Null
        $pupils = Join-Path $folder 'pupils.csv'
        Set-Content $pupils (@('leerlingnummer;voornaam;achternaam;klas') + (1..50 | ForEach-Object { "$_;Jan;Jansen$_;H$($_ % 3)" }))
        Import-AmnStudent -Path $pupils | Out-Null
        $staff = Join-Path $folder 'staff.csv'
        Set-Content $staff "gebruikersnaam;achternaam;rol;klas`nm@school.nl;Mentor;mentor;H1"
        Import-AmnStaff -Path $staff | Out-Null
        $bad = Join-Path $folder 'bad.csv'
        Set-Content $bad "leerlingnummer;voornaam;achternaam;klas`n1;;;H1"
        $script:failing = @(
            @{ Name = 'Set-AmnStaffGroupLink, unknown user'; Run = { Set-AmnStaffGroupLink -UserName nobody@x.nl -Group H1 -ErrorAction Stop } }
            @{ Name = 'Remove-AmnStaffGroupLink, unknown user'; Run = { Remove-AmnStaffGroupLink -UserName nobody@x.nl -Group H1 -ErrorAction Stop -Confirm:$false } }
            @{ Name = 'Import-AmnStudent, bad row'; Run = { Import-AmnStudent -Path $bad -ErrorAction Stop } }
            @{ Name = 'Import-AmnStudent, piped bad row'; Run = { Import-Csv $bad -Delimiter ';' | Import-AmnStudent -ErrorAction Stop } }
            @{ Name = 'Import-AmnStaff, bad row'; Run = { Import-AmnStaff -Path $bad -ErrorAction Stop } }
            @{ Name = 'Get-AmnStudent, unknown number'; Run = { Get-AmnStudent -Number 999 -ErrorAction Stop } }
            @{ Name = 'Get-AmnStudent | Select-Object -First 1'; Run = { Get-AmnStudent | Select-Object -First 1 } }
            @{ Name = 'Get-AmnGroup | Select-Object -First 1'; Run = { Get-AmnGroup | Select-Object -First 1 } }
            @{ Name = 'Get-AmnAuditLog | Select-Object -First 1'; Run = { Get-AmnAuditLog | Select-Object -First 1 } }
            @{ Name = 'Remove-AmnGroup, unknown group'; Run = { Remove-AmnGroup -Name nope -ErrorAction Stop -Confirm:$false } }
            @{ Name = 'New-AmnGroup, existing group'; Run = { New-AmnGroup -Name H1 -ErrorAction Stop -Confirm:$false } }
            @{ Name = 'Remove-AmnStaff, unknown user'; Run = { Remove-AmnStaff -UserName nobody@x.nl -ErrorAction Stop -Confirm:$false } }
            @{ Name = 'Invoke-AmnRollover, bad rows'; Run = { Invoke-AmnRollover -StudentPath $bad -StaffPath $staff -Confirm:$false } }
            @{ Name = 'Restore-AmnTenant, not a backup'; Run = { Restore-AmnTenant -Path $bad -Confirm:$false } }
            @{ Name = 'Export-AmnImportFile, missing folder'; Run = { Export-AmnImportFile -Kind Students -Path (Join-Path $folder 'missing/x.csv') } }
            @{ Name = 'Compare-AmnStaff, bad file'; Run = { Compare-AmnStaff -Path (Join-Path $folder 'nope.csv') } }
        )
    }
    AfterAll {
        Disconnect-AmnTenant
        Remove-TestFolder $folder
    }

    It 'holds no descriptor of the store after <_>' -ForEach $failingNames {
        $case = $failing | Where-Object Name -eq $_
        $errors = @()
        try { & $case.Run 2>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $errors += $_ } } } catch { $errors += $_ }
        Assert-NoRawError $errors
        Get-StoreDescriptorCount $store | Should -Be 0
    }

    It 'holds no descriptor of the store after a stopped import' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ManifestPath'; 1..2000000 | ForEach-Object { [pscustomobject]@{ leerlingnummer = 100000 + `$_; voornaam = 'A'; achternaam = 'B'; klas = 'S1' } } | Import-AmnStudent -Tenant '$store'")
            $async = $ps.BeginInvoke()
            Start-Sleep -Seconds 3
            $ps.Stop()
            try { $ps.EndInvoke($async) } catch { }
        }
        finally { $ps.Dispose() }
        Get-StoreDescriptorCount $store | Should -Be 0
        (Get-AmnTenant).StudentCount | Should -Be 50
    }
}

Describe 'A store another session is writing' {
    BeforeAll {
        $folder = New-TestFolder
        $store = Join-Path $folder 'school.db'
        Connect-AmnTenant -Path $store -BusyTimeoutSec 2 | Out-Null
        $ready = Join-Path $folder 'ready'
        $holder = Start-FreshPwsh @"
Import-Module '$ManifestPath'
`$store = [Amn.Rollover.Core.Store.TenantStore]::Open('$store')
`$work = `$store.BeginWrite(`$null)
Set-Content '$ready' 'ready'
Start-Sleep -Seconds 20
"@
        $deadline = (Get-Date).AddSeconds(30)
        while (-not (Test-Path $ready) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
    }
    AfterAll {
        if (-not $holder.HasExited) { $holder.Kill() }
        Disconnect-AmnTenant
        Remove-TestFolder $folder
    }

    It 'makes a writer say it waits, then fail with TenantBusy naming the store' {
        Test-Path $ready | Should -BeTrue
        $messages = [Collections.Generic.List[string]]::new()
        $failure = $null
        try { New-AmnGroup -Name X1 -Confirm:$false -Verbose 4>&1 | ForEach-Object { $messages.Add("$_") } }
        catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'TenantBusy,Amn.Rollover.NewAmnGroupCommand'
        $failure.Exception.Message | Should -BeLike "*$store*"
        $messages | Where-Object { $_ -like "*$store*waiting*" } | Should -Not -BeNullOrEmpty
    }

    It 'still lets readers read' {
        (Get-AmnTenant).GroupCount | Should -Be 0
    }
}

Describe 'No silent fallback to another store' {
    BeforeEach {
        $folder = New-TestFolder
        Disconnect-AmnTenant
    }
    AfterEach {
        Disconnect-AmnTenant
        $env:AMN_TENANT_PATH = $null
        Remove-TestFolder $folder
    }

    It 'keeps the current tenant when a connect fails' {
        $good = Connect-AmnTenant -Path (Join-Path $folder 'good.db')
        Set-Content (Join-Path $folder 'junk.db') 'not a store'
        { Connect-AmnTenant -Path (Join-Path $folder 'junk.db') } | Should -Throw -ErrorId 'NotATenantStore*'
        (Get-AmnTenant).Path | Should -Be $good.Path
    }

    It 'never writes to the default store after a failed first connect' {
        $env:AMN_TENANT_PATH = Join-Path $folder 'default.db'
        { Connect-AmnTenant -Path (Join-Path $folder 'missing/school.db') } | Should -Throw -ErrorId 'TenantFolderNotFound*'
        { New-AmnGroup -Name H1 -Confirm:$false } | Should -Throw -ErrorId 'NoTenantConnected*' -ExpectedMessage '*missing*'
        Test-Path $env:AMN_TENANT_PATH | Should -BeFalse
    }

    It 'reports a store deleted while connected as TenantMissing and does not create it again' {
        $tenant = Connect-AmnTenant -Path (Join-Path $folder 'school.db')
        New-AmnGroup -Name H1 -Confirm:$false | Out-Null
        Remove-Item "$($tenant.Path)*" -Force
        { Get-AmnTenant } | Should -Throw -ErrorId 'TenantMissing*' -ExpectedMessage "*$($tenant.Path)*"
        { New-AmnGroup -Name H2 -Tenant $tenant -Confirm:$false } | Should -Throw -ErrorId 'TenantMissing*'
        Test-Path $tenant.Path | Should -BeFalse
    }

    It 'refuses a -Tenant path that does not exist instead of creating a store there' {
        { Get-AmnGroup -Tenant (Join-Path $folder 'typo.db') } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*' -ExpectedMessage '*typo.db*'
        Test-Path (Join-Path $folder 'typo.db') | Should -BeFalse
    }
}

Describe 'A store on a read-only or full disk' -Skip:(-not $CanMount) {
    BeforeEach {
        $folder = New-TestFolder
        & mount -t tmpfs -o size=3m tmpfs $folder
        $store = Join-Path $folder 'school.db'
        Connect-AmnTenant -Path $store | Out-Null
        $pupils = Join-Path ([IO.Path]::GetTempPath()) "amn-pupils-$([guid]::NewGuid().ToString('N')).csv"
        Set-Content $pupils (@('leerlingnummer;voornaam;achternaam;klas') + (1..200 | ForEach-Object { "$_;Jan;Jansen$_;H$($_ % 5)" }))
        Import-AmnStudent -Path $pupils | Out-Null
    }
    AfterEach {
        Disconnect-AmnTenant
        & umount $folder
        Remove-Item $folder, $pupils -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'is TenantReadOnly naming the store, and nothing changes' {
        & mount -o remount,ro $folder
        { New-AmnGroup -Name X1 -Confirm:$false } | Should -Throw -ErrorId 'TenantReadOnly*' -ExpectedMessage "*$store*"
        { Import-AmnStudent -Path $pupils } | Should -Throw -ErrorId 'TenantReadOnly*'
        & mount -o remount,rw $folder
        (Get-AmnTenant).StudentCount | Should -Be 200
    }

    It 'is TenantDiskFull naming the store, with the store intact' {
        $many = Join-Path ([IO.Path]::GetTempPath()) "amn-many-$([guid]::NewGuid().ToString('N')).csv"
        try {
            Set-Content $many (@('leerlingnummer;voornaam;achternaam;klas') + (1..60000 | ForEach-Object { "$(100000 + $_);Voornaam$_;Achternaam$_;K$($_ % 50)" }))
            $errors = @()
            try { Import-AmnStudent -Path $many -ErrorAction Stop | Out-Null } catch { $errors += $_ }
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TenantDiskFull*'
            $errors[0].Exception.Message | Should -BeLike "*$store*"
            Assert-NoRawError $errors
            Invoke-SqliteFile $store 'PRAGMA integrity_check;' | Should -Be 'ok'
            (Get-AmnTenant).StudentCount | Should -Be 200
        }
        finally { Remove-Item $many -ErrorAction SilentlyContinue }
    }

    It 'leaves no partial backup or journal when a backup fails on a full disk' {
        $elsewhere = New-TestFolder
        try {
            $tenant = Connect-AmnTenant -Path (Join-Path $elsewhere 'other.db')
            Import-AmnStudent -Path $pupils | Out-Null
            & dd if=/dev/zero "of=$(Join-Path $folder filler)" bs=64k 2>$null
            { Backup-AmnTenant -Destination $folder } | Should -Throw -ErrorId 'BackupDiskFull*' -ExpectedMessage "*$folder*"
            Get-ChildItem $folder -Force | Where-Object Name -ne 'filler' | Where-Object Name -notlike 'school.db*' | Should -BeNullOrEmpty
        }
        finally {
            Disconnect-AmnTenant
            Remove-Item $elsewhere -Recurse -Force
        }
    }

    It 'stops a bulk change before any change when the store''s disk is full' {
        & dd if=/dev/zero "of=$(Join-Path $folder filler)" bs=64k 2>$null
        { Remove-AmnGroup -All -Confirm:$false } | Should -Throw -ErrorId '*DiskFull*'
        Get-ChildItem $folder -Recurse -Force | Where-Object { $_.Name -like '*.partial' -or $_.Name -like '*-journal' } | Should -BeNullOrEmpty
        Remove-Item (Join-Path $folder 'filler')
        (Get-AmnTenant).GroupCount | Should -Be 5
    }
}
