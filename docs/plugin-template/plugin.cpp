// Registration of the watchlist filter: its config table, its factory and the export line.
#include <memory>
#include <string_view>
#include <vector>

#include <flowmind/flowmind.hpp>

#include "watchlist.hpp"

namespace {

using flowmind::OptionType;

class WatchlistFactory final : public flowmind::FilterFactory {
 public:
  WatchlistFactory() {
    schema_.option("tickers", OptionType::list, "Tickers to watch, case-insensitive (e.g. [SPY, QQQ])")
        .items(OptionType::string)
        .required();
    schema_
        .option("drop_others", OptionType::boolean, "Drop events whose ticker is not watched instead of passing them")
        .def(false);
  }

  // The YAML `type:` of the stage; must be unique among loaded plugins.
  [[nodiscard]] std::string_view name() const override { return "watchlist"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Tags events whose ticker is on a watch list; can drop the others";
  }
  [[nodiscard]] const flowmind::Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<flowmind::ConfigIssue> validate(const flowmind::Config& config) const override {
    return watchlist::validate(config);
  }
  [[nodiscard]] std::unique_ptr<flowmind::Filter> create(const flowmind::Config& config) const override {
    auto options = std::make_shared<const watchlist::WatchlistConfig>(watchlist::WatchlistConfig::from(config));
    return std::make_unique<watchlist::WatchlistFilter>(std::move(options));
  }

 private:
  flowmind::Schema schema_;
};

}  // namespace

FLOWMIND_PLUGIN(WatchlistFactory)
