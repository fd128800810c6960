# The demo behind 'build.ps1 -Task Demo': last school year in a fresh tenant, then the rollover to
# this year with the sample exports, shown step by step. Everything here is fictional.
param([Parameter(Mandatory)] [string] $ManifestPath)
$ErrorActionPreference = 'Stop'
Import-Module $ManifestPath -Force
$samples = $PSScriptRoot

function Show([string] $Title) { Write-Output ''; Write-Output "=== $Title" }

$work = Join-Path ([IO.Path]::GetTempPath()) ("amn-demo-" + (Get-Date -Format 'yyyyMMdd-HHmmss'))
New-Item -ItemType Directory -Path $work | Out-Null
Show "A new tenant store in $work"
Connect-AmnTenant -Path (Join-Path $work 'school.db') | Format-Table | Out-String -Width 160

Show 'Last school year: pupils and staff as they were'
Import-AmnStudent -Path (Join-Path $samples 'vorig-jaar-leerlingen.csv') -Folder 2025-2026 | Format-Table | Out-String -Width 160
Import-AmnStaff -Path (Join-Path $samples 'vorig-jaar-personeel.csv') | Format-Table | Out-String -Width 160
Get-AmnGroup | Format-Table | Out-String -Width 160

$students = Join-Path $samples 'leerlingen-2026-2027.csv'
$staff = Join-Path $samples 'personeel-2026-2027.xlsx'
Show 'Step 1: check this year''s exports (a Magister-style CSV and an xlsx)'
Test-AmnImportFile -Path $students | Format-List | Out-String -Width 160
Test-AmnImportFile -Path $staff | Format-List | Out-String -Width 160

Show 'The plan (-WhatIf): nothing changes yet'
$preview = Invoke-AmnRollover -StudentPath $students -StaffPath $staff -Folder 2026-2027 -RemoveDepartedStaff -WhatIf -WarningAction Continue 3>&1
$preview | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { "WARNING: $_" }
$preview | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] } | Format-List | Out-String -Width 160

Show 'Steps 2 to 5 in one transaction, with a backup first and a report'
$report = Join-Path $work 'rollover-report.md'
$result = Invoke-AmnRollover -StudentPath $students -StaffPath $staff -Folder 2026-2027 -RemoveDepartedStaff -ReportPath $report -Confirm:$false -WarningAction SilentlyContinue
$result | Format-List | Out-String -Width 160

Show 'After the rollover'
Get-AmnGroup | Format-Table | Out-String -Width 160
Get-AmnStaff | Format-Table | Out-String -Width 160
"Pupils who left (kept, without a group): $((Get-AmnStudent -WithoutGroup).Count)"
"Report: $report"
"Undo with: Restore-AmnTenant -Path '$($result.BackupPath)'"
Disconnect-AmnTenant
