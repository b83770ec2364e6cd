// End-to-end chain benchmark (events/s, MB/s of input JSON), plus input writing and a plain loop for profilers.
//
//   flowmind_bench_chain --write-input FILE [--count N]    writes the flow-alert input, one per line
//   flowmind_bench_chain --input FILE [benchmark flags]   Google Benchmark runs on that input
//   flowmind_bench_chain --input FILE --passes N [--dom]  a plain timed loop (for perf/callgrind)
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_input.hpp"
#include "flow_chain.hpp"
#include "flowmind/event.hpp"
#include "uw/canonical.hpp"

namespace flowmind::bench {
namespace {

std::vector<std::string>& input() {
  static std::vector<std::string> lines;
  return lines;
}

void run_chain(benchmark::State& state, bool full_dom) {
  FlowChain chain;
  const auto& lines = input();
  std::size_t i = 0;
  std::size_t in_bytes = 0;
  std::size_t out_bytes = 0;
  for (auto _ : state) {
    const auto& line = lines[i];
    out_bytes += chain.run(line, full_dom);
    in_bytes += line.size();
    if (++i == lines.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(in_bytes));
  state.counters["out_bytes_per_event"] =
      benchmark::Counter(static_cast<double>(out_bytes) / static_cast<double>(state.iterations()));
}

void BM_Chain(benchmark::State& state) { run_chain(state, false); }
void BM_ChainWithFullDom(benchmark::State& state) { run_chain(state, true); }

// The parts, for the profile summary: what one alert costs in each step.
void BM_EventConstruct(benchmark::State& state) {
  const auto& lines = input();
  std::size_t i = 0;
  for (auto _ : state) {
    Event event("flow-alerts", lines[i]);
    benchmark::DoNotOptimize(event.raw().data());
    if (++i == lines.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_ExtractCanonical(benchmark::State& state) {
  const auto& lines = input();
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto fields = uw::extract_canonical("flow-alerts", lines[i]);
    benchmark::DoNotOptimize(fields.premium);
    bytes += lines[i].size();
    if (++i == lines.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_NlohmannParse(benchmark::State& state) {
  const auto& lines = input();
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto dom = nlohmann::json::parse(lines[i]);
    benchmark::DoNotOptimize(dom.size());
    bytes += lines[i].size();
    if (++i == lines.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_WireWithoutAnnotations(benchmark::State& state) {
  const auto& lines = input();
  std::size_t i = 0;
  for (auto _ : state) {
    Event event("flow-alerts", lines[i]);
    benchmark::DoNotOptimize(event.wire().size());
    if (++i == lines.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK(BM_Chain);
BENCHMARK(BM_ChainWithFullDom);
BENCHMARK(BM_EventConstruct);
BENCHMARK(BM_ExtractCanonical);
BENCHMARK(BM_NlohmannParse);
BENCHMARK(BM_WireWithoutAnnotations);

// A plain loop over the input, `passes` times: what perf and callgrind profile.
int plain_loop(int passes, bool full_dom) {
  FlowChain chain;
  const auto& lines = input();
  const std::size_t bytes = total_bytes(lines);
  std::size_t out_bytes = 0;
  double best = 1e30;
  for (int pass = 0; pass < passes; ++pass) {
    const auto start = std::chrono::steady_clock::now();
    for (const auto& line : lines) out_bytes += chain.run(line, full_dom);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::min(best, seconds);
  }
  std::printf("chain%s: %zu events x %d passes, best pass %.4f s: %.0f events/s, %.1f MB/s in, %.1f bytes out/event\n",
              full_dom ? " with full DOM" : "", lines.size(), passes, best, static_cast<double>(lines.size()) / best,
              static_cast<double>(bytes) / best / 1e6,
              static_cast<double>(out_bytes) / static_cast<double>(lines.size()) / passes);
  return 0;
}

}  // namespace
}  // namespace flowmind::bench

int main(int argc, char** argv) {
  using namespace flowmind::bench;
  std::string input_file;
  std::string write_file;
  std::size_t count = 20000;
  int passes = 0;
  bool dom = false;
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--input" && i + 1 < argc) {
      input_file = argv[++i];
    } else if (arg == "--write-input" && i + 1 < argc) {
      write_file = argv[++i];
    } else if (arg == "--count" && i + 1 < argc) {
      count = std::strtoul(argv[++i], nullptr, 10);
    } else if (arg == "--passes" && i + 1 < argc) {
      passes = std::atoi(argv[++i]);
    } else if (arg == "--dom") {
      dom = true;
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (!write_file.empty()) {
    const auto lines = make_flow_alerts(count);
    write_lines(write_file, lines);
    std::printf("wrote %zu flow alerts, %zu bytes (%.0f bytes each) to %s\n", lines.size(), total_bytes(lines),
                static_cast<double>(total_bytes(lines)) / static_cast<double>(lines.size()), write_file.c_str());
    return 0;
  }
  input() = input_file.empty() ? make_flow_alerts(count) : read_lines(input_file);
  if (input().empty()) {
    std::fprintf(stderr, "no input events\n");
    return 1;
  }
  if (passes > 0) return plain_loop(passes, dom);
  int bench_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&bench_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(bench_argc, rest.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
