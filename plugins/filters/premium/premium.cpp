// premium: a value window on trades; events that are not trades pass.
#include "premium.hpp"

namespace flowmind {
namespace {

// Channels that carry trades, so an event without a value there is a trade we cannot judge.
bool trade_channel(uw::ChannelKind kind) {
  switch (kind) {
    case uw::ChannelKind::flow_alert:
    case uw::ChannelKind::option_trade:
    case uw::ChannelKind::off_lit_trade:
    case uw::ChannelKind::lit_trade: return true;
    default: return false;
  }
}

}  // namespace

PremiumFilter::PremiumFilter(const Config& config)
    : min_(config.number("min")),
      keep_missing_(config.string("on_missing") == "keep"),
      unreadable_(uw::mask(uw::Field::premium, uw::Field::price, uw::Field::size)) {
  if (config.has("max")) max_ = config.number("max");
}

void PremiumFilter::start(StageContext& ctx) {
  unreadable_.start(ctx);
  kept_.start(ctx);
  below_.start(ctx);
  above_.start(ctx);
  no_value_.start(ctx);
}

Filter::Verdict PremiumFilter::process(Event& event, Emitter& /*out*/) {
  const uw::CanonicalFields& fields = uw::canonical(event);
  if (!fields.premium) {
    if (!trade_channel(fields.channel_kind)) return Verdict::keep;  // prices, news...: not judged
    unreadable_.count(fields);
    no_value_.add();
    return keep_missing_ ? Verdict::keep : Verdict::drop;
  }
  unreadable_.count(fields);
  const double value = *fields.premium;
  if (value < min_) {
    below_.add();
    return Verdict::drop;
  }
  if (max_ && value > *max_) {
    above_.add();
    return Verdict::drop;
  }
  kept_.add();
  return Verdict::keep;
}

nlohmann::json PremiumFilter::status() const {
  return {
      {"kept", kept_.value()}, {"below", below_.value()}, {"above", above_.value()}, {"no_value", no_value_.value()}};
}

}  // namespace flowmind
