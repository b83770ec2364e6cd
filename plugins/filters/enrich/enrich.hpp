// The enrich filter: joins an event field to a lookup table (CSV or YAML) and adds its columns.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"
#include "uw/counters.hpp"
#include "uw/file_watch.hpp"
#include "uw/table_file.hpp"

namespace flowmind {

class EnrichFilter final : public Filter {
 public:
  using Clock = std::chrono::steady_clock;

  // Loads the table; throws PluginError when it cannot be read or lacks a named column.
  explicit EnrichFilter(const Config& config);

  void start(StageContext& ctx) override;
  Verdict process(Event& event, Emitter& out) override;
  // {"hits": n, "misses": n, "no_field": n, "rows": n, "reloads": n, "reload_errors": n}
  [[nodiscard]] nlohmann::json status() const override;

  Verdict process_at(Event& event, Clock::time_point now);

 private:
  // The table as the filter uses it: normalized key -> cells of the added columns.
  struct Lookup {
    std::vector<std::string> names;  // annotation names (prefix + column)
    std::unordered_map<std::string, std::vector<std::string>> rows;
    std::size_t duplicate_keys = 0;
  };

  [[nodiscard]] std::shared_ptr<const Lookup> build(const uw::Table& table) const;
  [[nodiscard]] std::string normalize(std::string_view key) const;
  void reload_if_changed(Clock::time_point now);

  std::string path_;
  std::string field_;
  std::string key_column_;
  std::vector<std::string> columns_;
  std::string prefix_;
  bool case_sensitive_;
  bool drop_misses_;
  std::optional<uw::FileWatch> watch_;
  std::shared_ptr<const Lookup> lookup_;
  std::atomic<std::size_t> rows_{0};
  Logger* log_ = nullptr;
  uw::Tally hits_{"hits"};
  uw::Tally misses_{"misses"};
  uw::Tally no_field_{"no_field"};
  uw::Tally unreadable_field_{"unreadable_field"};
  uw::Tally reloads_{"reloads"};
  uw::Tally reload_errors_{"reload_errors"};
};

}  // namespace flowmind
