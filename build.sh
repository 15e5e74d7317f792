#!/usr/bin/env bash
# Runs a Recipe CI target, e.g. ./build.sh --target=Upgrade --recipe=hello
# Builds the build/ project first when a source file (or the package versions) is newer than the built program.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dll="$here/build/bin/Release/net10.0/RecipeCi.dll"
if [ ! -f "$dll" ] || [ -n "$(find "$here/build" "$here/Directory.Packages.props" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) \
      -not -path '*/obj/*' -not -path '*/bin/*' -newer "$dll" -print -quit)" ]; then
  log="$(mktemp)"
  if ! dotnet build "$here/build/RecipeCi.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"; exit 2
  fi
  rm -f "$log"
fi
exec dotnet "$dll" "$@"
