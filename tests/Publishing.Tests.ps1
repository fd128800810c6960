BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Package = Join-Path $RepoRoot 'out/package/Amn.Rollover'
}

Describe 'The package as the PowerShell Gallery would have it' {
    BeforeAll {
        $script:folder = New-TestFolder
        $script:repository = "AmnRolloverTest$PID"
        $repo = New-Item -ItemType Directory (Join-Path $folder 'repository')
        $script:modules = New-Item -ItemType Directory (Join-Path $folder 'modules')
        Register-PSResourceRepository -Name $repository -Uri $repo.FullName -Trusted
    }
    AfterAll {
        Unregister-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue
        Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'has a manifest that passes Test-ModuleManifest with release notes and no empty links' {
        $manifest = Test-ModuleManifest (Join-Path $Package 'Amn.Rollover.psd1')
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        $data = Import-PowerShellDataFile (Join-Path $Package 'Amn.Rollover.psd1')
        foreach ($key in 'LicenseUri', 'ProjectUri', 'IconUri', 'HelpInfoURI') {
            if ($data.PrivateData.PSData.ContainsKey($key)) { $data.PrivateData.PSData[$key] | Should -Not -BeNullOrEmpty -Because "$key must point somewhere or be left out" }
        }
    }

    It 'publishes, installs into a module folder, imports by name in a fresh pwsh and runs a rollover' {
        Publish-PSResource -Path $Package -Repository $repository
        Save-PSResource -Name Amn.Rollover -Repository $repository -Path $modules.FullName -TrustRepository
        $samples = Join-Path $RepoRoot 'samples'
        $store = Join-Path $folder 'school.db'
        $output = Invoke-FreshPwsh -Environment @{ PSModulePath = $modules.FullName } -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module Amn.Rollover
'base:' + (Get-Module Amn.Rollover).ModuleBase
Connect-AmnTenant -Path '$store' | Out-Null
Import-AmnStudent -Path '$(Join-Path $samples 'vorig-jaar-leerlingen.csv')' -Folder 2025-2026 | Out-Null
Import-AmnStaff -Path '$(Join-Path $samples 'vorig-jaar-personeel.csv')' | Out-Null
`$result = Invoke-AmnRollover -StudentPath '$(Join-Path $samples 'leerlingen-2026-2027.csv')' -StaffPath '$(Join-Path $samples 'personeel-2026-2027.xlsx')' -Folder 2026-2027 -Force -Confirm:`$false -WarningAction SilentlyContinue
'moved:' + `$result.Plan.Students.Moved.Count
"@
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        ($output | Where-Object { $_ -like 'base:*' }) | Should -BeLike "base:$($modules.FullName)*"
        [int](($output | Where-Object { $_ -like 'moved:*' }) -replace 'moved:') | Should -BeGreaterThan 0
    }
}
