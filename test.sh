#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing, then `dotnet test`.
# Extra arguments go to `dotnet test` (e.g. -- --filter-class "InstantChat.Tests.Web.*").
set -euo pipefail
cd "$(dirname "$0")"

# jongodb: a MongoDB-wire server shipped as a native binary on npm, for the MongoDB store tests.
JONGODB=.tools/jongodb/node_modules/@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb
if [ ! -x "$JONGODB" ]; then
  echo "Installing jongodb (npm) into .tools/jongodb"
  mkdir -p .tools/jongodb
  npm install --prefix .tools/jongodb --no-audit --no-fund --silent @jongodb/memory-server-bin-linux-x64-gnu@0.1.6
fi

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# Emoji in screenshots (Instagram text is full of them); optional, so a failure here is not fatal.
if [ ! -d /usr/share/fonts/truetype/noto ] || ! ls /usr/share/fonts/truetype/noto | grep -q NotoColorEmoji; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-noto-color-emoji >/dev/null 2>&1 || echo "fonts-noto-color-emoji not installed (screenshots show no emoji)"
fi

dotnet test --project InstantChat.Tests "$@"
