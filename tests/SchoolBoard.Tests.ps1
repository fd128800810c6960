BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

# The school board's PostgreSQL database, on the server the Test task starts ($env:AMN_TEST_POSTGRES).
Describe 'Get-AmnTenant -ListAvailable on a school board''s server' -Skip:(-not $env:AMN_TEST_POSTGRES) {
    BeforeAll {
        $parts = Get-TestServer
        $database = New-TestBoard
        $owner = Get-TestBoardOwner $database
        $roleA = [Amn.Rollover.Core.Store.Postgres.SchoolBoardDatabase]::AddSchool($owner, 'Het Lyceum')
        $roleB = [Amn.Rollover.Core.Store.Postgres.SchoolBoardDatabase]::AddSchool($owner, 'De Vmbo-school')
        $alice = "${database}_alice"
        Invoke-ServerSql $database "CREATE ROLE $alice LOGIN; GRANT $roleA TO $alice;"
        $board = "Host=$($parts.Host);Port=$($parts.Port);Database=$database"
    }
    AfterAll { Remove-TestBoard $database }

    It 'lists only the schools whose role the user is a member of' {
        $schools = Get-AmnTenant -ConnectionString "$board;Username=$alice" -ListAvailable
        $schools.Name | Should -Be 'Het Lyceum'
        $schools.Database | Should -Be $database
        (Get-AmnTenant -ConnectionString "$board;Username=$($parts.Username)" -ListAvailable).Name | Should -Be @('De Vmbo-school', 'Het Lyceum')
    }

    It 'is set up by Initialize-AmnSchoolBoard: schools added once, each with its role; -WhatIf adds nothing' {
        Initialize-AmnSchoolBoard -ConnectionString $owner -School 'Het College' -WhatIf | Should -BeNullOrEmpty
        (Get-AmnTenant -ConnectionString $owner -ListAvailable).Name | Should -Not -Contain 'Het College'
        $schools = 'Het College', 'Het Lyceum' | Initialize-AmnSchoolBoard -ConnectionString $owner
        $schools.Name | Should -Be @('De Vmbo-school', 'Het College', 'Het Lyceum')
        ($schools | Where-Object Name -eq 'Het Lyceum').Role | Should -Be $roleA
        ($schools | Where-Object Name -eq 'Het College').Role | Should -Match '^amn_\d+_\d+_het_college$'
    }

    It 'connects an admin to their school only, and says so for another' {
        $info = Connect-AmnTenant -ConnectionString "$board;Username=$alice" -School 'Het Lyceum'
        $info.Kind | Should -Be 'PostgreSQL'
        $info.Path | Should -BeLike "Het Lyceum (database '$database' on '*')"
        { Connect-AmnTenant -ConnectionString "$board;Username=$alice" -School 'De Vmbo-school' } | Should -Throw -ErrorId 'TenantNotFound,Amn.Rollover.ConnectAmnTenantCommand'
        (Get-AmnTenant).Path | Should -Be $info.Path   # a failed connect keeps the current tenant
        Disconnect-AmnTenant
    }

    It 'lists with -ListAvailable alone the schools on the server of the connected school, or of -Tenant' {
        Connect-AmnTenant -ConnectionString "$board;Username=$alice" -School 'Het Lyceum' | Out-Null
        try {
            (Get-AmnTenant -ListAvailable).Name | Should -Be 'Het Lyceum'
            $vmbo = Connect-AmnTenant -ConnectionString "$board;Username=$($parts.Username)" -School 'De Vmbo-school'
            Connect-AmnTenant -Path (Join-Path $TestDrive 'school.db') | Out-Null
            $owners = (Get-AmnTenant -ListAvailable -Tenant $vmbo).Name
            $owners | Should -Contain 'De Vmbo-school'   # the owner's login: every school, not only alice's
            $owners | Should -Contain 'Het Lyceum'
        }
        finally { Disconnect-AmnTenant }
    }

    It 'takes the user from -Credential' {
        $credential = [pscredential]::new($alice, (ConvertTo-SecureString 'niet-nodig' -AsPlainText -Force))
        (Get-AmnTenant -ConnectionString $board -Credential $credential -ListAvailable).Name | Should -Be 'Het Lyceum'
    }

    It 'names the server and database, never the password, when it cannot connect' {
        $err = { Get-AmnTenant -ConnectionString "Host=127.0.0.1;Port=1;Database=amn;Username=x;Password=geheim123;Timeout=3" -ListAvailable } |
            Should -Throw -ErrorId 'TenantUnreachable,Amn.Rollover.GetAmnTenantCommand' -PassThru
        $err.Exception.Message | Should -BeLike "*'amn' on '127.0.0.1:1'*"
        $err.Exception.Message | Should -Not -BeLike '*geheim123*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        { Get-AmnTenant -ConnectionString "$board;Username=$alice;Database=$($parts.Database)" -ListAvailable } | Should -Throw -ErrorId 'TenantNotProvisioned*'
    }
}

