// Per-filter cost in ns/event on realistic payloads: alone (fields parsed by the filter) and in a
// chain (canonical fields already attached by an earlier filter).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "bench_input.hpp"
#include "bench_support.hpp"
#include "dedupe.hpp"
#include "enrich.hpp"
#include "late_disclosure.hpp"
#include "movers.hpp"
#include "premium.hpp"
#include "sentiment.hpp"
#include "sweep.hpp"
#include "symbols.hpp"
#include "uw/canonical.hpp"
#include "uw_normalize.hpp"
#include "whale.hpp"

namespace flowmind::bench {
namespace {

struct Inputs {
  std::vector<std::string> alerts = make_flow_alerts(4096);
  std::vector<std::string> trades = make_option_trades(4096);
  std::vector<std::string> congress = make_congress_trades(1024);
  std::vector<std::string> prices = make_prices(4096);
};

const Inputs& inputs() {
  static const Inputs data;
  return data;
}

// Runs `filter` over fresh events of `channel` built from `lines` (the event copy is included:
// see BM_EventOnly for its share). With `warm`, the events are built beforehand with their
// canonical fields attached, as the filter sees them after uw_normalize.
template <typename F>
void run_filter(benchmark::State& state, F& filter, const std::vector<std::string>& lines, const std::string& channel,
                bool warm, bool per_line_channel = false) {
  BenchContext ctx;
  CountingEmitter out;
  filter.start(ctx);
  auto channel_of = [&](std::size_t i) { return per_line_channel ? "price:" + price_ticker(i) : channel; };
  std::vector<std::unique_ptr<Event>> pool;
  if (warm) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      pool.push_back(std::make_unique<Event>(channel_of(i), lines[i]));
      (void)uw::canonical(*pool.back());
    }
  }
  std::size_t i = 0;
  std::size_t kept = 0;
  for (auto _ : state) {
    if (warm) {
      kept += filter.process(*pool[i], out) == Filter::Verdict::keep ? 1 : 0;
    } else {
      Event event(channel_of(i), lines[i]);
      kept += filter.process(event, out) == Filter::Verdict::keep ? 1 : 0;
    }
    if (++i == lines.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["kept_ratio"] = static_cast<double>(kept) / static_cast<double>(state.iterations());
  state.counters["emitted"] = static_cast<double>(out.emitted);
}

void BM_EventOnly(benchmark::State& state) {
  const auto& lines = inputs().alerts;
  std::size_t i = 0;
  for (auto _ : state) {
    Event event("flow-alerts", lines[i]);
    benchmark::DoNotOptimize(event.raw().data());
    if (++i == lines.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EventOnly);

void BM_uw_normalize(benchmark::State& state) {
  UwNormalizeFilter filter(config_of(uw_normalize_defaults()));
  run_filter(state, filter, inputs().alerts, "flow-alerts", state.range(0) != 0);
}
void BM_sentiment(benchmark::State& state) {
  SentimentFilter filter(config_of(sentiment_defaults()));
  run_filter(state, filter, inputs().alerts, "flow-alerts", state.range(0) != 0);
}
void BM_sweep_flow_alerts(benchmark::State& state) {
  SweepFilter filter(config_of(sweep_defaults()));
  run_filter(state, filter, inputs().alerts, "flow-alerts", state.range(0) != 0);
}
void BM_sweep_option_trades(benchmark::State& state) {
  SweepFilter filter(config_of(sweep_defaults()));
  run_filter(state, filter, inputs().trades, "option_trades", state.range(0) != 0);
}
void BM_whale(benchmark::State& state) {
  WhaleFilter filter(config_of(whale_defaults(), {{"options_min_value", 250000}}));
  run_filter(state, filter, inputs().alerts, "flow-alerts", state.range(0) != 0);
}
void BM_premium(benchmark::State& state) {
  PremiumFilter filter(config_of(premium_defaults(), {{"min", 100000}, {"max", 1000000}}));
  run_filter(state, filter, inputs().alerts, "flow-alerts", state.range(0) != 0);
}
void BM_late_disclosure(benchmark::State& state) {
  LateDisclosureFilter filter(config_of(late_disclosure_defaults()));
  run_filter(state, filter, inputs().congress, "congress-trades", state.range(0) != 0);
}
void BM_symbols(benchmark::State& state) {
  SymbolsFilter filter(config_of(
      symbols_defaults(),
      {{"allow", {"SPY", "QQQ", "NVDA", "TSLA", "AAPL", "MSFT", "AMD", "META", "AMZN", "GOOGL"}}, {"deny", {"TSLA"}}}));
  run_filter(state, filter, inputs().alerts, "flow-alerts", state.range(0) != 0);
}
void BM_movers(benchmark::State& state) {
  MoversFilter filter(config_of(movers_defaults(), {{"snapshot_interval", 1'000'000'000}}));
  run_filter(state, filter, inputs().prices, "price", state.range(0) != 0, true);
}
void BM_enrich(benchmark::State& state) {
  static const std::string table = [] {
    const auto path = std::filesystem::temp_directory_path() / "flowmind-bench-congress-members.csv";
    std::ofstream(path) << "name,party,chamber,state\nNancy Pelosi,D,house,CA\nStephen Cohen,D,house,TN\n"
                           "Dan Crenshaw,R,house,TX\nTommy Tuberville,R,senate,AL\nRo Khanna,D,house,CA\n";
    return path.string();
  }();
  EnrichFilter filter(config_of(enrich_defaults(), {{"table", table}, {"field", "name"}}));
  run_filter(state, filter, inputs().congress, "congress-trades", state.range(0) != 0);
}
void BM_dedupe(benchmark::State& state) {
  DedupeFilter filter(config_of(dedupe_defaults(), {{"key", {"id"}}}));
  run_filter(state, filter, inputs().alerts, "flow-alerts", state.range(0) != 0);
}

// Arg 0: the filter parses the payload itself; arg 1: fields already attached (in a chain).
BENCHMARK(BM_uw_normalize)->Arg(0)->Arg(1);
BENCHMARK(BM_sentiment)->Arg(0)->Arg(1);
BENCHMARK(BM_sweep_flow_alerts)->Arg(0)->Arg(1);
BENCHMARK(BM_sweep_option_trades)->Arg(0)->Arg(1);
BENCHMARK(BM_whale)->Arg(0)->Arg(1);
BENCHMARK(BM_premium)->Arg(0)->Arg(1);
BENCHMARK(BM_late_disclosure)->Arg(0)->Arg(1);
BENCHMARK(BM_symbols)->Arg(0)->Arg(1);
BENCHMARK(BM_movers)->Arg(0)->Arg(1);
BENCHMARK(BM_enrich)->Arg(0);
BENCHMARK(BM_dedupe)->Arg(0);

}  // namespace
}  // namespace flowmind::bench

BENCHMARK_MAIN();
