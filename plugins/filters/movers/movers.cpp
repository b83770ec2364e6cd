// movers: change vs reference per symbol; an update only when the price moved; periodic top-N.
#include "movers.hpp"

#include <algorithm>
#include <vector>

#include "uw/canonical.hpp"
#include "uw/table_file.hpp"
#include "uw/values.hpp"

namespace flowmind {
namespace {

std::int64_t epoch_ms(Event::Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::string upper(std::string_view text) {
  std::string out(uw::trim(text));
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// First column: symbol; second column: its reference price (a previous close).
std::unordered_map<std::string, double> load_references(const std::string& path) {
  uw::Table table;
  try {
    table = uw::load_table(path);
  } catch (const uw::TableError& error) {
    throw PluginError(std::string("reference_file: ") + error.what());
  }
  if (table.columns.size() < 2) {
    throw PluginError("reference_file: " + path + ": needs two columns, symbol and price");
  }
  std::unordered_map<std::string, double> references;
  for (const auto& row : table.rows) {
    const auto price = uw::parse_decimal(row[1]);
    if (!price || *price <= 0) {
      throw PluginError("reference_file: " + path + ": the price of '" + row[0] + "' is not a positive number: '" +
                        row[1] + "'");
    }
    references[upper(row[0])] = *price;
  }
  return references;
}

}  // namespace

MoversFilter::MoversFilter(const Config& config)
    : reference_from_file_(config.string("reference") == "file"),
      max_symbols_(static_cast<std::size_t>(config.integer("max_symbols"))),
      snapshot_interval_ms_(
          std::chrono::duration_cast<std::chrono::milliseconds>(config.duration("snapshot_interval")).count()),
      top_(static_cast<std::size_t>(config.integer("top"))),
      snapshot_channel_(config.string("snapshot_channel")),
      prefix_(config.string("prefix")),
      unreadable_(uw::mask(uw::Field::symbol, uw::Field::price, uw::Field::volume, uw::Field::executed_at)) {
  if (reference_from_file_) {
    if (!config.has("reference_file")) throw PluginError("reference: file needs reference_file");
    references_ = load_references(config.string("reference_file"));
  }
}

void MoversFilter::start(StageContext& ctx) {
  unreadable_.start(ctx);
  for (auto* tally : {&updates_, &unchanged_, &no_price_, &no_reference_, &over_limit_, &snapshots_}) tally->start(ctx);
}

nlohmann::json MoversFilter::describe(const std::string& symbol, const Mover& mover) const {
  nlohmann::json out = {{"symbol", symbol},
                        {"last", uw::json_number(mover.last)},
                        {"reference", uw::json_number(mover.reference)},
                        {"change", uw::json_number(mover.change())},
                        {"time", mover.at_ms}};
  if (const auto pct = mover.change_pct()) out["change_pct"] = *pct;
  if (mover.volume) out["volume"] = uw::json_number(*mover.volume);
  return out;
}

Filter::Verdict MoversFilter::process(Event& event, Emitter& out) {
  const uw::CanonicalFields& fields = uw::canonical(event);
  if (fields.channel_kind != uw::ChannelKind::price) return Verdict::keep;  // other channels pass
  unreadable_.count(fields);
  if (fields.symbol.empty() || !fields.price || *fields.price <= 0) {
    no_price_.add();
    return Verdict::drop;  // a price tick without a usable price says nothing
  }
  const std::string symbol(fields.symbol.view());
  auto it = movers_.find(symbol);
  bool changed = true;
  if (it == movers_.end()) {
    if (movers_.size() >= max_symbols_) {
      over_limit_.add();
      return Verdict::keep;  // passes unannotated: the table is full
    }
    Mover mover;
    mover.reference = *fields.price;
    if (reference_from_file_) {
      if (const auto ref = references_.find(symbol); ref != references_.end()) {
        mover.reference = ref->second;
      } else {
        no_reference_.add();  // the first price of the session stands in
      }
    }
    it = movers_.emplace(symbol, mover).first;
    tracked_.store(movers_.size(), std::memory_order_relaxed);
  } else {
    changed = it->second.last != *fields.price;
  }
  Mover& mover = it->second;
  mover.last = *fields.price;
  if (fields.volume) mover.volume = fields.volume;
  mover.at_ms = fields.executed_at_ms.value_or(epoch_ms(event.received_at()));

  Verdict verdict = Verdict::drop;
  if (changed) {
    updates_.add();
    updated_since_snapshot_ = true;
    event.annotate(prefix_ + "symbol", symbol);
    event.annotate(prefix_ + "last", uw::json_number(mover.last));
    event.annotate(prefix_ + "reference", uw::json_number(mover.reference));
    event.annotate(prefix_ + "change", uw::json_number(mover.change()));
    if (const auto pct = mover.change_pct()) event.annotate(prefix_ + "change_pct", *pct);
    if (mover.volume) event.annotate(prefix_ + "volume", uw::json_number(*mover.volume));
    verdict = Verdict::keep;
  } else {
    unchanged_.add();
  }
  maybe_snapshot(event, out);
  return verdict;
}

void MoversFilter::maybe_snapshot(const Event& event, Emitter& out) {
  if (snapshot_interval_ms_ <= 0) return;
  const std::int64_t now = epoch_ms(event.received_at());
  if (!last_snapshot_ms_) {
    last_snapshot_ms_ = now;  // the first period starts with the first price
    return;
  }
  if (now - *last_snapshot_ms_ < snapshot_interval_ms_ || !updated_since_snapshot_) return;
  last_snapshot_ms_ = now;
  updated_since_snapshot_ = false;
  out.emit(Event::from_json(snapshot_channel_, snapshot(now), event.received_at()));
  snapshots_.add();
}

nlohmann::json MoversFilter::snapshot(std::int64_t at_ms) const {
  struct Ranked {
    const std::string* symbol;
    const Mover* mover;
    double pct;
  };
  std::vector<Ranked> gainers;
  std::vector<Ranked> losers;
  for (const auto& [symbol, mover] : movers_) {
    const auto pct = mover.change_pct();
    if (!pct || *pct == 0) continue;
    (*pct > 0 ? gainers : losers).push_back({&symbol, &mover, *pct});
  }
  auto take = [&](std::vector<Ranked>& list, bool descending) {
    const auto n = std::min(top_, list.size());
    std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(n), list.end(),
                      [descending](const Ranked& a, const Ranked& b) {
                        if (a.pct != b.pct) return descending ? a.pct > b.pct : a.pct < b.pct;
                        return *a.symbol < *b.symbol;  // stable output for equal moves
                      });
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < n; ++i) out.push_back(describe(*list[i].symbol, *list[i].mover));
    return out;
  };
  return {{"type", "movers"},
          {"at", at_ms},
          {"symbols", movers_.size()},
          {"gainers", take(gainers, true)},
          {"losers", take(losers, false)}};
}

nlohmann::json MoversFilter::status() const {
  return {{"symbols", tracked_.load(std::memory_order_relaxed)},
          {"updates", updates_.value()},
          {"unchanged", unchanged_.value()},
          {"no_price", no_price_.value()},
          {"over_limit", over_limit_.value()},
          {"snapshots", snapshots_.value()}};
}

}  // namespace flowmind
