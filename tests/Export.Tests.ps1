BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $samples = Join-Path $RepoRoot 'samples'
    function Get-TenantSnapshot {
        [pscustomobject]@{
            Students = Get-AmnStudent | Sort-Object Number | Select-Object Number, FirstName, Prefix, LastName, BirthDate, Gender, Group, CreboNumber, Email, UserName | ConvertTo-Json
            Groups   = (Get-AmnGroup).Name | Sort-Object
            Staff    = Get-AmnStaff | Sort-Object UserName | Select-Object UserName, FirstName, Prefix, LastName, Email, Roles, Groups | ConvertTo-Json
            Links    = Get-AmnStaffGroupLink | Sort-Object UserName, Group | ForEach-Object { "$($_.UserName)|$($_.Group)" }
        }
    }
}

Describe 'Export-AmnImportFile' {
    BeforeEach {
        $folder = New-TestFolder
        New-TestTenant $folder 'source' | Out-Null
        Import-AmnStudent -Path (Join-Path $samples 'leerlingen-2026-2027.csv') | Out-Null
        Import-AmnStaff -Path (Join-Path $samples 'personeel-2026-2027.xlsx') -WarningAction SilentlyContinue | Out-Null
    }
    AfterEach { Disconnect-AmnTenant; Remove-TestFolder $folder }

    It 'round-trips a tenant through <Format> files into an empty tenant' -ForEach @(@{ Format = 'xlsx' }, @{ Format = 'csv' }) {
        $before = Get-TenantSnapshot
        Export-AmnImportFile -Kind Student -Path (Join-Path $folder "deelnemers.$Format")
        Export-AmnImportFile -Kind Staff -Path (Join-Path $folder "personeel.$Format")
        New-TestTenant $folder 'copy' | Out-Null
        Import-AmnStudent -Path (Join-Path $folder "deelnemers.$Format") | Out-Null
        Import-AmnStaff -Path (Join-Path $folder "personeel.$Format") | Out-Null
        $after = Get-TenantSnapshot
        $after.Students | Should -Be $before.Students
        $after.Groups | Should -Be $before.Groups
        $after.Staff | Should -Be $before.Staff
        $after.Links | Should -Be $before.Links
    }

    It 'converts a SIS export without a tenant and filters groups' {
        Read-AmnImportFile (Join-Path $samples 'leerlingen-2026-2027.csv') | Export-AmnImportFile -Kind Student -Path (Join-Path $folder 'amn.xlsx') -Group 'V*'
        $records = Read-AmnImportFile (Join-Path $folder 'amn.xlsx')
        $records.Group | Sort-Object -Unique | Should -Be 'V4a'
        $records[0].Number | Should -Match '^0'
    }

    It 'overwrites only with -AllowOverwrite and writes nothing with -WhatIf' {
        $path = Join-Path $folder 'amn.csv'
        Export-AmnImportFile -Kind Student -Path $path -WhatIf
        Test-Path $path | Should -BeFalse
        Export-AmnImportFile -Kind Student -Path $path
        { Export-AmnImportFile -Kind Student -Path $path } | Should -Throw -ErrorId 'FileExists,Amn.Rollover.ExportAmnImportFileCommand'
        (Export-AmnImportFile -Kind Student -Path $path -AllowOverwrite -Delimiter ';' -PassThru).Length | Should -BeGreaterThan 0
        (Get-Content $path -TotalCount 1) | Should -Be 'deelnemersnummer;voornaam;voorvoegsel;achternaam;geboortedatum;geslacht;groep;crebonummer;email;gebruikersnaam'
    }

    It 'refuses formats AMN does not read' {
        { Export-AmnImportFile -Kind Student -Path (Join-Path $folder 'amn.ods') } | Should -Throw -ErrorId 'UnsupportedExportFormat,Amn.Rollover.ExportAmnImportFileCommand'
    }

    It 'reports piped rows with errors instead of exporting them' {
        $rows = @([pscustomobject]@{ nr = '1'; voornaam = 'Jan'; achternaam = 'Smit' }, [pscustomobject]@{ nr = '2'; voornaam = ''; achternaam = 'Kok' })
        $rows | Export-AmnImportFile -Kind Student -Path (Join-Path $folder 'x.csv') -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'MissingRequiredField,Amn.Rollover.ExportAmnImportFileCommand'
        @(Import-Csv (Join-Path $folder 'x.csv')).Count | Should -Be 1
    }

    It 'maps piped properties with -ColumnMap, and tells of a piped row read in the wrong encoding only how to read it (its -Path is the file it writes)' {
        $path = Join-Path $folder 'mapped.csv'
        [pscustomobject]@{ Stamnr = '000123'; voornaam = 'Jan'; achternaam = 'Smit' } | Export-AmnImportFile -Kind Student -Path $path -ColumnMap @{ Stamnr = 'deelnemersnummer' }
        (Import-Csv $path).deelnemersnummer | Should -Be '000123'
        [pscustomobject]@{ nr = '2'; voornaam = "Zo$([char]0xFFFD)"; achternaam = 'Kok' } | Export-AmnImportFile -Kind Student -Path (Join-Path $folder 'y.csv') -ErrorVariable e -ErrorAction SilentlyContinue
        $e[0].FullyQualifiedErrorId | Should -Be 'WrongEncoding,Amn.Rollover.ExportAmnImportFileCommand'
        $e[0].Exception.Message | Should -BeLike '*Import-Csv -Encoding 1252*'
        $e[0].Exception.Message | Should -Not -BeLike '*-Path*'
    }
}
