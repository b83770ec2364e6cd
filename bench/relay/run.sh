#!/usr/bin/env bash
# Relay fan-out benchmark (issue #5): builds the harness, then runs it against the floor relay (no library,
# mostly kernel time), the Node.js `ws` and Python `websockets` baselines and the FlowMind browser_relay
# (skipped while that plugin does not exist; `flowmind-sendmsg` is it with io_uring: false) at K=100 and
# K=1000 clients x 50 events/s, REPEATS times with the relays interleaved (this VM has slow and fast phases:
# interleaving spreads them over all relays, and the table gives the median), plus a saturation ramp at
# K=1000 (none with SATURATION_RATES=""); prints the tables.
#   bash bench/relay/run.sh
#   RELAYS="node python" CLIENTS="1000" DURATION=20 REPEATS=1 bash bench/relay/run.sh
# The harness (upstream + clients) is pinned to core HARNESS_CPU and the relay to RELAY_CPU so they do not
# compete for one core; run when `uptime` shows little load (the load is recorded in every line).
set -euo pipefail
# A negative NICE (root) keeps other users' jobs from taking the cores mid-measurement on a busy machine.
# With autogroup scheduling a process's nice only counts inside its session, so the benchmark then runs
# in a session of its own whose autogroup gets that nice.
NICE=${NICE:-0}
if [ "$NICE" != 0 ] && [ -w /proc/self/autogroup ]; then
  if [ -z "${RELAY_BENCH_SESSION:-}" ]; then RELAY_BENCH_SESSION=1 exec setsid --wait bash "$0" "$@"; fi
  echo "$NICE" > /proc/self/autogroup
fi
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build/bench-relay}
RELAYS=${RELAYS:-floor node python flowmind flowmind-sendmsg}
REPEATS=${REPEATS:-3}
CLIENTS=${CLIENTS:-100 1000}
RATE=${RATE:-50}
SATURATION_CLIENTS=${SATURATION_CLIENTS:-1000}
SATURATION_RATES=${SATURATION_RATES-100,150,200,250,300,400,500,600}
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-15}
HARNESS_CPU=${HARNESS_CPU:-0}
RELAY_CPU=${RELAY_CPU:-1}
RESULTS=${RESULTS:-$BUILD_DIR/bench/relay/results-$(date +%Y%m%d-%H%M%S).jsonl}
LOGS=$(dirname "$RESULTS")

ulimit -n "$(ulimit -Hn)"
need=$(( $(echo "$CLIENTS $SATURATION_CLIENTS" | tr ' ' '\n' | sort -n | tail -1) + 100 ))
if [ "$(ulimit -n)" -lt "$need" ]; then
  echo "ulimit -n is $(ulimit -n); the harness needs $need descriptors" >&2
  exit 1
fi

have_flowmind=0
if [[ " $RELAYS " == *" flowmind"* ]]; then
  if [ -f plugins/sinks/browser_relay/CMakeLists.txt ]; then
    have_flowmind=1
  else
    echo "== FlowMind relay skipped: plugins/sinks/browser_relay does not exist yet" >&2
  fi
fi
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  # -Wno-error=restrict: GCC 12 at -O3 reports a false -Wrestrict in std::string concatenation
  # (plugins/sources/uw_websocket/uw_options.cpp), which -Werror would make fatal in a Release build.
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWMIND_BUILD_BENCH=ON -DFLOWMIND_BUILD_TESTS=OFF \
    "-DCMAKE_CXX_FLAGS=-Wno-error=restrict -Wno-error=stringop-overflow"
fi
targets=(flowmind_relay_bench flowmind_relay_floor)
if [ "$have_flowmind" = 1 ]; then targets+=(flowmind flowmind-uw_websocket flowmind-browser_relay); fi
ninja -C "$BUILD_DIR" -j2 "${targets[@]}"
if [[ " $RELAYS " == *" node "* ]] && [ ! -d bench/relay/node_modules/ws ]; then
  (cd bench/relay && npm ci --no-audit --no-fund)
fi
mkdir -p "$LOGS"

relay_command() {
  case "$1" in
    floor) echo "$BUILD_DIR/bin/flowmind_relay_floor" ;;
    node) echo "node bench/relay/node_relay.mjs" ;;
    python) echo "/usr/bin/python3 bench/relay/python_relay.py" ;;
    flowmind) echo "$BUILD_DIR/bin/flowmind run --threads 1 --admin-listen off bench/relay/flowmind_relay.yaml" ;;
    flowmind-sendmsg)
      echo "env RELAY_BENCH_IO_URING=false $BUILD_DIR/bin/flowmind run --threads 1 --admin-listen off" \
        "bench/relay/flowmind_relay.yaml" ;;
  esac
}

# One harness run: relay name, clients, comma-separated rates, extra harness options.
bench() {
  local relay=$1 clients=$2 rates=$3
  shift 3
  echo "== $relay, $clients clients, $rates events/s ($(uptime | sed 's/.*load/load/'))" >&2
  # shellcheck disable=SC2046
  nice -n "$NICE" taskset -c "$HARNESS_CPU" "$BUILD_DIR/bin/flowmind_relay_bench" --name "$relay" -k "$clients" -r "$rates" \
    --warmup "$WARMUP" --duration "$DURATION" --relay-log "$LOGS/$relay.log" --out "$RESULTS" "$@" \
    -- taskset -c "$RELAY_CPU" $(relay_command "$relay")
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r)" >&2
echo "== harness on core $HARNESS_CPU, relay on core $RELAY_CPU, nice $NICE; results in $RESULTS" >&2
for ((repeat = 1; repeat <= REPEATS; repeat++)); do
  for clients in $CLIENTS; do
    for relay in $RELAYS; do
      if [[ "$relay" == flowmind* ]] && [ "$have_flowmind" = 0 ]; then continue; fi
      bench "$relay" "$clients" "$RATE"
    done
  done
done
if [ -n "$SATURATION_RATES" ]; then
  for relay in $RELAYS; do
    if [[ "$relay" == flowmind* ]] && [ "$have_flowmind" = 0 ]; then continue; fi
    bench "$relay" "$SATURATION_CLIENTS" "$RATE,$SATURATION_RATES" --plateau 0.05
  done
fi
/usr/bin/python3 bench/relay/table.py "$RESULTS"
