#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the default build (with the dashboard's
# browser tests), then under ASan+UBSan.
#   bash tools/test-all.sh            # both builds
#   bash tools/test-all.sh --quick    # default build only
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh

presets=(default asan)
[ "${1:-}" = "--quick" ] && presets=(default)

for preset in "${presets[@]}"; do
  echo "=== ${preset}: configure and build"
  cmake --preset "$preset"
  cmake --build --preset "$preset"
  echo "=== ${preset}: tests"
  ctest --preset "$preset"
  if [ "$preset" = default ]; then
    # The dashboard in headless Chromium against this build's uw-sim, flowmind and browser_relay.
    FLOWMIND_BUILD_DIR="$PWD/build/default" bash plugins/sinks/browser_relay/dashboard/tests/run.sh
  fi
done
echo "=== all tests passed (${presets[*]})"
