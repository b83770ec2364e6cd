// whale: trade value = premium, else price x size (x 100 for options), against min_value.
#include "whale.hpp"

#include "uw/values.hpp"

namespace flowmind {

WhaleFilter::WhaleFilter(const Config& config)
    : min_value_(config.number("min_value")),
      keep_only_(config.boolean("keep_only")),
      key_(config.string("annotation")),
      value_key_(config.string("annotation") + "_value"),
      unreadable_(uw::mask(uw::Field::premium, uw::Field::price, uw::Field::size)) {
  if (config.has("options_min_value")) options_min_value_ = config.number("options_min_value");
}

void WhaleFilter::start(StageContext& ctx) {
  unreadable_.start(ctx);
  whales_.start(ctx);
  small_.start(ctx);
  no_value_.start(ctx);
  dropped_.start(ctx);
}

std::optional<double> WhaleFilter::threshold(const uw::CanonicalFields& fields) const {
  if (fields.is_option()) return options_min_value_;
  switch (fields.channel_kind) {
    case uw::ChannelKind::off_lit_trade:
    case uw::ChannelKind::lit_trade: return min_value_;
    case uw::ChannelKind::other:
      // An unnamed channel is judged when it carries a trade (say, a REST dark-pool poller).
      if (fields.premium || fields.size) return min_value_;
      return std::nullopt;
    default: return std::nullopt;  // prices, news, congress, gex: not trades
  }
}

Filter::Verdict WhaleFilter::process(Event& event, Emitter& /*out*/) {
  const uw::CanonicalFields& fields = uw::canonical(event);
  const auto min = threshold(fields);
  if (!min) return Verdict::keep;
  unreadable_.count(fields);
  if (!fields.premium) {
    no_value_.add();
    if (keep_only_) {
      dropped_.add();
      return Verdict::drop;
    }
    return Verdict::keep;
  }
  const bool whale = *fields.premium >= *min;
  (whale ? whales_ : small_).add();
  if (!whale && keep_only_) {
    dropped_.add();
    return Verdict::drop;
  }
  event.annotate(key_, whale);
  if (whale) event.annotate(value_key_, uw::json_number(*fields.premium));
  return Verdict::keep;
}

nlohmann::json WhaleFilter::status() const {
  return {{"whales", whales_.value()},
          {"small", small_.value()},
          {"no_value", no_value_.value()},
          {"dropped", dropped_.value()}};
}

}  // namespace flowmind
