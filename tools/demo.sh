#!/usr/bin/env bash
# Installs what is missing, builds, and runs the example pipelines in pipelines/examples/ until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default
echo "=== demo: admin API on http://127.0.0.1:9180/pipelines ; Ctrl-C to stop"
exec build/default/bin/flowmind run pipelines/examples/ "$@"
