<#
Compiles docs/<Cmdlet>.md into the module's MAML help file (Amn.Rollover.dll-Help.xml).
There is no PlatyPS here, so this is a small generator for the same idea: descriptions come from
the markdown, syntax and parameter metadata from the built cmdlets themselves, so they cannot drift.
docs/_CommonParameters.md holds the text of parameters shared by many cmdlets (-Tenant, -WhatIf, ...);
a cmdlet's own file wins where both describe a parameter.
#>
param(
    [Parameter(Mandatory)] [string] $ManifestPath,
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath,
    # The language of the docs: en-US, or nl-NL for docs/nl-NL.
    [string] $Culture = 'en-US'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Read-HelpMarkdown([string] $Path) {
    $doc = @{ Sections = [ordered]@{}; Parameters = [ordered]@{}; Examples = [System.Collections.Generic.List[object]]::new(); Inputs = [ordered]@{}; Outputs = [ordered]@{} }
    $section = $null; $sub = $null; $buffer = [System.Text.StringBuilder]::new()
    $flush = {
        $text = $buffer.ToString().Trim()
        [void] $buffer.Clear()
        if (-not $section) { return }
        switch ($section) {
            'PARAMETERS' { if ($sub) { $doc.Parameters[$sub.TrimStart('-')] = $text } }
            'INPUTS' { if ($sub) { $doc.Inputs[$sub] = $text } }
            'OUTPUTS' { if ($sub) { $doc.Outputs[$sub] = $text } }
            'EXAMPLES' {
                if ($sub) {
                    $code = if ($text -match '(?s)```(?:powershell)?\r?\n(.*?)```') { $Matches[1].TrimEnd() } else { '' }
                    $remarks = ($text -replace '(?s)```.*?```', '').Trim()
                    $doc.Examples.Add([pscustomobject]@{ Title = $sub; Code = $code; Remarks = $remarks })
                }
            }
            default { if (-not $sub) { $doc.Sections[$section] = $text } }
        }
    }
    foreach ($line in Get-Content -Path $Path -Encoding utf8) {
        if ($line -match '^## (.+)$') { & $flush; $section = $Matches[1].Trim().ToUpperInvariant(); $sub = $null; continue }
        if ($line -match '^### (.+)$') { & $flush; $sub = $Matches[1].Trim(); continue }
        if ($line -match '^# ') { continue }
        [void] $buffer.AppendLine($line)
    }
    & $flush
    return $doc
}

function Add-Paragraphs([System.Xml.XmlWriter] $Writer, [string] $Text) {
    $paragraphs = @(if ($Text) { $Text -split '\r?\n\s*\r?\n' | ForEach-Object { ($_ -split '\r?\n' | ForEach-Object Trim) -join ' ' } | Where-Object { $_ } })
    if ($paragraphs.Count -eq 0) { $paragraphs = @('') }
    foreach ($p in $paragraphs) { $Writer.WriteElementString('maml', 'para', $maml, $p) }
}

function Get-PipelineInput($Attributes) {
    $kinds = @()
    if ($Attributes | Where-Object ValueFromPipeline) { $kinds += 'ByValue' }
    if ($Attributes | Where-Object ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

# The type as Get-Command -Syntax shows it, which is what a user types: char for Nullable[char], string[] for String[].
$accelerators = @{}
foreach ($entry in [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get.GetEnumerator()) {
    if ($entry.Key -cmatch '^[a-z]+$' -and -not $accelerators.ContainsKey($entry.Value)) { $accelerators[$entry.Value] = $entry.Key }
}
function Get-TypeDisplayName([type] $Type) {
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    if ($Type.IsArray) { return (Get-TypeDisplayName $Type.GetElementType()) + '[]' }
    if ($accelerators.ContainsKey($Type)) { return $accelerators[$Type] }
    return $Type.Name
}

function Write-Parameter([System.Xml.XmlWriter] $Writer, $Parameter, $SetAttribute, [string] $Description) {
    $isSwitch = $Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $attributes = @($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    $setAttributes = if ($SetAttribute) { @($SetAttribute) } else { $attributes }
    $mandatory = [bool]($setAttributes | Where-Object Mandatory)
    $position = ($setAttributes | Select-Object -First 1).Position
    $Writer.WriteStartElement('command', 'parameter', $command)
    $Writer.WriteAttributeString('required', $mandatory.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', 'true')
    $Writer.WriteAttributeString('globbing', ([bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })).ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', (Get-PipelineInput $setAttributes))
    $Writer.WriteAttributeString('position', $(if ($position -ge 0) { [string]$position } else { 'named' }))
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $maml, $Parameter.Name)
    $Writer.WriteStartElement('maml', 'description', $maml); Add-Paragraphs $Writer $Description; $Writer.WriteEndElement()
    if (-not $isSwitch) {
        $Writer.WriteStartElement('command', 'parameterValue', $command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteString((Get-TypeDisplayName $Parameter.ParameterType))
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $dev); $Writer.WriteElementString('maml', 'name', $maml, $Parameter.ParameterType.FullName); $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
# -WhatIf and -Confirm (the optional common parameters) are documented like any other parameter.
$commonParameterNames = [System.Management.Automation.PSCmdlet]::CommonParameters

$module = Import-Module $ManifestPath -PassThru -Force
$common = Read-HelpMarkdown (Join-Path $DocsPath '_CommonParameters.md')
$problems = [System.Collections.Generic.List[string]]::new()

New-Item -ItemType Directory -Path (Split-Path $OutputPath) -Force | Out-Null
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$writer = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
$writer.WriteStartDocument()
$writer.WriteStartElement('helpItems', 'http://msh')
$writer.WriteAttributeString('schema', 'maml')
foreach ($cmd in $module.ExportedCmdlets.Values | Sort-Object Name) {
    $docFile = Join-Path $DocsPath "$($cmd.Name).md"
    if (-not (Test-Path $docFile)) { $problems.Add("docs/$($cmd.Name).md is missing"); continue }
    $doc = Read-HelpMarkdown $docFile
    $parameters = @($cmd.Parameters.Values | Where-Object { $_.Name -notin $commonParameterNames } | Sort-Object { $_.Name -ne 'Path' }, Name)
    $describe = {
        param($name)
        if ($doc.Parameters.Contains($name)) { return $doc.Parameters[$name] }
        if ($common.Parameters.Contains($name)) { return $common.Parameters[$name] }
        $problems.Add("$($cmd.Name): parameter -$name has no help text"); return ''
    }

    $writer.WriteStartElement('command', 'command', $command)
    $writer.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $writer.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $writer.WriteStartElement('command', 'details', $command)
    $writer.WriteElementString('command', 'name', $command, $cmd.Name)
    $writer.WriteElementString('command', 'verb', $command, $cmd.Verb)
    $writer.WriteElementString('command', 'noun', $command, $cmd.Noun)
    $writer.WriteStartElement('maml', 'description', $maml); Add-Paragraphs $writer $doc.Sections['SYNOPSIS']; $writer.WriteEndElement()
    $writer.WriteEndElement()
    $writer.WriteStartElement('maml', 'description', $maml); Add-Paragraphs $writer $doc.Sections['DESCRIPTION']; $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'syntax', $command)
    foreach ($set in $cmd.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $command)
        $writer.WriteElementString('maml', 'name', $maml, $cmd.Name)
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $commonParameterNames } | Sort-Object { if ($_.Position -ge 0) { $_.Position } else { 1000 } }, { -not $_.IsMandatory }) {
            $setAttribute = $cmd.Parameters[$p.Name].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ParameterSetName -eq $set.Name -or $_.ParameterSetName -eq '__AllParameterSets') } | Select-Object -First 1
            Write-Parameter $writer $cmd.Parameters[$p.Name] $setAttribute (& $describe $p.Name)
        }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $command)
    foreach ($p in $parameters) { Write-Parameter $writer $p $null (& $describe $p.Name) }
    $writer.WriteEndElement()

    foreach ($kind in 'Inputs', 'Outputs') {
        $items = $doc[$kind]
        $writer.WriteStartElement('command', $(if ($kind -eq 'Inputs') { 'inputTypes' } else { 'returnValues' }), $command)
        foreach ($typeName in $items.Keys) {
            $writer.WriteStartElement('command', $(if ($kind -eq 'Inputs') { 'inputType' } else { 'returnValue' }), $command)
            $writer.WriteStartElement('dev', 'type', $dev); $writer.WriteElementString('maml', 'name', $maml, $typeName); $writer.WriteEndElement()
            $writer.WriteStartElement('maml', 'description', $maml); Add-Paragraphs $writer $items[$typeName]; $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
    }

    if ($doc.Sections.Contains('NOTES')) {
        $writer.WriteStartElement('maml', 'alertSet', $maml); $writer.WriteStartElement('maml', 'alert', $maml)
        Add-Paragraphs $writer $doc.Sections['NOTES']
        $writer.WriteEndElement(); $writer.WriteEndElement()
    }

    if ($doc.Examples.Count -eq 0) { $problems.Add("$($cmd.Name): no example") }
    $writer.WriteStartElement('command', 'examples', $command)
    foreach ($example in $doc.Examples) {
        $writer.WriteStartElement('command', 'example', $command)
        $writer.WriteElementString('maml', 'title', $maml, "-------------------------- $($example.Title) --------------------------")
        $writer.WriteElementString('dev', 'code', $dev, $example.Code)
        $writer.WriteStartElement('dev', 'remarks', $dev); Add-Paragraphs $writer $example.Remarks; $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'relatedLinks', $command)
    if ($doc.Sections.Contains('RELATED LINKS')) {
        foreach ($link in $doc.Sections['RELATED LINKS'] -split '\r?\n' | ForEach-Object { $_.Trim().TrimStart('-', '*').Trim() } | Where-Object { $_ }) {
            $writer.WriteStartElement('maml', 'navigationLink', $maml)
            $writer.WriteElementString('maml', 'linkText', $maml, $link)
            $writer.WriteElementString('maml', 'uri', $maml, '')
            $writer.WriteEndElement()
        }
    }
    $writer.WriteEndElement()
    $writer.WriteEndElement()
}
$writer.WriteEndElement()
$writer.WriteEndDocument()
$writer.Dispose()

# about_Amn.Rollover: docs/about_Amn.Rollover.md as a help text file, with the reader's own header table in it.
$aboutSource = Join-Path $DocsPath 'about_Amn.Rollover.md'
if (Test-Path $aboutSource) {
    $table = foreach ($kind in 'Student', 'Staff') {
        $heading = switch ("$Culture/$kind") {
            'nl-NL/Student' { 'Leerlingbestand (deelnemers)' }
            'nl-NL/Staff' { 'Personeelsbestand (personeel)' }
            'en-US/Student' { 'Student file (deelnemers)' }
            default { 'Staff file (personeel)' }
        }
        "    ${heading}:"
        foreach ($entry in [Amn.Rollover.Core.Files.HeaderNames]::Synonyms($kind)) {
            '      {0,-16} {1}' -f [Amn.Rollover.Core.Files.HeaderNames]::AmnName($entry.Item1), ($entry.Item2 -join ', ')
        }
        ''
    }
    $text = (Get-Content $aboutSource -Raw) -replace '\{\{HEADER_SYNONYMS\}\}', ($table -join [Environment]::NewLine)
    Set-Content -Path (Join-Path (Split-Path $OutputPath) 'about_Amn.Rollover.help.txt') -Value $text -Encoding utf8
}
else { $problems.Add('docs/about_Amn.Rollover.md is missing') }

foreach ($p in $problems) { Write-Warning "Help: $p" }
