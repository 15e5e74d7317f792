# Runs a Recipe CI target, e.g. ./build.ps1 --target=Upgrade --recipe=hello
$ErrorActionPreference = 'Stop'
$project = Join-Path $PSScriptRoot 'build/RecipeCi.csproj'
dotnet build $project -c Release -nologo -v quiet -clp:ErrorsOnly
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
dotnet (Join-Path $PSScriptRoot 'build/bin/Release/net10.0/RecipeCi.dll') @args
exit $LASTEXITCODE
