BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # What a store holds, without timestamps: pupils with their group, groups with their folder, staff with roles and links.
    function Get-StoreSignature([string] $Store) {
        $query = @"
SELECT 's|' || s.number || '|' || s.first_name || '|' || s.last_name || '|' || coalesce(g.name, '') FROM students s LEFT JOIN groups g ON g.id = s.group_id
UNION ALL SELECT 'g|' || g.name || '|' || f.path FROM groups g JOIN folders f ON f.id = g.folder_id
UNION ALL SELECT 'f|' || path FROM folders
UNION ALL SELECT 't|' || st.user_name || '|' || coalesce((SELECT group_concat(role) FROM (SELECT role FROM staff_roles WHERE staff_id = st.id ORDER BY role)), '') || '|' ||
                 coalesce((SELECT group_concat(name) FROM (SELECT g.name FROM staff_groups sg JOIN groups g ON g.id = sg.group_id WHERE sg.staff_id = st.id ORDER BY g.name)), '') FROM staff st
ORDER BY 1;
"@
        $text = (Invoke-SqliteFile $Store $query) -join "`n"
        [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($text)))
    }

    # Runs one operation in a fresh process on a copy of the base store; with -KillAfterMs, kill -9 that long after it starts.
    function Invoke-Operation([string] $Operation, [string] $Folder, [int] $KillAfterMs = -1) {
        $store = Join-Path $Folder 'school.db'
        Copy-Item (Join-Path $base 'school.db') $store
        Copy-Item (Join-Path $base 'backups') (Join-Path $Folder 'backups') -Recurse
        $started = Join-Path $Folder 'started'
        $done = Join-Path $Folder 'done'
        $body = $Operations[$Operation]
        $child = Start-FreshPwsh @"
Import-Module '$ManifestPath'
Connect-AmnTenant -Path '$store' | Out-Null
Set-Content '$started' ''
$body
Set-Content '$done' ''
"@
        $deadline = (Get-Date).AddSeconds(60)
        while (-not (Test-Path $started) -and -not $child.HasExited -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 10 }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        if ($KillAfterMs -ge 0) {
            Start-Sleep -Milliseconds $KillAfterMs
            if (-not $child.HasExited) { $child.Kill() }   # SIGKILL on Linux and macOS
        }
        if (-not $child.WaitForExit(120000)) { $child.Kill() }
        [pscustomobject]@{ Store = $store; Finished = (Test-Path $done); Milliseconds = $clock.ElapsedMilliseconds; Killed = ($KillAfterMs -ge 0 -and -not (Test-Path $done)) }
    }
}

Describe 'kill -9 at random moments' -Tag 'Slow' {
    BeforeAll {
        $script:base = New-TestFolder
        $files = Write-LargeSchoolFiles $base 40000 -NewFirstName Piet
        $lastFile = $files.LastYear
        $newFile = $files.ThisYear
        $staffFile = Join-Path $base 'personeel.csv'
        Set-Content $staffFile (@('gebruikersnaam;achternaam;rol;klas') + (1..40 | ForEach-Object { "m$_@school.nl;Mentor$_;mentor;N$_" }))
        $baseStore = Join-Path $base 'school.db'
        Connect-AmnTenant -Path $baseStore | Out-Null
        New-Item -ItemType Directory (Join-Path $base 'backups') | Out-Null
        # Another state of the school, to restore.
        Import-AmnStudent -Path $newFile | Out-Null
        $other = Join-Path $base 'backups/other-state.db'
        Backup-AmnTenant -Destination $other | Out-Null
        Remove-AmnGroup -All -NoBackup -Confirm:$false | Out-Null
        Import-AmnStudent -Path $lastFile | Out-Null
        Import-AmnStaff -Path $staffFile -CreateMissingGroups | Out-Null
        Disconnect-AmnTenant

        $script:Operations = @{
            Import   = "Import-AmnStudent -Path '$newFile' -Confirm:`$false | Out-Null"
            Remove   = "Remove-AmnGroup -All -Confirm:`$false | Out-Null"
            Rollover = "Invoke-AmnRollover -StudentPath '$newFile' -StaffPath '$staffFile' -Confirm:`$false | Out-Null"
            Backup   = "Backup-AmnTenant | Out-Null"
            Restore  = "Restore-AmnTenant -Path '$other' -Confirm:`$false | Out-Null"
            Erase    = "Get-AmnStudent -Group 'G1*' | Remove-AmnStudent -Force -Confirm:`$false -WarningAction SilentlyContinue | Out-Null"
        }
        $script:old = Get-StoreSignature $baseStore
        # Each operation once to its end: what "new" looks like, and how long the window for a kill is.
        $script:expected = @{}
        foreach ($name in $Operations.Keys) {
            $folder = New-TestFolder
            $run = Invoke-Operation $name $folder
            $run.Finished | Should -BeTrue -Because "$name must work when nobody kills it"
            $expected[$name] = @{ New = (Get-StoreSignature $run.Store); Milliseconds = $run.Milliseconds }
            Remove-TestFolder $folder
        }
        $script:random = [Random]::new()
        $script:kills = [Collections.Generic.List[object]]::new()
    }
    AfterAll {
        Remove-Item $base -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'changes the store in every operation it kills' {
        $expected['Import'].New | Should -Not -Be $old
        $expected['Remove'].New | Should -Not -Be $old
        $expected['Rollover'].New | Should -Not -Be $old
        $expected['Restore'].New | Should -Not -Be $old
        $expected['Erase'].New | Should -Not -Be $old
        $expected['Backup'].New | Should -Be $old
    }

    It 'leaves the store exactly old or exactly new, intact, when <_> is killed' -ForEach @(
        'Import', 'Import', 'Import', 'Remove', 'Remove', 'Rollover', 'Rollover', 'Rollover', 'Backup', 'Backup', 'Restore', 'Restore', 'Erase', 'Erase') {
        $folder = New-TestFolder
        try {
            # A moment from the start of the operation to near its end (the process start is not counted,
            # and the last fifth, which is mostly the process exiting, is left out).
            $after = $random.Next(0, [Math]::Max(1, [int]($expected[$_].Milliseconds * 0.8)))
            $run = Invoke-Operation $_ $folder -KillAfterMs $after
            $kills.Add($run)
            Invoke-SqliteFile $run.Store 'PRAGMA integrity_check;' | Should -Be 'ok'
            $now = Get-StoreSignature $run.Store
            $now | Should -BeIn @($old, $expected[$_].New) -Because "a kill $after ms into $_ (killed: $($run.Killed)) must leave the old or the new store"
            foreach ($backup in Get-ChildItem (Join-Path $folder 'backups') -Filter '*.db') {
                Invoke-SqliteFile $backup.FullName 'PRAGMA integrity_check;' | Should -Be 'ok' -Because "$($backup.Name) counts as a backup"
            }
        }
        finally { Remove-TestFolder $folder }
    }

    It 'killed most of those operations before they finished' {
        $kills.Count | Should -Be 14
        @($kills | Where-Object Killed).Count | Should -BeGreaterOrEqual 7
    }
}
