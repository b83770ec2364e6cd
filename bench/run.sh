#!/usr/bin/env bash
# Builds the benchmarks (preset `bench`, or BUILD_DIR), writes the flow-alert input, and runs the
# C++ chain and filter benchmarks and the Python and Node.js baselines on that same input.
#   bash bench/run.sh                 # everything
#   BUILD_DIR=build/mybench bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/bench}
COUNT=${COUNT:-20000}
PASSES=${PASSES:-5}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWMIND_BUILD_BENCH=ON -DFLOWMIND_BUILD_TESTS=OFF
fi
ninja -C "$BUILD_DIR" -j2 flowmind_bench_chain flowmind_bench_filters
INPUT="$BUILD_DIR/bench/flow-alerts.jsonl"
"$BUILD_DIR/bin/flowmind_bench_chain" --write-input "$INPUT" --count "$COUNT"
# Every implementation runs pinned to the same CPU (CPUS="0 1" runs each on both, one after the
# other): unpinned runs on the shared VM moved between CPUs mid-pass and varied by 40%.
CPUS=${CPUS:-0}
pinned() { if command -v taskset >/dev/null; then taskset -c "$cpu" "$@"; else "$@"; fi; }
echo "== machine"; nproc; grep -m1 "model name" /proc/cpuinfo || true; uptime
for cpu in $CPUS; do
  echo "== chain, plain loop (best of $PASSES passes), CPU $cpu"
  pinned "$BUILD_DIR/bin/flowmind_bench_chain" --input "$INPUT" --passes "$PASSES"
  pinned "$BUILD_DIR/bin/flowmind_bench_chain" --input "$INPUT" --passes "$PASSES" --dom
  pinned python3 bench/baselines/chain_python.py "$INPUT" "$PASSES"
  pinned node bench/baselines/chain_node.js "$INPUT" "$PASSES"
done
cpu=${CPUS%% *}
echo "== chain and parts (Google Benchmark), CPU $cpu"
pinned "$BUILD_DIR/bin/flowmind_bench_chain" --input "$INPUT" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
echo "== per filter (ns/event), CPU $cpu"
pinned "$BUILD_DIR/bin/flowmind_bench_filters" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
