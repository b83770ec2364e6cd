// uw_normalize: canonical fields (parsed once, shared with later filters) written as annotations.
#include "uw_normalize.hpp"

#include <algorithm>

#include "uw/time.hpp"
#include "uw/values.hpp"

namespace flowmind {
namespace {

using Output = UwNormalizeFilter::Output;

// The fields whose unreadable values each output depends on (counted as unreadable_<field>).
uw::FieldMask watched_fields(Output output) {
  using uw::Field;
  switch (output) {
    case Output::symbol: return uw::mask(Field::symbol, Field::tickers);
    case Output::option_symbol: return uw::mask(Field::option_symbol);
    case Output::option_kind: return uw::mask(Field::option_kind, Field::option_symbol);
    case Output::strike: return uw::mask(Field::strike, Field::option_symbol);
    case Output::expiry: return uw::mask(Field::expiry, Field::option_symbol);
    case Output::side:
      return uw::mask(Field::side, Field::tags, Field::ask_side_premium, Field::bid_side_premium, Field::quote);
    case Output::size: return uw::mask(Field::size);
    case Output::price: return uw::mask(Field::price);
    case Output::premium: return uw::mask(Field::premium, Field::price, Field::size);
    case Output::executed_at: return uw::mask(Field::executed_at);
    case Output::volume: return uw::mask(Field::volume);
    case Output::exchange: return uw::mask(Field::exchange);
  }
  return 0;
}

std::vector<Output> parse_outputs(const Config& config) {
  std::vector<Output> outputs;
  const auto& names = UwNormalizeFilter::output_names();
  for (const auto& item : config.at("fields")) {
    const auto name = item.get<std::string>();
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto output = static_cast<Output>(i);
      if (names[i] == name && std::find(outputs.begin(), outputs.end(), output) == outputs.end()) {
        outputs.push_back(output);
      }
    }
  }
  return outputs;
}

uw::FieldMask watched_fields(const std::vector<Output>& outputs) {
  uw::FieldMask watched = 0;
  for (auto output : outputs) watched |= watched_fields(output);
  return watched;
}

}  // namespace

const std::vector<std::string>& UwNormalizeFilter::default_output_names() {
  // The canonical fields every channel shares; option_symbol, volume and exchange on request.
  static const std::vector<std::string> names = {"symbol", "option_kind", "strike",  "expiry",     "side",
                                                 "size",   "price",       "premium", "executed_at"};
  return names;
}

const std::vector<std::string>& UwNormalizeFilter::output_names() {
  static const std::vector<std::string> names = {"symbol",  "option_symbol", "option_kind", "strike",
                                                 "expiry",  "side",          "size",        "price",
                                                 "premium", "executed_at",   "volume",      "exchange"};
  return names;
}

UwNormalizeFilter::UwNormalizeFilter(const Config& config)
    : outputs_(parse_outputs(config)),
      iso_time_(config.string("time_format") == "iso8601"),
      drop_unreadable_payload_(config.boolean("drop_unreadable")),
      unreadable_(watched_fields(outputs_)) {
  const std::string prefix = config.string("prefix");
  for (std::size_t i = 0; i < output_count; ++i) keys_[i] = prefix + output_names()[i];
  premium_computed_key_ = prefix + "premium_computed";
}

void UwNormalizeFilter::start(StageContext& ctx) {
  unreadable_.start(ctx);
  normalized_.start(ctx);
  dropped_.start(ctx);
}

Filter::Verdict UwNormalizeFilter::process(Event& event, Emitter& /*out*/) {
  const uw::CanonicalFields& fields = uw::canonical(event);
  unreadable_.count(fields);
  if (!fields.payload_ok && drop_unreadable_payload_) {
    dropped_.add();
    return Verdict::drop;
  }
  annotate(event, fields);
  normalized_.add();
  return Verdict::keep;
}

void UwNormalizeFilter::annotate(Event& event, const uw::CanonicalFields& fields) const {
  const bool trade = fields.size.has_value() || fields.premium.has_value();
  for (const Output output : outputs_) {
    const std::string& key = keys_[static_cast<std::size_t>(output)];
    switch (output) {
      case Output::symbol:
        if (!fields.symbol.empty()) event.annotate(key, fields.symbol.view());
        break;
      case Output::option_symbol:
        if (!fields.option_symbol.empty()) event.annotate(key, fields.option_symbol.view());
        break;
      case Output::option_kind:
        if (fields.option_kind != uw::OptionKind::none) event.annotate(key, uw::to_string(fields.option_kind));
        break;
      case Output::strike:
        if (fields.strike) event.annotate(key, uw::json_number(*fields.strike));
        break;
      case Output::expiry:
        if (fields.expiry_day) event.annotate(key, uw::format_date(*fields.expiry_day));
        break;
      case Output::side:
        // "unknown" only where a side makes sense: on trades.
        if (fields.side != uw::Side::unknown || trade) event.annotate(key, uw::to_string(fields.side));
        break;
      case Output::size:
        if (fields.size) event.annotate(key, uw::json_number(*fields.size));
        break;
      case Output::price:
        if (fields.price) event.annotate(key, uw::json_number(*fields.price));
        break;
      case Output::premium:
        if (fields.premium) {
          event.annotate(key, uw::json_number(*fields.premium));
          if (fields.premium_computed) event.annotate(premium_computed_key_, true);
        }
        break;
      case Output::executed_at:
        if (fields.executed_at_ms) {
          if (iso_time_) {
            event.annotate(key, uw::format_iso8601_ms(*fields.executed_at_ms));
          } else {
            event.annotate(key, *fields.executed_at_ms);
          }
        }
        break;
      case Output::volume:
        if (fields.volume) event.annotate(key, uw::json_number(*fields.volume));
        break;
      case Output::exchange:
        if (!fields.exchange.empty()) event.annotate(key, fields.exchange.view());
        break;
    }
  }
}

nlohmann::json UwNormalizeFilter::status() const {
  return {{"normalized", normalized_.value()}, {"dropped", dropped_.value()}};
}

}  // namespace flowmind
