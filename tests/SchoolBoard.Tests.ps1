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
