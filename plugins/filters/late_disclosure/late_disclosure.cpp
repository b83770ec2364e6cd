// late_disclosure: disclosure delay in calendar days, flagged when above max_days.
#include "late_disclosure.hpp"

#include "uw/canonical.hpp"
#include "uw/json_scan.hpp"
#include "uw/time.hpp"

namespace flowmind {
namespace {

uw::Read<std::int64_t> from_canonical(const std::optional<std::int64_t>& day, bool unreadable) {
  if (day) return uw::Read<std::int64_t>::of(*day);
  return unreadable ? uw::Read<std::int64_t>::unreadable() : uw::Read<std::int64_t>::missing();
}

}  // namespace

LateDisclosureFilter::LateDisclosureFilter(const Config& config)
    : max_days_(config.integer("max_days")),
      keep_only_(config.boolean("keep_only")),
      transaction_field_(config.string("transaction_field")),
      filed_field_(config.string("filed_field")),
      canonical_names_(transaction_field_ == "transaction_date" && filed_field_ == "filed_at_date"),
      late_key_(config.string("annotation")),
      delay_key_(config.string("delay_annotation")) {}

void LateDisclosureFilter::start(StageContext& ctx) {
  for (auto* tally : {&late_, &on_time_, &undated_, &dropped_, &unreadable_transaction_, &unreadable_filed_,
                      &filed_before_transaction_}) {
    tally->start(ctx);
  }
}

LateDisclosureFilter::Dates LateDisclosureFilter::read_dates(Event& event) const {
  if (canonical_names_) {
    const auto& fields = uw::canonical(event);
    return {from_canonical(fields.transaction_day, fields.is_unreadable(uw::Field::transaction_date)),
            from_canonical(fields.filed_day, fields.is_unreadable(uw::Field::filed_date))};
  }
  const auto object = uw::payload_object(event.raw());
  return {uw::read_date(uw::find_path(object, transaction_field_)), uw::read_date(uw::find_path(object, filed_field_))};
}

Filter::Verdict LateDisclosureFilter::process(Event& event, Emitter& /*out*/) {
  const Dates dates = read_dates(event);
  const bool neither =
      dates.transaction.status == uw::ReadStatus::missing && dates.filed.status == uw::ReadStatus::missing;
  if (neither) return Verdict::keep;  // not a disclosure record: passes unchanged
  if (dates.transaction.status == uw::ReadStatus::unreadable) unreadable_transaction_.add();
  if (dates.filed.status == uw::ReadStatus::unreadable) unreadable_filed_.add();
  if (!dates.transaction.ok() || !dates.filed.ok()) {
    undated_.add();
    if (keep_only_) {
      dropped_.add();
      return Verdict::drop;
    }
    return Verdict::keep;
  }
  const std::int64_t delay = dates.filed.value - dates.transaction.value;
  if (delay < 0) filed_before_transaction_.add();  // a data error upstream; never late
  const bool late = delay > max_days_;
  (late ? late_ : on_time_).add();
  if (!late && keep_only_) {
    dropped_.add();
    return Verdict::drop;
  }
  event.annotate(late_key_, late);
  event.annotate(delay_key_, delay);
  return Verdict::keep;
}

nlohmann::json LateDisclosureFilter::status() const {
  return {{"late", late_.value()},
          {"on_time", on_time_.value()},
          {"undated", undated_.value()},
          {"dropped", dropped_.value()}};
}

}  // namespace flowmind
