// symbols: keeps an event when one of its symbols is allowed and none is denied.
#include "symbols.hpp"

#include <atomic>

#include "uw/canonical.hpp"
#include "uw/table_file.hpp"
#include "uw/values.hpp"

namespace flowmind {
namespace {

std::unordered_set<std::string> normalized_set(const std::vector<std::string>& words) {
  std::unordered_set<std::string> set;
  for (const auto& word : words) {
    auto symbol = normalize_symbol(word);
    if (!symbol.empty()) set.insert(std::move(symbol));
  }
  return set;
}

}  // namespace

std::string normalize_symbol(std::string_view symbol) {
  std::string out(uw::trim(symbol));
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

void SymbolsFilter::init_list(List& list, const Config& config, const std::string& list_key,
                              const std::string& file_key, std::chrono::nanoseconds interval) {
  list.inline_symbols = normalized_set(config.get<std::vector<std::string>>(list_key));
  if (!config.has(file_key)) return;
  const std::string path = config.string(file_key);
  try {
    list.file_symbols = normalized_set(uw::load_word_list(path));
  } catch (const uw::TableError& error) {
    throw PluginError(std::string(file_key) + ": " + error.what());
  }
  list.watch.emplace(path, interval);
  list.watch->mark_loaded();
}

SymbolsFilter::SymbolsFilter(const Config& config)
    : keep_missing_(config.string("on_missing") == "keep"),
      reload_(config.duration("reload_interval").count() > 0),
      unreadable_(uw::mask(uw::Field::symbol, uw::Field::tickers)) {
  const auto interval = config.duration("reload_interval");
  init_list(allow_, config, "allow", "allow_file", interval);
  init_list(deny_, config, "deny", "deny_file", interval);
  allow_size_ = allow_.size();
  deny_size_ = deny_.size();
}

void SymbolsFilter::start(StageContext& ctx) {
  log_ = &ctx.log();
  unreadable_.start(ctx);
  for (auto* tally : {&kept_, &dropped_, &no_symbol_, &reloads_, &reload_errors_}) tally->start(ctx);
}

void SymbolsFilter::reload_if_changed(List& list, Clock::time_point now) {
  if (!list.watch || !list.watch->due(now)) return;
  const auto& path = list.watch->path();
  try {
    list.file_symbols = normalized_set(uw::load_word_list(path));
    reloads_.add();
    if (log_ != nullptr) {
      log_->info("reloaded " + path.string() + ": " + std::to_string(list.file_symbols.size()) + " symbols");
    }
  } catch (const uw::TableError& error) {
    // Keep filtering with the last good list rather than letting everything through.
    reload_errors_.add();
    if (log_ != nullptr) log_->warn(std::string("keeping the previous list: ") + error.what());
  }
  allow_size_ = allow_.size();
  deny_size_ = deny_.size();
}

bool SymbolsFilter::passes(std::string_view symbol) const {
  // Symbols are at most 31 characters: the key stays in the string's inline buffer when short.
  const std::string key(symbol);
  if (deny_.contains(key)) return false;
  return !allow_.active() || allow_.contains(key);
}

Filter::Verdict SymbolsFilter::process(Event& event, Emitter& /*out*/) { return process_at(event, Clock::now()); }

Filter::Verdict SymbolsFilter::process_at(Event& event, Clock::time_point now) {
  if (reload_) {
    reload_if_changed(allow_, now);
    reload_if_changed(deny_, now);
  }
  const uw::CanonicalFields& fields = uw::canonical(event);
  unreadable_.count(fields);
  bool keep = false;
  if (fields.tickers.size() > 1) {
    // A news item about several tickers: kept when any is allowed and none is denied.
    bool any_allowed = false;
    bool any_denied = false;
    for (const auto& ticker : fields.tickers) {
      any_denied = any_denied || deny_.contains(ticker);
      any_allowed = any_allowed || !allow_.active() || allow_.contains(ticker);
    }
    keep = any_allowed && !any_denied;
  } else if (!fields.symbol.empty()) {
    keep = passes(fields.symbol.view());
  } else {
    no_symbol_.add();
    keep = keep_missing_;
  }
  (keep ? kept_ : dropped_).add();
  return keep ? Verdict::keep : Verdict::drop;
}

nlohmann::json SymbolsFilter::status() const {
  return {{"kept", kept_.value()},
          {"dropped", dropped_.value()},
          {"no_symbol", no_symbol_.value()},
          {"allow_size", allow_size_.load()},
          {"deny_size", deny_size_.load()},
          {"reloads", reloads_.value()},
          {"reload_errors", reload_errors_.value()}};
}

}  // namespace flowmind
