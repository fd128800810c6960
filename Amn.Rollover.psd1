@{
    RootModule           = 'bin/Amn.Rollover.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1d3c52-8a4e-4b7e-9d2a-3b5f0e8c7a11'
    Author               = 'Amn.Rollover contributors'
    CompanyName          = 'Amn.Rollover'
    Copyright            = '(c) Amn.Rollover contributors. MIT License.'
    Description          = 'The AMN school-year rollover (jaarovergang zonder koppeling) as PowerShell cmdlets: read SIS exports, remove old groups, import pupils and staff, relink teachers and mentors, remove departed staff, in an embedded SQLite tenant store.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('bin/Amn.Rollover.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-AmnTenant'
        'Initialize-AmnSchoolBoard'
        'Disconnect-AmnTenant'
        'Get-AmnTenant'
        'Backup-AmnTenant'
        'Restore-AmnTenant'
        'Test-AmnImportFile'
        'Read-AmnImportFile'
        'Import-AmnStudent'
        'Remove-AmnStudent'
        'Get-AmnStudent'
        'Get-AmnGroup'
        'New-AmnGroup'
        'Remove-AmnGroup'
        'Get-AmnFolder'
        'Import-AmnStaff'
        'Get-AmnStaff'
        'Get-AmnStaffGroupLink'
        'Set-AmnStaffGroupLink'
        'Remove-AmnStaffGroupLink'
        'Compare-AmnStaff'
        'Remove-AmnStaff'
        'Invoke-AmnRollover'
        'Export-AmnImportFile'
        'Get-AmnAuditLog'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('AMN', 'school', 'rollover', 'jaarovergang', 'Magister', 'Somtoday', 'SIS', 'education')
            ReleaseNotes = '0.1.0: the five steps of the AMN rollover and the one-command run; a tenant store that stays intact under concurrent sessions, kills, full and read-only disks, with checked restores; a reader checked against 688 real-world files and refusing hostile ones within Excel''s limits.'
        }
    }
}
