// Registers the dedupe filter: its config table and factory.
#include <memory>

#include "dedupe.hpp"
#include "flowmind/export.hpp"

namespace flowmind {
namespace {

class DedupeFactory final : public FilterFactory {
 public:
  DedupeFactory() {
    schema_
        .option("key", OptionType::list,
                "Payload fields (dotted paths) that identify an event; empty = the whole payload text")
        .items(OptionType::string)
        .def(nlohmann::json::array());
    schema_.option("window", OptionType::duration, "An event whose key was kept less than this long ago is dropped")
        .def("60s")
        .min("1ms");
    schema_.option("max_keys", OptionType::integer, "Keys remembered at most; the oldest are forgotten first")
        .def(100000)
        .range(1, 100000000);
    schema_.option("per_channel", OptionType::boolean, "Keys of different channels never match").def(true);
    schema_.option("refresh", OptionType::boolean, "A duplicate restarts its key's window (sliding window)").def(false);
  }

  [[nodiscard]] std::string_view name() const override { return "dedupe"; }
  [[nodiscard]] std::string_view summary() const override {
    return "Drops events whose key was seen within a window (bounded memory, counted)";
  }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    std::vector<ConfigIssue> issues;
    const auto& keys = config.at("key");
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const auto path = keys[i].get<std::string>();
      if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos) {
        issues.push_back({"key/" + std::to_string(i), "'" + path + "' is not a dotted path"});
      }
    }
    return issues;
  }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<DedupeFilter>(config);
  }

 private:
  Schema schema_;
};

}  // namespace
}  // namespace flowmind

FLOWMIND_PLUGIN(flowmind::DedupeFactory)
