BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

# The same checks under nl-NL and en-US, the UI culture set in the test process ($PSUICulture).
Describe 'Messages in the admin''s language' {
    BeforeAll {
        $script:folder = New-TestFolder
        $script:missing = Join-Path $folder 'no-such-folder/rapport.html'
    }
    AfterAll { Remove-TestFolder $folder }

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
        $output = Invoke-FreshPwsh "[cultureinfo]::CurrentUICulture = '$Culture'; Import-Module '$ManifestPath'; New-AmnGroup -Name H1 -Confirm:`$false 3>&1 | Where-Object { `$_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message" -Environment @{ AMN_TENANT_PATH = $null; AMN_ROLLOVER_HOME = $userHome.FullName }
        "$output" | Should -BeLike $Expected
    }
}

# In this process: [CultureInfo]::CurrentUICulture set for the test, restored after it.
Describe 'The same cmdlets in Dutch and English' {
    BeforeAll {
        $script:folder = New-TestFolder
        $script:tenant = New-TestTenant $folder
        $script:files = Write-SchoolYear -Folder $folder
        Import-AmnStudent -Path $files.LastStudents -Folder 2025-2026 | Out-Null
        Import-AmnStaff -Path $files.LastStaff | Out-Null
        $script:bad = Join-Path $folder 'fouten.csv'
        Set-Content -Path $bad -Value @('leerlingnummer;roepnaam;achternaam;geslacht;geboortedatum;klas', '1001;Anna;Jansen;Q;31-12-2010;H1a') -Encoding utf8
    }
    AfterAll { Remove-TestFolder $folder }
    BeforeEach { $script:savedUi = [cultureinfo]::CurrentUICulture; $script:saved = [cultureinfo]::CurrentCulture }
    AfterEach { [cultureinfo]::CurrentUICulture = $savedUi; [cultureinfo]::CurrentCulture = $saved }

    It 'names a bad cell in <Culture>, with the English error id' -ForEach @(
        @{ Culture = 'nl-NL'; Expected = "Rij 2, kolom 'geslacht': 'Q' is geen geslacht; gebruik M, V of X*" }
        @{ Culture = 'en-US'; Expected = "Row 2, column 'geslacht': 'Q' is not a gender; use M, V or X*" }
    ) {
        [cultureinfo]::CurrentUICulture = $Culture
        $problem = (Test-AmnImportFile -Path $bad).Errors[0]
        $problem.ErrorId | Should -Be 'InvalidGender'
        $problem.Message | Should -BeLike $Expected
    }

    It 'describes the change for -WhatIf in <Culture>' -ForEach @(
        @{ Culture = 'nl-NL'; Expected = '*groepen in tenant*leerlingen verliezen hun groepslidmaatschap*' }
        @{ Culture = 'en-US'; Expected = '*groups in tenant*pupils lose their group membership*' }
    ) {
        $said = Invoke-FreshPwsh "[cultureinfo]::CurrentUICulture = '$Culture'; Import-Module '$ManifestPath'; $(Get-TestConnectCommand $tenant) | Out-Null; Remove-AmnGroup -All -WhatIf"
        "$said" | Should -BeLike $Expected
        (Get-AmnGroup).Count | Should -Be 15
    }

    It 'writes the report in the UI culture by default: <Culture>' -ForEach @(
        @{ Culture = 'nl-NL'; Lang = 'nl'; Heading = 'Wat er gepland is'; Date = '\d\d-\d\d-\d{4} \d\d:\d\d' }
        @{ Culture = 'en-US'; Lang = 'en'; Heading = 'What is planned'; Date = '\d{4}-\d\d-\d\d \d\d:\d\d' }
    ) {
        [cultureinfo]::CurrentUICulture = $Culture
        $report = Join-Path $folder "rapport-$Culture.html"
        Invoke-AmnRollover $files.Students $files.Staff -WhatIf -ReportPath $report -WarningAction SilentlyContinue | Out-Null
        $html = Get-Content $report -Raw
        $html | Should -Match "<html lang=""$Lang"">"
        $html | Should -Match "<h2>$Heading</h2>"
        $html | Should -Match "<tr><th>[^<]+</th><td>$Date</td></tr>"
        $html | Should -Match '<td class="n">27</td>'   # the pupils of a group, right-aligned in either language
    }

    It 'shows the plan''s list view in <Culture>' -ForEach @(
        @{ Culture = 'nl-NL'; Expected = '*SafetyStops *: geen *Students *: 81 aangemaakt, 0 bijgewerkt, 319 verplaatst, 0 ongewijzigd, 86 niet in het bestand, 0 mislukt *Staff *: 0 aangemaakt, 0 bijgewerkt, 0 mislukt, 0 niet in het bestand (bewaard) *' }
        @{ Culture = 'en-US'; Expected = '*SafetyStops *: none *Students *: 81 created, 0 updated, 319 moved, 0 unchanged, 86 not in file, 0 failed *Staff *: 0 created, 0 updated, 0 failed, 0 not in file (kept) *' }
    ) {
        [cultureinfo]::CurrentUICulture = $Culture
        $plan = Invoke-AmnRollover $files.Students $files.Staff -WhatIf -WarningAction SilentlyContinue
        ($plan | Format-List | Out-String -Width 300) -replace '\s*\r?\n\s*', ' ' | Should -BeLike $Expected
    }

    It 'says in <Culture> why the rollover did not start, in the error and in the report' -ForEach @(
        @{ Culture = 'nl-NL'; ErrorText = 'De jaarovergang is niet begonnen: 1 rij heeft 1 fout. Er is niets gewijzigd.*'; ReportText = '*Niet begonnen: 1 fout in de bestanden (hieronder vermeld)*' }
        @{ Culture = 'en-US'; ErrorText = 'The rollover did not start: 1 row has 1 error. Nothing was changed.*'; ReportText = '*Not started: 1 error in the files (listed below)*' }
    ) {
        [cultureinfo]::CurrentUICulture = $Culture
        $report = Join-Path $folder "gestopt-$Culture.md"
        { Invoke-AmnRollover $bad $files.Staff -ReportPath $report -Confirm:$false -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'RolloverValidationFailed,Amn.Rollover.InvokeAmnRolloverCommand' -ExpectedMessage $ErrorText
        Get-Content $report -Raw | Should -BeLike $ReportText
    }

    It 'writes the report in the language -Culture names, whatever the UI culture' {
        [cultureinfo]::CurrentUICulture = 'en-US'
        $report = Join-Path $folder 'rapport-culture.md'
        Invoke-AmnRollover $files.Students $files.Staff -WhatIf -ReportPath $report -Culture nl-NL -WarningAction SilentlyContinue | Out-Null
        $text = Get-Content $report -Raw
        $text | Should -BeLike '*## Uitkomst*Gepland (-WhatIf): er is nog niets gewijzigd*## Veiligheidsgrenzen*'
        $text | Should -Match '\| Gepland op \| \d\d-\d\d-\d{4} \d\d:\d\d \|'
        $text | Should -Not -BeLike '*What is planned*'
        [cultureinfo]::CurrentUICulture.Name | Should -Be 'en-US'
        (Get-AmnGroup | Select-Object -First 1).Name | Should -Not -BeNullOrEmpty
    }

    It 'completes -Culture with the languages the module speaks' {
        $completion = TabExpansion2 -inputScript 'Invoke-AmnRollover -Culture ' -cursorColumn 'Invoke-AmnRollover -Culture '.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('en-US', 'nl-NL')
    }
}

