// A pipeline's filters, applied in order to one event at a time on the pipeline's strand.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "flowmind/plugin.hpp"
#include "runtime/rate_limited_log.hpp"
#include "runtime/stage_metrics.hpp"
#include "runtime/tap.hpp"

namespace flowmind {

// Not thread-safe: only the pipeline's strand touches it (and the owner after every thread ended).
class FilterChain {
 public:
  void add(std::unique_ptr<Filter> filter, StageMetrics& metrics, Logger& log);
  // Live taps: stage 0 sees each event before the first filter, stage i what filter i-1 passes
  // on (kept and emitted events). The hub outlives the chain.
  void set_taps(TapHub* taps) { taps_ = taps; }

  // Runs `event` through every filter and appends what comes out to `out`: the event itself
  // unless a filter dropped it or threw, followed by the events filters emitted on the way
  // (each continuing from the filter after the one that emitted it). A throwing filter counts
  // the event as failed for its stage and drops it; events it emitted before throwing go on.
  void run(Event event, std::vector<Event>& out);

  // Filter::stop() on each filter, once (later calls do nothing).
  void stop_all();

  [[nodiscard]] std::size_t size() const { return links_.size(); }
  [[nodiscard]] const Filter& filter(std::size_t index) const { return *links_[index].filter; }

 private:
  struct Link {
    std::unique_ptr<Filter> filter;
    StageMetrics* metrics;
    Logger* log;
    RateLimitedLog failures;
  };

  void run_from(Event event, std::size_t index, std::vector<Event>& out);

  std::vector<Link> links_;
  TapHub* taps_ = nullptr;
  bool stopped_ = false;
};

}  // namespace flowmind
