// The watchlist filter's logic (registration lives in plugin.cpp).
#include "watchlist.hpp"

#include <algorithm>
#include <cctype>

namespace watchlist {
namespace {

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

WatchlistConfig WatchlistConfig::from(const flowmind::Config& config) {
  WatchlistConfig result;
  for (const auto& ticker : config.get<std::vector<std::string>>("tickers")) result.tickers.insert(upper(ticker));
  result.drop_others = config.boolean("drop_others");
  return result;
}

std::vector<flowmind::ConfigIssue> validate(const flowmind::Config& config) {
  std::vector<flowmind::ConfigIssue> issues;
  const auto tickers = config.get<std::vector<std::string>>("tickers");
  if (tickers.empty()) issues.push_back({"tickers", "list at least one ticker"});
  for (std::size_t index = 0; index < tickers.size(); ++index) {
    if (blank(tickers[index])) issues.push_back({"tickers/" + std::to_string(index), "a ticker cannot be blank"});
  }
  return issues;
}

std::optional<std::string> event_ticker(const flowmind::Event& event) {
  // payload() parses the raw text on first use only; events other filters parsed are free.
  const auto& payload = event.payload();
  if (payload.is_object()) {
    for (const char* key : {"ticker", "symbol", "underlying_symbol"}) {
      const auto it = payload.find(key);
      if (it != payload.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
        return upper(it->get<std::string>());
      }
    }
  }
  const auto colon = event.channel().rfind(':');
  if (colon != std::string::npos && colon + 1 < event.channel().size()) return upper(event.channel().substr(colon + 1));
  return std::nullopt;
}

flowmind::Filter::Verdict WatchlistFilter::process(flowmind::Event& event, flowmind::Emitter& /*out*/) {
  const auto ticker = event_ticker(event);
  if (ticker && config_->tickers.count(*ticker) != 0) {
    // An annotation, not a payload change: the upstream data stays exactly as UW sent it.
    event.annotate("watchlist", *ticker);
    matched_.fetch_add(1, std::memory_order_relaxed);
    return Verdict::keep;
  }
  if (config_->drop_others) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return Verdict::drop;
  }
  return Verdict::keep;
}

nlohmann::json WatchlistFilter::status() const {
  return {{"watched", config_->tickers.size()},
          {"matched", matched_.load(std::memory_order_relaxed)},
          {"dropped", dropped_.load(std::memory_order_relaxed)}};
}

}  // namespace watchlist
