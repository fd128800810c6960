BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

# The same checks under nl-NL and en-US, the UI culture set in the test process ($PSUICulture).
Describe 'Messages in the admin''s language' {
    BeforeAll {
        $script:folder = New-TestFolder
        $script:missing = Join-Path $folder 'no-such-folder/rapport.html'
    }
    AfterAll { Remove-Item $folder -Recurse -Force }

    It 'says a terminating error in <Culture>, with the English error id' -ForEach @(
        @{ Culture = 'nl-NL'; Expected = "Kan -ReportPath '*rapport.html' niet schrijven: de map '*no-such-folder' bestaat niet. Er is niets gewijzigd." }
        @{ Culture = 'en-US'; Expected = "Cannot write -ReportPath '*rapport.html': the folder '*no-such-folder' does not exist. Nothing was changed." }
    ) {
        $output = Invoke-FreshPwsh "[cultureinfo]::CurrentUICulture = '$Culture'; Import-Module '$ManifestPath'; try { Invoke-AmnRollover -StudentPath a.csv -StaffPath b.csv -ReportPath '$missing' -ErrorAction Stop } catch { `$_.Exception.Message; `$_.FullyQualifiedErrorId }"
        $output[0] | Should -BeLike $Expected
        $output[1] | Should -Be 'OutputFolderNotFound,Amn.Rollover.InvokeAmnRolloverCommand'
    }

    It 'warns in <Culture> that a change goes into the default store' -ForEach @(
        @{ Culture = 'nl-NL'; Expected = '*deze wijziging komt in de standaard-tenantopslag*Connect-AmnTenant -Path*' }
        @{ Culture = 'en-US'; Expected = '*this change goes into the default tenant store*Connect-AmnTenant -Path*' }
    ) {
        $userHome = New-Item -ItemType Directory (Join-Path $folder "home-$Culture")
        $output = Invoke-FreshPwsh "[cultureinfo]::CurrentUICulture = '$Culture'; Import-Module '$ManifestPath'; New-AmnGroup -Name H1 -Confirm:`$false 3>&1 | Where-Object { `$_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message" -Environment @{ AMN_TENANT_PATH = $null; XDG_DATA_HOME = $userHome.FullName; HOME = $userHome.FullName; LOCALAPPDATA = $userHome.FullName }
        "$output" | Should -BeLike $Expected
    }
}
