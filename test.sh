#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing, then `dotnet test`.
# Extra arguments go to `dotnet test` (e.g. -- --filter-class "InstantChat.Tests.Web.*").
set -euo pipefail
cd "$(dirname "$0")"

# Nothing beyond the .NET SDK is needed yet. The MongoDB store tests (jongodb from npm) and the
# browser tests (Debian's chromium) add their install steps here when they land.

dotnet test --project InstantChat.Tests "$@"
