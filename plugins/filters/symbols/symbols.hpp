// The symbols filter: allow and deny lists of tickers, inline or from files re-read when they change.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "uw/counters.hpp"
#include "uw/file_watch.hpp"

namespace flowmind {

class SymbolsFilter final : public Filter {
 public:
  using Clock = std::chrono::steady_clock;

  // Reads the list files; throws PluginError when one cannot be read.
  explicit SymbolsFilter(const Config& config);

  void start(StageContext& ctx) override;
  Verdict process(Event& event, Emitter& out) override;
  // {"kept": n, "dropped": n, "no_symbol": n, "allow_size": n, "deny_size": n, "reloads": n}
  [[nodiscard]] nlohmann::json status() const override;

  // process() with an explicit clock reading, for tests of the reload throttle.
  Verdict process_at(Event& event, Clock::time_point now);

 private:
  // One list: inline symbols plus, optionally, a file's, swapped whole on reload.
  struct List {
    std::unordered_set<std::string> inline_symbols;
    std::unordered_set<std::string> file_symbols;
    std::optional<uw::FileWatch> watch;
    [[nodiscard]] bool active() const { return !inline_symbols.empty() || watch.has_value(); }
    [[nodiscard]] bool contains(const std::string& symbol) const {
      return inline_symbols.count(symbol) != 0 || file_symbols.count(symbol) != 0;
    }
    [[nodiscard]] std::size_t size() const { return inline_symbols.size() + file_symbols.size(); }
  };

  static void init_list(List& list, const Config& config, const std::string& list_key, const std::string& file_key,
                        std::chrono::nanoseconds interval);
  void reload_if_changed(List& list, Clock::time_point now);
  [[nodiscard]] bool passes(std::string_view symbol) const;

  List allow_;
  List deny_;
  bool keep_missing_;
  bool reload_;
  Logger* log_ = nullptr;
  std::string scratch_;
  std::atomic<std::size_t> allow_size_{0};
  std::atomic<std::size_t> deny_size_{0};
  uw::UnreadableCounters unreadable_;
  uw::Tally kept_{"kept"};
  uw::Tally dropped_{"dropped"};
  uw::Tally no_symbol_{"no_symbol"};
  uw::Tally reloads_{"reloads"};
  uw::Tally reload_errors_{"reload_errors"};
};

// Upper-cased and trimmed, as lists and events are compared.
std::string normalize_symbol(std::string_view symbol);

}  // namespace flowmind
