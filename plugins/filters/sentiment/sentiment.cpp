// sentiment: buy call or sell put = bullish; buy put or sell call = bearish; otherwise neutral.
#include "sentiment.hpp"

namespace flowmind {

const char* to_string(Sentiment sentiment) {
  switch (sentiment) {
    case Sentiment::bullish: return "bullish";
    case Sentiment::bearish: return "bearish";
    case Sentiment::neutral: return "neutral";
  }
  return "neutral";
}

SentimentFilter::SentimentFilter(const Config& config)
    : dominance_(config.number("dominance")),
      use_tags_(config.boolean("use_tags")),
      key_(config.string("annotation")),
      unreadable_(uw::mask(uw::Field::side, uw::Field::option_kind, uw::Field::option_symbol, uw::Field::tags,
                           uw::Field::ask_side_premium, uw::Field::bid_side_premium, uw::Field::quote)) {
  const auto& keep = config.at("keep");
  if (!keep.empty()) {
    for (auto& flag : keep_) flag = false;
    for (const auto& item : keep) {
      const auto name = item.get<std::string>();
      for (auto s : {Sentiment::bullish, Sentiment::bearish, Sentiment::neutral}) {
        if (name == to_string(s)) keep_[static_cast<int>(s)] = true;
      }
    }
  }
}

void SentimentFilter::start(StageContext& ctx) {
  unreadable_.start(ctx);
  bullish_.start(ctx);
  bearish_.start(ctx);
  neutral_.start(ctx);
  dropped_.start(ctx);
}

std::optional<Sentiment> SentimentFilter::classify(const uw::CanonicalFields& fields) const {
  if (!fields.is_option()) return std::nullopt;
  uw::Side side = fields.side;
  if (fields.channel_kind == uw::ChannelKind::flow_alert) {
    // The alert's side by this filter's dominance ratio instead of the canonical simple majority.
    if (fields.ask_side_premium && fields.bid_side_premium) {
      side = uw::side_from_amounts(*fields.ask_side_premium, *fields.bid_side_premium, dominance_);
    } else if (fields.ask_volume && fields.bid_volume) {
      side = uw::side_from_amounts(*fields.ask_volume, *fields.bid_volume, dominance_);
    }
  }
  const auto kind = fields.option_kind;
  if (side != uw::Side::unknown && kind != uw::OptionKind::none) {
    const bool bullish = (side == uw::Side::buy) == (kind == uw::OptionKind::call);
    return bullish ? Sentiment::bullish : Sentiment::bearish;
  }
  if (use_tags_) {
    const bool bullish_tag = fields.has_tag(uw::tag_bullish);
    const bool bearish_tag = fields.has_tag(uw::tag_bearish);
    if (bullish_tag != bearish_tag) return bullish_tag ? Sentiment::bullish : Sentiment::bearish;
  }
  return Sentiment::neutral;
}

Filter::Verdict SentimentFilter::process(Event& event, Emitter& /*out*/) {
  const uw::CanonicalFields& fields = uw::canonical(event);
  unreadable_.count(fields);
  const auto sentiment = classify(fields);
  if (!sentiment) return Verdict::keep;  // not an options event: passes unchanged
  switch (*sentiment) {
    case Sentiment::bullish: bullish_.add(); break;
    case Sentiment::bearish: bearish_.add(); break;
    case Sentiment::neutral: neutral_.add(); break;
  }
  if (!keep_[static_cast<int>(*sentiment)]) {
    dropped_.add();
    return Verdict::drop;
  }
  event.annotate(key_, to_string(*sentiment));
  return Verdict::keep;
}

nlohmann::json SentimentFilter::status() const {
  return {{"bullish", bullish_.value()},
          {"bearish", bearish_.value()},
          {"neutral", neutral_.value()},
          {"dropped", dropped_.value()}};
}

}  // namespace flowmind
