// sweep: has_sweep on flow alerts; for option trades, N distinct exchanges within a window.
#include "sweep.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "uw/time.hpp"

namespace flowmind {

SweepFilter::SweepFilter(const Config& config)
    : min_exchanges_(static_cast<std::size_t>(config.integer("min_exchanges"))),
      window_ms_(std::chrono::duration_cast<std::chrono::milliseconds>(config.duration("window")).count()),
      max_contracts_(static_cast<std::size_t>(config.integer("max_contracts"))),
      max_fills_(static_cast<std::size_t>(config.integer("max_fills"))),
      channel_(config.string("channel")),
      keep_only_(config.boolean("keep_only")),
      key_(config.string("annotation")),
      unreadable_(uw::mask(uw::Field::has_sweep, uw::Field::option_symbol, uw::Field::side, uw::Field::exchange,
                           uw::Field::executed_at, uw::Field::tags)) {
  max_fills_ = std::max(max_fills_, min_exchanges_);
}

void SweepFilter::start(StageContext& ctx) {
  unreadable_.start(ctx);
  for (auto* tally : {&detected_, &flagged_, &not_sweeps_, &no_contract_, &no_side_, &no_exchange_, &stale_fills_,
                      &evicted_, &dropped_}) {
    tally->start(ctx);
  }
}

Filter::Verdict SweepFilter::process(Event& event, Emitter& out) {
  const uw::CanonicalFields& fields = uw::canonical(event);
  if (fields.channel_kind == uw::ChannelKind::option_trade) return process_trade(event, fields, out);
  const bool marked = fields.has_sweep.has_value() || fields.has_tag(uw::tag_sweep);
  if (!marked) {
    // Only flow alerts are expected to say; other channels pass unless keep_only asks for sweeps.
    if (fields.channel_kind != uw::ChannelKind::flow_alert) return Verdict::keep;
    unreadable_.count(fields);
    not_sweeps_.add();
    if (keep_only_) {
      dropped_.add();
      return Verdict::drop;
    }
    return Verdict::keep;
  }
  unreadable_.count(fields);
  const bool sweep = fields.has_sweep.value_or(false) || fields.has_tag(uw::tag_sweep);
  (sweep ? flagged_ : not_sweeps_).add();
  if (!sweep && keep_only_) {
    dropped_.add();
    return Verdict::drop;
  }
  event.annotate(key_, sweep);
  return Verdict::keep;
}

SweepFilter::Cluster& SweepFilter::cluster_for(const std::string& key) {
  auto it = clusters_.find(key);
  if (it != clusters_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return it->second;
  }
  if (clusters_.size() >= max_contracts_) {
    // The contract least recently traded makes room: state stays bounded whatever the feed.
    clusters_.erase(lru_.back());
    lru_.pop_back();
    evicted_.add();
  }
  lru_.push_front(key);
  auto& cluster = clusters_[key];
  cluster.lru = lru_.begin();
  tracked_.store(clusters_.size(), std::memory_order_relaxed);
  return cluster;
}

std::size_t SweepFilter::distinct_exchanges(const Cluster& cluster) const {
  std::vector<std::string_view> seen;
  seen.reserve(cluster.fills.size());
  for (const auto& fill : cluster.fills) {
    const auto name = fill.exchange.view();
    if (std::find(seen.begin(), seen.end(), name) == seen.end()) seen.push_back(name);
  }
  return seen.size();
}

Filter::Verdict SweepFilter::process_trade(Event& event, const uw::CanonicalFields& fields, Emitter& out) {
  unreadable_.count(fields);
  const Verdict pass = keep_only_ ? Verdict::drop : Verdict::keep;
  if (keep_only_) dropped_.add();
  if (fields.option_symbol.empty()) {
    no_contract_.add();
    return pass;
  }
  if (fields.side == uw::Side::unknown) {
    no_side_.add();
    return pass;
  }
  if (fields.exchange.empty()) {
    no_exchange_.add();
    return pass;
  }
  const std::int64_t at_ms =
      fields.executed_at_ms
          ? *fields.executed_at_ms
          : std::chrono::duration_cast<std::chrono::milliseconds>(event.received_at().time_since_epoch()).count();

  scratch_key_.assign(fields.option_symbol.view());
  scratch_key_ += fields.side == uw::Side::buy ? "|buy" : "|sell";
  Cluster& cluster = cluster_for(scratch_key_);

  if (!cluster.fills.empty() && at_ms < cluster.newest_ms - window_ms_) {
    stale_fills_.add();  // older than everything the window still holds: cannot join a sweep
    return pass;
  }
  if (at_ms <= cluster.quiet_until_ms) return pass;  // the tail of a sweep already reported
  cluster.newest_ms = std::max(cluster.newest_ms, at_ms);
  while (!cluster.fills.empty() && cluster.fills.front().at_ms < cluster.newest_ms - window_ms_) {
    cluster.fills.pop_front();
  }
  if (cluster.fills.size() == max_fills_) cluster.fills.pop_front();
  Fill fill;
  fill.at_ms = at_ms;
  fill.exchange = fields.exchange;
  fill.size = fields.size.value_or(0);
  fill.premium = fields.premium.value_or(0);
  fill.price = fields.price.value_or(0);
  cluster.fills.push_back(fill);

  if (distinct_exchanges(cluster) >= min_exchanges_) {
    out.emit(make_sweep_event(event, fields, cluster));
    detected_.add();
    cluster.quiet_until_ms = cluster.newest_ms + window_ms_;
    cluster.fills.clear();
  }
  return pass;
}

Event SweepFilter::make_sweep_event(const Event& trigger, const uw::CanonicalFields& fields,
                                    const Cluster& cluster) const {
  auto sweep = std::make_shared<uw::CanonicalFields>();
  sweep->channel_kind = uw::ChannelKind::other;
  sweep->payload_ok = true;
  sweep->symbol = fields.symbol;
  sweep->option_symbol = fields.option_symbol;
  sweep->option_kind = fields.option_kind;
  sweep->strike = fields.strike;
  sweep->expiry_day = fields.expiry_day;
  sweep->side = fields.side;
  sweep->has_sweep = true;
  sweep->tags = fields.side == uw::Side::buy ? uw::tag_ask_side : uw::tag_bid_side;

  nlohmann::json exchanges = nlohmann::json::array();
  double size = 0;
  double premium = 0;
  double low = 0;
  double high = 0;
  std::int64_t first = cluster.fills.front().at_ms;
  std::int64_t last = first;
  for (const auto& fill : cluster.fills) {
    const std::string name(fill.exchange.view());
    if (std::find(exchanges.begin(), exchanges.end(), name) == exchanges.end()) exchanges.push_back(name);
    size += fill.size;
    premium += fill.premium;
    if (fill.price > 0) {
      low = low == 0 ? fill.price : std::min(low, fill.price);
      high = std::max(high, fill.price);
    }
    first = std::min(first, fill.at_ms);
    last = std::max(last, fill.at_ms);
  }
  sweep->size = size;
  sweep->premium = premium;
  if (size > 0) sweep->price = premium / (size * 100.0);
  sweep->executed_at_ms = last;

  nlohmann::json payload = {{"type", "sweep"},
                            {"symbol", std::string(fields.symbol.view())},
                            {"option_symbol", std::string(fields.option_symbol.view())},
                            {"option_kind", uw::to_string(fields.option_kind)},
                            {"side", uw::to_string(fields.side)},
                            {"exchanges", exchanges},
                            {"exchange_count", exchanges.size()},
                            {"fills", cluster.fills.size()},
                            {"size", size},
                            {"premium", premium},
                            {"price_low", low},
                            {"price_high", high},
                            {"first_at", first},
                            {"executed_at", last},
                            {"window_ms", window_ms_},
                            {"has_sweep", true}};
  if (fields.strike) payload["strike"] = *fields.strike;
  if (fields.expiry_day) payload["expiry"] = uw::format_date(*fields.expiry_day);
  if (sweep->price) payload["price"] = *sweep->price;
  Event event = Event::from_json(channel_, std::move(payload), trigger.received_at());
  event.attach<uw::CanonicalFields>(std::string(uw::canonical_key), std::move(sweep));
  return event;
}

nlohmann::json SweepFilter::status() const {
  return {{"sweeps_detected", detected_.value()}, {"flagged_alerts", flagged_.value()},
          {"not_sweeps", not_sweeps_.value()},    {"contracts_tracked", tracked_.load(std::memory_order_relaxed)},
          {"evicted", evicted_.value()},          {"dropped", dropped_.value()}};
}

}  // namespace flowmind
