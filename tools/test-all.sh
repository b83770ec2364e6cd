#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the default build, then under ASan+UBSan.
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
done
echo "=== all tests passed (${presets[*]})"
