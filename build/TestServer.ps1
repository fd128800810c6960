# The PostgreSQL server of the tests and the benchmark ($env:AMN_TEST_POSTGRES, set by
# Start-TestPostgres in BuildHelpers.ps1): dot-sourced by tests/TestHelpers.ps1 and bench/Invoke-Benchmark.ps1.

# The server's connection parts (Host, Port, Username, Database).
function Get-TestServer {
    $parts = @{}
    foreach ($pair in $env:AMN_TEST_POSTGRES -split ';' | Where-Object { $_ }) { $key, $value = $pair -split '=', 2; $parts[$key.Trim()] = $value.Trim() }
    $parts
}

# Runs SQL on the server as its owner, through psql.
function Invoke-ServerSql([string] $Database, [string] $Sql) {
    $server = Get-TestServer
    & psql -X -q -h $server.Host -p $server.Port -U $server.Username -d $Database -v ON_ERROR_STOP=1 -c $Sql | Out-Null
    if ($LASTEXITCODE) { throw "psql failed: $Sql" }
}
