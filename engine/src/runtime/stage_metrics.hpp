// The counters of one pipeline stage: the fixed ones every stage has and a plugin's own ones.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "flowmind/context.hpp"

namespace flowmind {

// What each fixed counter means per stage kind:
//   source: out = events accepted into the input queue, dropped = input-queue drops,
//           failed = exceptions out of Source::run()
//   filter: in = events handed to the filter, out = events kept plus events it emitted,
//           filtered = verdict drop, failed = exceptions out of Filter::process()
//   sink:   in = events handed to its queue (including those its policy dropped),
//           out = consumed without error, dropped = queue drops (policy or abandoned at stop),
//           failed = exceptions out of Sink::consume(); in == out + failed + dropped + queued.
struct StageMetrics {
  Counter in{0};
  Counter out{0};
  Counter filtered{0};
  Counter dropped{0};
  Counter failed{0};

  // StageContext::counter(): std::map nodes never move, so the reference stays valid.
  Counter& custom(const std::string& name) {
    std::lock_guard lock(mutex_);
    return custom_.try_emplace(name, 0).first->second;
  }

  [[nodiscard]] std::vector<std::pair<std::string, std::uint64_t>> custom_values() const {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::string, std::uint64_t>> values;
    values.reserve(custom_.size());
    for (const auto& [name, counter] : custom_) values.emplace_back(name, counter.load(std::memory_order_relaxed));
    return values;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Counter> custom_;
};

}  // namespace flowmind
