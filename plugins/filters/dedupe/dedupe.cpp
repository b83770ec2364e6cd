// dedupe: 64-bit hashes of event keys in insertion order, expired by window, evicted by capacity.
#include "dedupe.hpp"

#include <charconv>
#include <functional>
#include <string_view>

#include "uw/json_scan.hpp"
#include "uw/values.hpp"

namespace flowmind {
namespace {

// Separators that cannot occur in decoded JSON text without an escape the key would keep.
constexpr char field_separator = '\x1f';
constexpr char channel_separator = '\x1e';

// A key field's text: strings decoded, numbers in one spelling (1, 1.0 and 1e0 are the same),
// anything else (true, lists, objects) as written.
void append_value(const uw::JsonView& value, std::string& out) {
  switch (value.type) {
    case uw::JsonType::string:
      out += 's';
      if (value.escaped) {
        uw::decode_string(value.text, out);
      } else {
        out += value.text;
      }
      return;
    case uw::JsonType::number: {
      out += 'n';
      if (const auto number = uw::parse_decimal(value.text)) {
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, *number);
        out.append(buffer, result.ptr);
      } else {
        out += value.text;
      }
      return;
    }
    default:
      out += 'o';
      out += value.text;
      return;
  }
}

}  // namespace

DedupeFilter::DedupeFilter(const Config& config)
    : paths_(config.get<std::vector<std::string>>("key")),
      window_(std::chrono::duration_cast<Event::Clock::duration>(config.duration("window"))),
      max_keys_(static_cast<std::size_t>(config.integer("max_keys"))),
      per_channel_(config.boolean("per_channel")),
      refresh_(config.boolean("refresh")) {}

void DedupeFilter::start(StageContext& ctx) {
  for (auto* tally : {&kept_, &duplicates_, &no_key_, &evicted_}) tally->start(ctx);
}

bool DedupeFilter::build_key(const Event& event) {
  key_.clear();
  if (per_channel_) {
    key_ += event.channel();
    key_ += channel_separator;
  }
  if (paths_.empty()) {
    key_ += event.raw();
    return true;
  }
  const auto object = uw::payload_object(event.raw());
  bool any = false;
  for (const auto& path : paths_) {
    key_ += field_separator;
    const auto value = uw::find_path(object, path);
    if (value.type == uw::JsonType::missing || value.type == uw::JsonType::null) continue;
    any = true;
    append_value(value, key_);
  }
  return any;
}

Filter::Verdict DedupeFilter::process(Event& event, Emitter& /*out*/) {
  if (!build_key(event)) {
    no_key_.add();
    return Verdict::keep;  // nothing to compare: never dropped as a duplicate
  }
  const std::uint64_t hash = std::hash<std::string_view>{}(key_);
  const auto now = event.received_at();
  while (!order_.empty() && now - order_.front().seen >= window_) {
    index_.erase(order_.front().hash);
    order_.pop_front();
  }
  if (const auto found = index_.find(hash); found != index_.end()) {
    duplicates_.add();
    if (refresh_) {
      found->second->seen = now;
      order_.splice(order_.end(), order_, found->second);
    }
    return Verdict::drop;
  }
  if (index_.size() >= max_keys_) {
    index_.erase(order_.front().hash);
    order_.pop_front();
    evicted_.add();
  }
  order_.push_back({hash, now});
  index_.emplace(hash, std::prev(order_.end()));
  tracked_.store(index_.size(), std::memory_order_relaxed);
  kept_.add();
  return Verdict::keep;
}

nlohmann::json DedupeFilter::status() const {
  return {{"kept", kept_.value()},
          {"duplicates", duplicates_.value()},
          {"no_key", no_key_.value()},
          {"evicted", evicted_.value()},
          {"tracked", tracked_.load(std::memory_order_relaxed)}};
}

}  // namespace flowmind
