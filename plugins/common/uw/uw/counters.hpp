// Stage counters for UW filters: null-safe handles and per-field "unreadable_<field>" counters.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "flowmind/context.hpp"
#include "uw/canonical.hpp"

namespace flowmind::uw {

// A stage counter obtained in start(). Before start() (or without a context) it counts nothing,
// so a filter constructed directly still works.
class CounterRef {
 public:
  CounterRef() = default;
  explicit CounterRef(Counter& counter) : counter_(&counter) {}
  void add(std::uint64_t n = 1) const {
    if (counter_ != nullptr) counter_->fetch_add(n, std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint64_t value() const {
    return counter_ != nullptr ? counter_->load(std::memory_order_relaxed) : 0;
  }

 private:
  Counter* counter_ = nullptr;
};

// A count a filter keeps for its status() and publishes as the stage counter `name` once started
// (before start() it counts into itself, so tests and status() work either way).
class Tally {
 public:
  explicit Tally(std::string name) : name_(std::move(name)) {}
  Tally(const Tally&) = delete;
  Tally& operator=(const Tally&) = delete;

  void start(StageContext& ctx) {
    Counter& shared = ctx.counter(name_);
    shared.fetch_add(own_.exchange(0, std::memory_order_relaxed), std::memory_order_relaxed);
    target_ = &shared;
  }
  void add(std::uint64_t n = 1) { target_->fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t value() const { return target_->load(std::memory_order_relaxed); }
  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  std::string name_;
  Counter own_{0};
  Counter* target_ = &own_;
};

// Counts, per event, each canonical field a filter depends on that was present but unreadable,
// as the stage counter "unreadable_<field>" ("unreadable_payload" always included).
class UnreadableCounters {
 public:
  explicit UnreadableCounters(FieldMask watched) : watched_(watched | mask(Field::payload)) {}
  void start(StageContext& ctx);
  // Returns true when the event had at least one unreadable watched field.
  bool count(const CanonicalFields& fields) const;
  [[nodiscard]] FieldMask watched() const { return watched_; }

 private:
  FieldMask watched_;
  std::array<CounterRef, field_count> counters_{};
};

}  // namespace flowmind::uw
