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
echo "== machine"; nproc; grep -m1 "model name" /proc/cpuinfo || true; uptime
echo "== chain, plain loop (best of $PASSES passes)"
"$BUILD_DIR/bin/flowmind_bench_chain" --input "$INPUT" --passes "$PASSES"
"$BUILD_DIR/bin/flowmind_bench_chain" --input "$INPUT" --passes "$PASSES" --dom
python3 bench/baselines/chain_python.py "$INPUT" "$PASSES"
node bench/baselines/chain_node.js "$INPUT" "$PASSES"
echo "== chain and parts (Google Benchmark)"
"$BUILD_DIR/bin/flowmind_bench_chain" --input "$INPUT" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
echo "== per filter (ns/event)"
"$BUILD_DIR/bin/flowmind_bench_filters" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
