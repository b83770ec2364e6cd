// The bounded memory of record keys already emitted, least recently seen evicted first.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

namespace flowmind::uw_rest {

// Least-recently-seen eviction (not first-in): a record the API still returns is seen again on
// every poll and so stays remembered, as long as the limit is at least one page of records.
class SeenSet {
 public:
  explicit SeenSet(std::size_t limit);

  // Remembers `key` (or refreshes it); returns true when it was new. May evict the oldest.
  bool insert(const std::string& key);
  [[nodiscard]] bool contains(const std::string& key) const { return index_.contains(key); }
  [[nodiscard]] std::size_t size() const { return index_.size(); }
  [[nodiscard]] std::size_t limit() const { return limit_; }
  [[nodiscard]] std::size_t evicted() const { return evicted_; }
  // Keys from least to most recently seen (the order the state file keeps).
  [[nodiscard]] std::vector<std::string> keys() const;

 private:
  std::size_t limit_;
  std::size_t evicted_ = 0;
  std::list<std::string> order_;  // front = least recently seen
  std::unordered_map<std::string, std::list<std::string>::iterator> index_;
};

}  // namespace flowmind::uw_rest
