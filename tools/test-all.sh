#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the whole suite under ASan+UBSan, and the
# dashboard's browser tests against the optimized build.
#   bash tools/test-all.sh            # what CI runs
#   bash tools/test-all.sh --quick    # the whole suite on the optimized build only (no sanitizers)
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh

if [ "${1:-}" = "--quick" ]; then
  cmake --preset default
  cmake --build --preset default
  ctest --preset default
  FLOWMIND_BUILD_DIR="$PWD/build/default" bash plugins/sinks/browser_relay/dashboard/tests/run.sh
  echo "=== all tests passed (default)"
  exit 0
fi

# The optimized build compiles the application warning-free at -O2 (what the demo and users run);
# the test suite runs once, under the sanitizers, where it finds more: building it twice would
# double CI's time on 2 cores.
echo "=== default: the application (optimized), the dashboard in headless Chromium"
cmake --preset default
cmake --build --preset default --target flowmind_app
FLOWMIND_BUILD_DIR="$PWD/build/default" bash plugins/sinks/browser_relay/dashboard/tests/run.sh

echo "=== asan: everything, and every test under ASan+UBSan"
cmake --preset asan
cmake --build --preset asan
ctest --preset asan
echo "=== all tests passed (dashboard on default, the suite on asan)"
