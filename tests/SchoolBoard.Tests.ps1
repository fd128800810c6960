BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

# The school board's PostgreSQL database, on the server the Test task starts ($env:AMN_TEST_POSTGRES).
Describe 'Get-AmnTenant -ListAvailable on a school board''s server' -Skip:(-not $env:AMN_TEST_POSTGRES) {
    BeforeAll {
        $parts = @{}
        foreach ($pair in $env:AMN_TEST_POSTGRES -split ';' | Where-Object { $_ }) { $key, $value = $pair -split '=', 2; $parts[$key.Trim()] = $value.Trim() }
        $database = 'amn_pester_' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        function Invoke-ServerSql([string] $Database, [string] $Sql) {
            & psql -X -q -h $parts.Host -p $parts.Port -U $parts.Username -d $Database -v ON_ERROR_STOP=1 -c $Sql | Out-Null
            if ($LASTEXITCODE) { throw "psql failed: $Sql" }
        }
        Invoke-ServerSql $parts.Database "CREATE DATABASE $database;"
        $owner = "Host=$($parts.Host);Port=$($parts.Port);Username=$($parts.Username);Database=$database"
        [Amn.Rollover.Core.Store.Postgres.SchoolBoardDatabase]::Provision($owner) | Out-Null
        $roleA = [Amn.Rollover.Core.Store.Postgres.SchoolBoardDatabase]::AddSchool($owner, 'Het Lyceum')
        $roleB = [Amn.Rollover.Core.Store.Postgres.SchoolBoardDatabase]::AddSchool($owner, 'De Vmbo-school')
        $alice = "${database}_alice"
        Invoke-ServerSql $database "CREATE ROLE $alice LOGIN; GRANT $roleA TO $alice;"
        $board = "Host=$($parts.Host);Port=$($parts.Port);Database=$database"
    }
    AfterAll {
        Invoke-ServerSql $parts.Database "DROP DATABASE IF EXISTS $database WITH (FORCE);"
        foreach ($role in $alice, $roleA, $roleB) { Invoke-ServerSql $parts.Database "DROP ROLE IF EXISTS $role;" }
    }

    It 'lists only the schools whose role the user is a member of' {
        $schools = Get-AmnTenant -ConnectionString "$board;Username=$alice" -ListAvailable
        $schools.Name | Should -Be 'Het Lyceum'
        $schools.Database | Should -Be $database
        (Get-AmnTenant -ConnectionString "$board;Username=$($parts.Username)" -ListAvailable).Name | Should -Be @('De Vmbo-school', 'Het Lyceum')
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