# Issue 27: a lock an admin takes by hand in psql, on the school's pupils or on its lock itself, is waited
# for at most -BusyTimeoutSec; the command then ends in TenantBusy, in the module's words, with the lock still held.
Describe 'A lock an admin holds by hand in psql on their own school' -Skip:(-not $env:AMN_TEST_POSTGRES) {
    BeforeAll {
        $parts = Get-TestServer
        $database = New-TestBoard
        $admin = New-TestSchool $database 'Het Lyceum'
        $user = ($admin -split ';' | Where-Object { $_ -like 'Username=*' }) -replace '^Username=', ''
        $schema = & psql -X -q -t -A -h $parts.Host -p $parts.Port -U $parts.Username -d $database -c "SELECT 'amn_school_' || id FROM amn.schools WHERE name = 'Het Lyceum';"
        Connect-AmnTenant -ConnectionString $admin -School 'Het Lyceum' -BusyTimeoutSec 2 | Out-Null
        $pupil = Join-Path $TestDrive 'leerling.csv'
        Set-Content $pupil "leerlingnummer;roepnaam;achternaam;klas`n1001;Sanne;Bakker;H4a"
        # psql as the admin, holding the lock in an open transaction; it lets go by itself after two minutes at the latest.
        function Start-HandLock([string] $Table) {
            $start = [Diagnostics.ProcessStartInfo]::new('psql')
            foreach ($argument in '-X', '-q', '-h', $parts.Host, '-p', $parts.Port, '-U', $user, '-d', $database, '-c', "BEGIN; LOCK TABLE $schema.$Table IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120);") { $start.ArgumentList.Add($argument) }
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardError = $true
            $psql = [Diagnostics.Process]::Start($start)
            $held = "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.granted AND l.mode = 'AccessExclusiveLock' AND c.oid = '$schema.$Table'::regclass;"
            while ((& psql -X -q -t -A -h $parts.Host -p $parts.Port -U $parts.Username -d $database -c $held) -ne '1' -and -not $psql.HasExited) { Start-Sleep -Milliseconds 50 }
            $psql
        }
    }
    AfterAll {
        Disconnect-AmnTenant
        Remove-TestBoard $database
    }

    It 'ends an import with TenantBusy after -BusyTimeoutSec while psql still holds <Table>' -ForEach @(@{ Table = 'students' }, @{ Table = 'state' }) {
        $psql = Start-HandLock $Table
        try {
            $psql.HasExited | Should -BeFalse
            $failure = $null
            try { Import-AmnStudent -Path $pupil | Out-Null } catch { $failure = $_ }
            $psql.HasExited | Should -BeFalse -Because 'the command ended before the lock was let go'
            $failure.FullyQualifiedErrorId | Should -Be 'TenantBusy,Amn.Rollover.ImportAmnStudentCommand'
            $failure.Exception.Message | Should -BeLike "*'$database'*"
            $failure.Exception.Message | Should -Not -BeLike '*lock timeout*'
        }
        finally {
            # A backend in pg_sleep does not notice its client going: it is ended on the server.
            Invoke-ServerSql $database "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '$user' AND query LIKE '%pg_sleep%';"
            $psql.WaitForExit()
            $psql.Dispose()
        }
        (Get-AmnTenant).StudentCount | Should -Be 0
    }
}
