// The dedupe filter: drops events whose key was seen within a window; memory bounded (LRU).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "uw/counters.hpp"

namespace flowmind {

class DedupeFilter final : public Filter {
 public:
  explicit DedupeFilter(const Config& config);

  void start(StageContext& ctx) override;
  Verdict process(Event& event, Emitter& out) override;
  // {"kept": n, "duplicates": n, "no_key": n, "evicted": n, "tracked": n}
  [[nodiscard]] nlohmann::json status() const override;

  [[nodiscard]] std::size_t tracked() const { return index_.size(); }

 private:
  struct Entry {
    std::uint64_t hash;
    Event::Clock::time_point seen;
  };

  // Builds the key text in key_; false when the event has none of the key fields.
  bool build_key(const Event& event);

  std::vector<std::string> paths_;  // empty: the whole payload text is the key
  Event::Clock::duration window_;
  std::size_t max_keys_;
  bool per_channel_;
  bool refresh_;
  std::string key_;
  std::list<Entry> order_;  // oldest first (by when the key was kept, or last seen with refresh)
  std::unordered_map<std::uint64_t, std::list<Entry>::iterator> index_;
  std::atomic<std::size_t> tracked_{0};
  uw::Tally kept_{"kept"};
  uw::Tally duplicates_{"duplicates"};
  uw::Tally no_key_{"no_key"};
  uw::Tally evicted_{"evicted"};
};

}  // namespace flowmind
