// Per-field unreadable counters.
#include "uw/counters.hpp"

namespace flowmind::uw {

void UnreadableCounters::start(StageContext& ctx) {
  for (std::size_t i = 0; i < field_count; ++i) {
    const auto field = static_cast<Field>(i);
    if ((watched_ & mask(field)) != 0)
      counters_[i] = CounterRef(ctx.counter(std::string("unreadable_") + field_name(field)));
  }
}

bool UnreadableCounters::count(const CanonicalFields& fields) const {
  const FieldMask hits = fields.unreadable & watched_;
  if (hits == 0) return false;
  for (std::size_t i = 0; i < field_count; ++i) {
    if ((hits & mask(static_cast<Field>(i))) != 0) counters_[i].add();
  }
  return true;
}

}  // namespace flowmind::uw
