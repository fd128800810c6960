BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # One worker: loops over every kind of mutating cmdlet on a shared store until its deadline and
    # writes one JSON line per operation (what it did, whether it succeeded, every error's id and text).
    $script:WorkerScript = @'
param($Manifest, $StorePath, $Folder, $Worker, $UseTenant, $Seconds)
$ErrorActionPreference = 'Continue'
Import-Module $Manifest
$log = Join-Path $Folder "worker-$Worker.jsonl"
$t = if ($UseTenant) { Connect-AmnTenant -Path $StorePath } else { $null; Connect-AmnTenant -Path $StorePath | Out-Null }
$common = if ($UseTenant) { @{ Tenant = $t } } else { @{} }
$staffFile = Join-Path $Folder 'staff.csv'
$rolloverFile = Join-Path $Folder 'rollover-students.csv'
$deadline = (Get-Date).AddSeconds($Seconds)
$i = 0
function Step([string] $Action, [scriptblock] $Body) {
    $errors = @()
    $output = $null
    try {
        foreach ($item in @(& $Body 2>&1)) {
            if ($item -is [System.Management.Automation.ErrorRecord]) { $errors += $item } else { $output = $item }
        }
    }
    catch { $errors += $_ }
    $records = @($errors | Where-Object { $_ } | ForEach-Object {
        $record = if ($_ -is [System.Management.Automation.ErrorRecord]) { $_ } else { $_.ErrorRecord }
        @{ Id = "$($record.FullyQualifiedErrorId)"; Message = "$($record.Exception.Message)"; Type = "$($record.Exception.GetType().FullName)" }
    })
    [ordered]@{ Worker = $Worker; Action = $Action; Ok = ($records.Count -eq 0); Errors = $records; Output = $output } |
        ConvertTo-Json -Depth 5 -Compress | Add-Content -Path $log
}
while ((Get-Date) -lt $deadline) {
    $i++
    $number = "{0}" -f (90000 + $Worker)
    $file = Join-Path $Folder "w$Worker.csv"
    Set-Content -Path $file -Value "leerlingnummer;voornaam;achternaam;klas`n$number;W$Worker-$i;Counter;G$Worker"
    Step 'ImportStudents' { $r = Import-AmnStudent -Path $file @common -Confirm:$false; @{ Created = $r.Created; Updated = $r.Updated; Name = "W$Worker-$i" } }
    Step 'NewGroup' { $g = New-AmnGroup -Name "N$Worker-$i" @common -Confirm:$false; @{ Created = @($g).Count } }
    Step 'NewGroupShared' { $g = New-AmnGroup -Name "Shared-$i" @common -Confirm:$false; @{ Created = @($g).Count } }
    Step 'SetStaffGroupLinks' { Set-AmnStaffGroupLink -UserName "s$Worker@school.example.nl" -Group "L$Worker-$i" -CreateMissingGroups @common -Confirm:$false; @{} }
    Step 'RemoveStaffGroupLinks' { Remove-AmnStaffGroupLink -UserName "s$Worker@school.example.nl" -Group "L$Worker-$i" @common -Confirm:$false; @{} }
    $erase = "{0}" -f (700000 + 10000 * $Worker + $i)
    Set-Content -Path $file -Value "leerlingnummer;voornaam;achternaam;klas`n$erase;Wis$Worker;Mij;E$Worker"
    Step 'ImportToErase' { Import-AmnStudent -Path $file @common -Confirm:$false | Out-Null; @{} }
    Step 'EraseStudent' { $r = Remove-AmnStudent -Number $erase -Force @common -Confirm:$false -WarningAction SilentlyContinue; @{ Number = $r.Number } }
    switch ($i % 5) {
        0 { Step 'RemoveGroups' { $r = Remove-AmnGroup -All -NoBackup @common -Confirm:$false; @{ Removed = $r.GroupsRemoved } } }
        1 { Step 'ImportStaff' { $r = Import-AmnStaff -Path $staffFile @common -Confirm:$false; @{} } }
        2 { Step 'Rollover' { $r = Invoke-AmnRollover -StudentPath $rolloverFile -StaffPath $staffFile -Force @common -Confirm:$false; @{ Backup = $r.BackupPath } } }
        3 { Step 'Backup' { $b = Backup-AmnTenant @common; @{ Path = $b.FullName } } }
        4 {
            # A saved plan: applied when nobody changed the store in between, else refused as outdated.
            $plan = Join-Path $Folder "plan-$Worker-$i.json"
            Step 'RolloverPlan' {
                Invoke-AmnRollover -StudentPath $rolloverFile -StaffPath $staffFile -PlanPath $plan -WhatIf @common -WarningAction SilentlyContinue | Out-Null
                $r = Invoke-AmnRollover -Plan $plan -Force @common -Confirm:$false -WarningAction SilentlyContinue
                @{ Backup = $r.BackupPath }
            }
        }
    }
}
'@

    function Invoke-Workers([string] $Folder, [string] $StorePath, [int] $Count, [int] $Seconds) {
        $script = Join-Path $Folder 'worker.ps1'
        Set-Content -Path $script -Value $WorkerScript
        $pwsh = Get-PwshCommandLine
        $processes = foreach ($worker in 1..$Count) {
            $useTenant = if ($worker % 2 -eq 0) { '$true' } else { '$false' }
            $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command',
                "& '$script' -Manifest '$ManifestPath' -StorePath '$StorePath' -Folder '$Folder' -Worker $worker -UseTenant $useTenant -Seconds $Seconds")
            Start-Process -FilePath $pwsh[0] -ArgumentList $arguments -PassThru `
                -RedirectStandardOutput (Join-Path $Folder "out-$worker.txt") -RedirectStandardError (Join-Path $Folder "err-$worker.txt")
        }
        foreach ($process in $processes) {
            if (-not $process.WaitForExit(($Seconds + 90) * 1000)) { $process.Kill($true) }
        }
        foreach ($worker in 1..$Count) {
            Get-Content (Join-Path $Folder "worker-$worker.jsonl") -ErrorAction SilentlyContinue | ForEach-Object { $_ | ConvertFrom-Json }
        }
    }
}

Describe 'The store under concurrent writers' -Tag 'Slow' {
    BeforeAll {
        $folder = New-TestFolder
        $store = Join-Path $folder 'school.db'
        $staff = @('gebruikersnaam;achternaam;rol;klas') + (1..4 | ForEach-Object { "s$_@school.example.nl;Staff$_;mentor;" })
        Set-Content -Path (Join-Path $folder 'staff.csv') -Value $staff
        $pupils = @('leerlingnummer;voornaam;achternaam;klas') + (1..20 | ForEach-Object { "{0};Pupil;Nr{1};R{2}" -f (80000 + $_), $_, ($_ % 3) })
        Set-Content -Path (Join-Path $folder 'rollover-students.csv') -Value $pupils
        Connect-AmnTenant -Path $store | Out-Null
        Import-AmnStaff -Path (Join-Path $folder 'staff.csv') -Confirm:$false | Out-Null
        Disconnect-AmnTenant

        $script:operations = @(Invoke-Workers -Folder $folder -StorePath $store -Count 4 -Seconds 30)
        $script:folder = $folder
        $script:store = $store
    }
    AfterAll {
        if (-not $env:AMN_KEEP_TEST_FOLDER) { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'ran every kind of operation in every worker' {
        foreach ($worker in 1..4) {
            $mine = @($operations | Where-Object Worker -eq $worker)
            $mine.Count | Should -BeGreaterThan 10 -Because "worker $worker must have done real work"
            @($mine | Where-Object Ok).Count | Should -BeGreaterThan 5 -Because "worker $worker must have succeeded at something"
        }
        $actions = $operations.Action | Sort-Object -Unique
        foreach ($action in 'ImportStudents', 'NewGroup', 'SetStaffGroupLinks', 'RemoveStaffGroupLinks', 'RemoveGroups', 'ImportStaff', 'Rollover', 'Backup', 'EraseStudent', 'RolloverPlan') {
            $actions | Should -Contain $action
        }
    }

    It 'leaves a store that passes integrity_check' {
        $check = Invoke-SqliteFile $store 'PRAGMA integrity_check;'
        $check | Should -Be 'ok'
    }

    It 'never shows a raw .NET or SQLite exception' {
        $raw = @($operations.Errors | Where-Object { $_ } | Where-Object {
            $_.Message -match 'SQLite Error|SqliteException|KeyNotFound|given key|Exception|malformed|disk I/O' -or
            $_.Type -match 'Sqlite|KeyNotFound|Aggregate|InvalidOperation|NullReference'
        })
        $raw | ForEach-Object { "$($_.Id): $($_.Message)" } | Select-Object -Unique -First 10 | Should -BeNullOrEmpty
    }

    It 'fails only with the expected per-item errors' {
        $ids = @($operations.Errors | Where-Object { $_ } | ForEach-Object { ($_.Id -split ',')[0] } | Sort-Object -Unique)
        $ids | Where-Object { $_ -notin 'GroupExists', 'GroupNotFound', 'LinkNotFound', 'PlanOutdated' } | Should -BeNullOrEmpty
    }

    It 'has an audit entry for every operation that reported success and none for failures' {
        Connect-AmnTenant -Path $store | Out-Null
        try { $all = @(Get-AmnAuditLog) } finally { Disconnect-AmnTenant }
        # A rollover's steps are logged under the rollover's run id; count them with the rollover.
        $rolloverRuns = @($all | Where-Object Action -eq 'Rollover' | ForEach-Object RunId)
        $audit = @($all | Where-Object { $_.Action -eq 'Rollover' -or $_.RunId -notin $rolloverRuns })
        $byAction = $audit | Group-Object Action -AsHashTable
        function Count($name) { if ($byAction -and $byAction.ContainsKey($name)) { $byAction[$name].Count } else { 0 } }
        $succeeded = { param($action) @($operations | Where-Object { $_.Action -eq $action -and $_.Ok }).Count }
        (Count 'ImportStudents') | Should -Be ((& $succeeded 'ImportStudents') + (& $succeeded 'ImportToErase'))
        (Count 'NewGroup') | Should -Be ((& $succeeded 'NewGroup') + (& $succeeded 'NewGroupShared'))
        (Count 'SetStaffGroupLinks') | Should -BeGreaterOrEqual (& $succeeded 'SetStaffGroupLinks')
        (Count 'ImportStaff') | Should -Be (1 + (& $succeeded 'ImportStaff'))   # one more: the set-up import
        (Count 'Rollover') | Should -Be ((& $succeeded 'Rollover') + (& $succeeded 'RolloverPlan'))
        (Count 'EraseStudent') | Should -Be (& $succeeded 'EraseStudent')
        $removed = @($operations | Where-Object { $_.Action -eq 'RemoveGroups' -and $_.Ok -and $_.Output.Removed -gt 0 }).Count
        (Count 'RemoveGroups') | Should -Be $removed
    }

    It 'lost no update: each pupil holds the name of its worker''s last successful import' {
        Connect-AmnTenant -Path $store | Out-Null
        try {
            foreach ($worker in 1..4) {
                $last = @($operations | Where-Object { $_.Worker -eq $worker -and $_.Action -eq 'ImportStudents' -and $_.Ok })[-1]
                $last.Output.Name | Should -Match "^W$worker-\d+$"
                (Get-AmnStudent -Number (90000 + $worker)).FirstName | Should -Be $last.Output.Name
            }
        }
        finally { Disconnect-AmnTenant }
    }

    It 'kept every erasure: the pupil''s data is gone, the number stays used' {
        $erased = @($operations | Where-Object { $_.Action -eq 'EraseStudent' -and $_.Ok }).Output.Number
        $erased.Count | Should -BeGreaterThan 4
        $list = ($erased | ForEach-Object { "'$_'" }) -join ','
        Invoke-SqliteFile $store "SELECT count(*) FROM students WHERE number IN ($list) AND erased_utc IS NOT NULL AND first_name = '' AND group_id IS NULL;" | Should -Be "$($erased.Count)"
    }

    It 'kept only complete backups' {
        $backups = @(Get-ChildItem (Join-Path $folder 'backups') -File -Force)
        $backups.Count | Should -BeGreaterThan 0
        foreach ($backup in $backups) {
            $backup.Name | Should -Match '\.db$'
            Invoke-SqliteFile $backup.FullName 'PRAGMA integrity_check;' | Should -Be 'ok'
        }
        Get-ChildItem $folder -Recurse -Filter '*-journal' | Should -BeNullOrEmpty
    }
}
