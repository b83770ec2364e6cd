#!/usr/bin/env bash
# Installs what is missing, builds, starts the UW simulator and runs the demo pipelines until Ctrl-C.
#
#   bash tools/demo.sh                 # uw-sim on 127.0.0.1:8765 + pipelines/demo/
#   DEMO_SIM_ARGS="--seed 7" bash tools/demo.sh
#   bash tools/demo.sh --log-level debug   # extra arguments go to `flowmind run`
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target flowmind_app  # the application; the tests are not needed here

sim_listen="${DEMO_SIM_LISTEN:-127.0.0.1:8765}"
export UW_WS_URL="ws://${sim_listen}/socket"
export UW_REST_URL="http://${sim_listen}"
export UW_API_TOKEN="${DEMO_TOKEN:-demo-token}"
export DEMO_OUTPUT="${DEMO_OUTPUT:-var/demo}"
mkdir -p "$DEMO_OUTPUT"

# shellcheck disable=SC2086 # DEMO_SIM_ARGS is a list of flags
build/default/bin/uw-sim --listen "$sim_listen" --token "$UW_API_TOKEN" ${DEMO_SIM_ARGS:-} \
  >"$DEMO_OUTPUT/uw-sim.out" 2>"$DEMO_OUTPUT/uw-sim.log" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "listening" "$DEMO_OUTPUT/uw-sim.out" 2>/dev/null && break
  kill -0 "$sim_pid" 2>/dev/null || { cat "$DEMO_OUTPUT/uw-sim.log" >&2; exit 1; }
  sleep 0.1
done

cat <<EOF
=== FlowMind demo
    dashboard:     http://${DEMO_RELAY_LISTEN:-127.0.0.1:8080}/
    UW simulator:  ${UW_WS_URL} (log: ${DEMO_OUTPUT}/uw-sim.log)
    admin API:     http://127.0.0.1:9180/pipelines  and  /metrics
    recordings:    ${DEMO_OUTPUT}/demo-*.jsonl (options flow, dark pool, congress, movers)
    below:         whale alerts as JSON lines. Ctrl-C to stop.
EOF
build/default/bin/flowmind run pipelines/demo/ "$@"
