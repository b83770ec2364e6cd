// Applies the filters in order, counts verdicts and contains exceptions.
#include "runtime/filter_chain.hpp"

#include <exception>
#include <utility>

namespace flowmind {
namespace {

class CollectingEmitter final : public Emitter {
 public:
  void emit(Event event) override { events.push_back(std::move(event)); }
  std::vector<Event> events;
};

}  // namespace

void FilterChain::add(std::unique_ptr<Filter> filter, StageMetrics& metrics, Logger& log) {
  links_.push_back(Link{std::move(filter), &metrics, &log, RateLimitedLog()});
}

void FilterChain::run(Event event, std::vector<Event>& out) {
  if (taps_ != nullptr && taps_->active()) taps_->publish(0, event);
  run_from(std::move(event), 0, out);
}

void FilterChain::run_from(Event event, std::size_t index, std::vector<Event>& out) {
  // Emitted events follow the event that caused them, so they wait here until it is through.
  std::vector<std::pair<std::size_t, std::vector<Event>>> emitted;
  bool survived = true;
  for (std::size_t i = index; i < links_.size() && survived; ++i) {
    auto& link = links_[i];
    link.metrics->in.fetch_add(1, std::memory_order_relaxed);
    CollectingEmitter emitter;
    auto verdict = Filter::Verdict::drop;
    try {
      verdict = link.filter->process(event, emitter);
    } catch (const std::exception& error) {
      survived = false;
      link.metrics->failed.fetch_add(1, std::memory_order_relaxed);
      link.failures.error(*link.log, std::string("event failed: ") + error.what());
    } catch (...) {
      survived = false;
      link.metrics->failed.fetch_add(1, std::memory_order_relaxed);
      link.failures.error(*link.log, "event failed: unknown exception");
    }
    if (!emitter.events.empty()) {
      link.metrics->out.fetch_add(emitter.events.size(), std::memory_order_relaxed);
      emitted.emplace_back(i + 1, std::move(emitter.events));
    }
    if (survived && verdict == Filter::Verdict::drop) {
      link.metrics->filtered.fetch_add(1, std::memory_order_relaxed);
      survived = false;
    } else if (survived) {
      link.metrics->out.fetch_add(1, std::memory_order_relaxed);
    }
    // The tap of this filter's output sees what it passed on: the event, then what it emitted.
    if (taps_ != nullptr && taps_->active()) {
      if (survived) taps_->publish(i + 1, event);
      if (!emitted.empty() && emitted.back().first == i + 1) {
        for (const auto& extra : emitted.back().second) taps_->publish(i + 1, extra);
      }
    }
    if (!survived) break;
  }
  if (survived) out.push_back(std::move(event));
  for (auto& [next, events] : emitted) {
    for (auto& extra : events) run_from(std::move(extra), next, out);
  }
}

void FilterChain::stop_all() {
  if (stopped_) return;
  stopped_ = true;
  for (auto& link : links_) {
    try {
      link.filter->stop();
    } catch (const std::exception& error) {
      link.log->error(std::string("stop failed: ") + error.what());
    } catch (...) {
      link.log->error("stop failed: unknown exception");
    }
  }
}

}  // namespace flowmind
