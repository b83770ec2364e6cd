// SeenSet: a list in recency order plus a hash index into it.
#include "seen_set.hpp"

#include <algorithm>

namespace flowmind::uw_rest {

SeenSet::SeenSet(std::size_t limit) : limit_(std::max<std::size_t>(limit, 1)) {}

bool SeenSet::insert(const std::string& key) {
  if (const auto it = index_.find(key); it != index_.end()) {
    order_.splice(order_.end(), order_, it->second);
    return false;
  }
  order_.push_back(key);
  index_.emplace(key, std::prev(order_.end()));
  while (index_.size() > limit_) {
    index_.erase(order_.front());
    order_.pop_front();
    ++evicted_;
  }
  return true;
}

std::vector<std::string> SeenSet::keys() const { return {order_.begin(), order_.end()}; }

}  // namespace flowmind::uw_rest
