# The demo behind 'build.ps1 -Task Demo': a fresh tenant in a temporary folder, shown step by step.
param([Parameter(Mandatory)] [string] $ManifestPath)
$ErrorActionPreference = 'Stop'
Import-Module $ManifestPath -Force

$work = Join-Path ([IO.Path]::GetTempPath()) ("amn-demo-" + (Get-Date -Format 'yyyyMMdd-HHmmss'))
New-Item -ItemType Directory -Path $work | Out-Null
"Demo tenant in $work"

"`n# Connect a new tenant store"
Connect-AmnTenant -Path (Join-Path $work 'school.db') | Format-Table | Out-String

"# Back it up and restore it"
$backup = Backup-AmnTenant
"Backup: $($backup.FullName)"
Restore-AmnTenant -Path $backup.FullName -Confirm:$false -PassThru | Format-Table | Out-String
