BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

# A hint is only as good as the switch it names: every -Parameter in a message (English and Dutch)
# must exist on the cmdlet it goes with. A switch right after a cmdlet's name (Connect-AmnTenant -Path)
# goes with that cmdlet; any other goes with the cmdlets that can show the message, which the table
# below names (found by reading where src/ uses the key). A new message that names a switch on its
# own fails here until it is put in the table.
Describe 'Hints in messages' {
    BeforeAll {
        $resources = Join-Path $PSScriptRoot '../src/Amn.Rollover.Core/Resources'
        $script:messages = foreach ($file in 'Messages.resx', 'Messages.nl-NL.resx') {
            foreach ($data in ([xml](Get-Content (Join-Path $resources $file) -Raw)).root.data) {
                [pscustomobject]@{ File = $file; Key = $data.name; Text = $data.value }
            }
        }
        $module = @(Get-Command -Module Amn.Rollover | ForEach-Object Name)
        $shouldProcess = @(Get-Command -Module Amn.Rollover | Where-Object { $_.Parameters.ContainsKey('WhatIf') } | ForEach-Object Name)
        $readers = 'Test-AmnImportFile', 'Read-AmnImportFile', 'Import-AmnStudent', 'Import-AmnStaff', 'Compare-AmnStaff', 'Invoke-AmnRollover'
        $piped = 'Import-AmnStudent', 'Import-AmnStaff', 'Compare-AmnStaff', 'Export-AmnImportFile'
        $rollover = 'Invoke-AmnRollover'
        # Which cmdlets can show a message (its key, or a wildcard for a family of keys).
        $script:shownBy = [ordered]@{
            'NoTenantConnected'                 = $module
            'StoreBusy'                         = $module
            'ConfirmationNeeded'                = $shouldProcess
            'FolderNotApplied'                  = 'Import-AmnStudent'
            'Rollover*'                         = $rollover
            'PlanOptionsFixed'                  = $rollover
            'PlanOutdated'                      = $rollover
            'NotAPlan'                          = $rollover
            'PlanTooOld'                        = $rollover
            'SkippedInvalidRow'                 = $rollover
            'AndMoreErrors'                     = $rollover
            'SafetyLimit*'                      = $rollover
            'Report*'                           = $rollover
            'ViewLimitsOverridden'              = $rollover
            '*LeaversLimit'                     = $rollover
            'NewStudentsLimit'                  = $rollover
            'DepartedStaffLimit'                = $rollover
            'FinalYearGroupsNamed'              = $rollover
            'ColumnMapColumnInNeither'          = $rollover
            'AutomaticBackupsHoldErased'        = 'Remove-AmnStudent'
            'EraseLimitWhatIf'                  = 'Remove-AmnStudent'
            'StudentEraseLimit'                 = 'Remove-AmnStudent'
            'LeadingZerosHint'                  = 'Get-AmnStudent', 'Remove-AmnStudent'
            'StaffRemovalLimit'                 = 'Remove-AmnStaff'
            'GroupMissingUseCreate'             = 'Set-AmnStaffGroupLink'
            'NameTheStaffMember'                = 'Set-AmnStaffGroupLink', 'Remove-AmnStaffGroupLink'
            '*FileMissesColumns.*'              = $readers + $piped
            'ColumnFeedsSameField'              = $readers + $piped
            'ColumnMapColumnMissing'            = $readers
            'ColumnMapNotAField'                = $readers + $piped
            'HeaderRowNotFound'                 = $readers
            'WorksheetAmbiguous'                = $readers
            'NoWorksheetHasHeader'              = $readers
            'SingleColumnParse'                 = $readers
            'Utf8MarkButNotUtf8'                = $readers
            'NotValidInEncoding'                = $readers
            'KindUnknown'                       = 'Test-AmnImportFile', 'Read-AmnImportFile'
            'Piped*'                            = $piped
            'PipedEncodingReadFromPath'         = 'Import-AmnStudent', 'Import-AmnStaff', 'Compare-AmnStaff'
            'NumberReused'                      = 'Import-AmnStudent'
            'NumberOfErasedPupil'               = 'Import-AmnStudent'
            'OutputExists'                      = 'Export-AmnImportFile', 'Import-AmnStudent', 'Import-AmnStaff', $rollover
            'GroupMissingImportStudentsFirst'   = 'Import-AmnStaff'
            'BackupDiskFullNoBackup'            = 'Remove-AmnGroup', 'Remove-AmnStaff', 'Restore-AmnTenant'
            'BackupRefusedValueNoBackup'        = 'Remove-AmnGroup', 'Remove-AmnStaff', 'Restore-AmnTenant'
            'ServerNeedsPassword'               = 'Connect-AmnTenant', 'Get-AmnTenant', 'Initialize-AmnSchoolBoard'
            'ListAvailableNeedsServer*'         = 'Get-AmnTenant'
            'NameTheSchool'                     = 'Connect-AmnTenant'
        }

        # The -Parameters a message names on their own, and those it names after a cmdlet's name.
        function Get-NamedSwitch([string] $Text) {
            $text = ($Text -replace '\{\d+(:[^}]*)?\}', ' ') -replace '\.\.\.', ' '
            $command = $null
            foreach ($match in [regex]::Matches($text, '(?<command>\b[A-Z][a-z]+-[A-Z][A-Za-z]+\b)|(?<switch>(?<![\w-])-[A-Z][A-Za-z]+)|(?<end>[.;,()]\s|[;,()]|\.$)')) {
                if ($match.Groups['command'].Success) { $command = $match.Value }
                elseif ($match.Groups['end'].Success) { $command = $null }
                else { [pscustomobject]@{ Command = $command; Switch = $match.Value.Substring(1) } }
            }
        }
    }

    It 'names, after a cmdlet''s name, only parameters that cmdlet has (<_>)' -ForEach 'Messages.resx', 'Messages.nl-NL.resx' {
        $wrong = foreach ($message in $messages | Where-Object File -EQ $_) {
            foreach ($named in Get-NamedSwitch $message.Text | Where-Object Command) {
                $command = Get-Command $named.Command -ErrorAction SilentlyContinue
                if (-not $command) { "$($message.Key): there is no $($named.Command)"; continue }
                $names = @($command.Parameters.Values | ForEach-Object { $_.Name; $_.Aliases })
                if ($named.Switch -notin $names) { "$($message.Key): $($named.Command) has no -$($named.Switch)" }
            }
        }
        $wrong -join [Environment]::NewLine | Should -BeNullOrEmpty
    }

    It 'names on its own only parameters that every cmdlet showing it has (<_>)' -ForEach 'Messages.resx', 'Messages.nl-NL.resx' {
        $wrong = foreach ($message in $messages | Where-Object File -EQ $_) {
            $switches = @(Get-NamedSwitch $message.Text | Where-Object { -not $_.Command } | ForEach-Object Switch | Select-Object -Unique)
            if (-not $switches) { continue }
            # The most specific entry: the exact key before a wildcard.
            $entry = $shownBy.Keys | Where-Object { $message.Key -eq $_ } | Select-Object -First 1
            if (-not $entry) { $entry = $shownBy.Keys | Where-Object { $message.Key -like $_ } | Select-Object -First 1 }
            if (-not $entry) { "$($message.Key): names $($switches -join ', ') but the table does not say which cmdlets show it"; continue }
            foreach ($name in $shownBy[$entry]) {
                $parameters = (Get-Command $name).Parameters
                $names = @($parameters.Values | ForEach-Object { $_.Name; $_.Aliases })
                foreach ($switch in $switches) { if ($switch -notin $names) { "$($message.Key): $name has no -$switch" } }
            }
        }
        $wrong -join [Environment]::NewLine | Should -BeNullOrEmpty
    }
}
