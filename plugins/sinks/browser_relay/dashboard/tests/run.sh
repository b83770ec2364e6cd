#!/usr/bin/env bash
# Installs what the dashboard tests need (Debian's chromium, playwright-core from package-lock.json)
# and runs the unit tests (node --test) and the browser tests (headless Chromium). Non-zero on failure.
#   bash plugins/sinks/browser_relay/dashboard/tests/run.sh [--unit-only]
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "dashboard tests: Node.js 20 or newer is required" >&2
  exit 1
fi

echo "=== dashboard: unit tests"
unit=0
node --test tests/unit/ || unit=$?

if [ "${1:-}" = "--unit-only" ]; then
  exit "$unit"
fi

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
  echo "=== dashboard: installing chromium"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

pinned="$(node -p 'require("./package.json").devDependencies["playwright-core"]')"
installed="$(node -p 'try { require("./node_modules/playwright-core/package.json").version } catch { "" }')"
if [ "$installed" != "$pinned" ]; then
  echo "=== dashboard: npm ci (playwright-core ${pinned})"
  npm ci --no-audit --no-fund
fi

echo "=== dashboard: browser tests (${chromium_path})"
browser=0
CHROMIUM_PATH="$chromium_path" node --test --test-concurrency=1 tests/browser/ || browser=$?

if [ "$unit" -ne 0 ] || [ "$browser" -ne 0 ]; then
  echo "=== dashboard: FAILED (unit: ${unit}, browser: ${browser})" >&2
  exit 1
fi
echo "=== dashboard: all tests passed (screenshots in tests/artifacts/)"
