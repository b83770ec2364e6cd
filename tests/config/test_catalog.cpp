// Small but real plugins (they run if created) used to exercise pipeline validation.
#include "test_catalog.hpp"

#include <fstream>
#include <iostream>
#include <stdexcept>

#include "flowmind/plugin.hpp"

namespace flowmind::testing {
namespace {

// Emits `count` events {"n": i} on `channel`, `rate` per second.
class CountingSource final : public Source {
 public:
  explicit CountingSource(const Config& config)
      : channel_(config.string("channel")),
        count_(config.has("count") ? config.integer("count") : 0),
        pause_(config.number("rate") > 0
                   ? std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / config.number("rate")))
                   : std::chrono::nanoseconds(0)) {}
  void run(SourceContext& ctx) override {
    for (std::int64_t i = 0; i < count_ && !ctx.stopping(); ++i) {
      if (!ctx.emit(Event::from_json(channel_, {{"n", i}}))) return;
      if (pause_.count() > 0 && ctx.wait_for_stop(pause_)) return;
    }
  }

 private:
  std::string channel_;
  std::int64_t count_;
  std::chrono::nanoseconds pause_;
};

class GeneratorFactory final : public SourceFactory {
 public:
  GeneratorFactory() {
    schema_.option("rate", OptionType::number, "Events per second").def(10).range(0, 1000);
    schema_.option("count", OptionType::integer, "Events to emit").min(0);
    schema_.option("channel", OptionType::string, "Channel of the events").def("test").range(1, 16);
    schema_.option("interval", OptionType::duration, "Pause between bursts").def("1s").range("1ms", "1h");
    schema_.option("max_payload", OptionType::size, "Largest payload").def("64KiB").max("4MiB");
    schema_.option("enabled", OptionType::boolean, "Emit at all").def(true);
    schema_.option("mode", OptionType::enumeration, "Timing").values({"steady", "burst", "random"}).def("steady");
    schema_.option("tags", OptionType::list, "Tags").items(OptionType::string).max(3);
    schema_.option("priorities", OptionType::list, "Priorities").items(OptionType::enumeration).values({"low", "high"});
    schema_.option("timeouts", OptionType::list, "Timeouts").items(OptionType::duration);
    schema_.option("payload", OptionType::any, "Template payload");
    schema_.option("labels", OptionType::map, "Free-form labels");
  }
  [[nodiscard]] std::string_view name() const override { return "generator"; }
  [[nodiscard]] std::string_view summary() const override { return "Counts"; }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<Source> create(const Config& config) const override {
    return std::make_unique<CountingSource>(config);
  }

 private:
  Schema schema_;
};

// Keeps events whose payload fields satisfy all (or any) conditions.
class MatchFilter final : public Filter {
 public:
  explicit MatchFilter(const Config& config)
      : conditions_(config.at("conditions")), any_(config.string("mode") == "any") {}
  Verdict process(Event& event, Emitter& /*out*/) override {
    bool all = true;
    bool some = false;
    for (const auto& condition : conditions_) {
      const bool holds = test(event.payload(), condition);
      all = all && holds;
      some = some || holds;
    }
    return (any_ ? some : all) ? Verdict::keep : Verdict::drop;
  }

 private:
  static bool test(const nlohmann::json& payload, const nlohmann::json& condition) {
    const auto field = condition.at("field").get<std::string>();
    if (!payload.contains(field)) return false;
    const auto& actual = payload.at(field);
    const auto op = condition.at("op").get<std::string>();
    const auto& expected = condition.contains("value") ? condition.at("value") : nlohmann::json();
    if (op == "eq") return actual == expected;
    if (op == "ne") return actual != expected;
    if (op == "gt") return actual > expected;
    return actual < expected;
  }

  nlohmann::json conditions_;
  bool any_;
};

class MatchFactory final : public FilterFactory {
 public:
  MatchFactory() {
    auto condition = std::make_shared<Schema>();
    condition->option("field", OptionType::string, "Payload field").required();
    condition->option("op", OptionType::enumeration, "Comparison").values({"eq", "ne", "gt", "lt"}).required();
    condition->option("value", OptionType::any, "Value to compare with");
    condition->option("weight", OptionType::number, "Weight").def(1).min(0);
    schema_.option("conditions", OptionType::list, "Conditions")
        .items(OptionType::map)
        .fields(condition)
        .required()
        .min(1);
    schema_.option("mode", OptionType::enumeration, "How conditions combine").values({"all", "any"}).def("all");
  }
  [[nodiscard]] std::string_view name() const override { return "match"; }
  [[nodiscard]] std::string_view summary() const override { return "Matches"; }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::vector<ConfigIssue> validate(const Config& config) const override {
    std::vector<ConfigIssue> issues;
    const auto& conditions = config.at("conditions");
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      const auto& condition = conditions[i];
      if (condition.at("field") == "__throw__") throw std::runtime_error("cannot check field __throw__");
      const auto op = condition.at("op").get<std::string>();
      if ((op == "gt" || op == "lt") && !(condition.contains("value") && condition.at("value").is_number())) {
        issues.push_back({"conditions/" + std::to_string(i) + "/value", "'" + op + "' needs a numeric value"});
      }
    }
    if (conditions.size() > 2) {
      issues.push_back({"conditions", "more than 2 conditions slow down every event", ConfigIssue::Severity::warning});
    }
    return issues;
  }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<MatchFilter>(config);
  }

 private:
  Schema schema_;
};

class PremiumFilter final : public Filter {
 public:
  explicit PremiumFilter(const Config& config) : min_(config.integer("min")) {}
  Verdict process(Event& event, Emitter& /*out*/) override {
    const auto& payload = event.payload();
    return payload.contains("premium") && payload.at("premium").get<double>() >= static_cast<double>(min_)
               ? Verdict::keep
               : Verdict::drop;
  }

 private:
  std::int64_t min_;
};

class PremiumFactory final : public FilterFactory {
 public:
  PremiumFactory() {
    schema_.option("min", OptionType::integer, "Smallest premium kept").required().range(0, 1'000'000'000);
    schema_.option("currencies", OptionType::list, "Currencies")
        .items(OptionType::enumeration)
        .values({"usd", "eur", "gbp"})
        .def(nlohmann::json::array({"usd"}));
    schema_.option("window", OptionType::duration, "Aggregation window").def("5m");
  }
  [[nodiscard]] std::string_view name() const override { return "premium"; }
  [[nodiscard]] std::string_view summary() const override { return "Keeps big premiums"; }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& config) const override {
    return std::make_unique<PremiumFilter>(config);
  }

 private:
  Schema schema_;
};

// Appends each event's wire text as a line.
class LineFileSink final : public Sink {
 public:
  explicit LineFileSink(const Config& config) : out_(config.string("path"), std::ios::app) {}
  void consume(const EventPtr& event) override { out_ << event->raw() << '\n'; }
  void flush() override { out_.flush(); }
  [[nodiscard]] bool blocking() const override { return true; }

 private:
  std::ofstream out_;
};

class FileWriterFactory final : public SinkFactory {
 public:
  FileWriterFactory() {
    schema_.option("path", OptionType::string, "File to append to").required().min(1);
    schema_.option("max_file_size", OptionType::size, "Rotate after").def("4MiB").range("1KiB", "1GiB");
    schema_.option("flush_interval", OptionType::duration, "Flush every").def("5s");
    schema_.option("append", OptionType::boolean, "Append to an existing file").def(true);
  }
  [[nodiscard]] std::string_view name() const override { return "file_writer"; }
  [[nodiscard]] std::string_view summary() const override { return "Writes lines"; }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<Sink> create(const Config& config) const override {
    return std::make_unique<LineFileSink>(config);
  }

 private:
  Schema schema_;
};

class ConsoleSink final : public Sink {
 public:
  void consume(const EventPtr& event) override { std::cout << event->raw() << '\n'; }
  [[nodiscard]] bool blocking() const override { return true; }
};

class ConsoleFactory final : public SinkFactory {
 public:
  ConsoleFactory() {
    auto style = std::make_shared<Schema>();
    style->option("color", OptionType::boolean, "Colored output").def(false);
    style->option("width", OptionType::integer, "Columns").def(80).range(20, 400);
    schema_.option("format", OptionType::enumeration, "Output format").values({"json", "text"}).def("json");
    schema_.option("style", OptionType::map, "Terminal style").fields(style);
  }
  [[nodiscard]] std::string_view name() const override { return "console"; }
  [[nodiscard]] std::string_view summary() const override { return "Prints"; }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<Sink> create(const Config& /*config*/) const override {
    return std::make_unique<ConsoleSink>();
  }

 private:
  Schema schema_;
};

class WebhookFactory final : public SinkFactory {
 public:
  WebhookFactory() {
    schema_.option("url", OptionType::string, "Where to POST").required();
    schema_.allow_unknown_keys();
  }
  [[nodiscard]] std::string_view name() const override { return "webhook"; }
  [[nodiscard]] std::string_view summary() const override { return "Posts"; }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<Sink> create(const Config& /*config*/) const override {
    return std::make_unique<ConsoleSink>();
  }

 private:
  Schema schema_;
};

class BrokenFactory final : public SinkFactory {
 public:
  BrokenFactory() { schema_.option("every", OptionType::duration, "Tick").def("soon"); }
  [[nodiscard]] std::string_view name() const override { return "broken"; }
  [[nodiscard]] std::string_view summary() const override { return "Has a bad default"; }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<Sink> create(const Config& /*config*/) const override {
    return std::make_unique<ConsoleSink>();
  }

 private:
  Schema schema_;
};

}  // namespace

TestCatalog::TestCatalog() {
  factories_.push_back(std::make_unique<GeneratorFactory>());
  factories_.push_back(std::make_unique<MatchFactory>());
  factories_.push_back(std::make_unique<PremiumFactory>());
  factories_.push_back(std::make_unique<FileWriterFactory>());
  factories_.push_back(std::make_unique<ConsoleFactory>());
  factories_.push_back(std::make_unique<WebhookFactory>());
  factories_.push_back(std::make_unique<BrokenFactory>());
}

const Factory* TestCatalog::find(std::string_view name) const {
  for (const auto& factory : factories_) {
    if (factory->name() == name) return factory.get();
  }
  return nullptr;
}

std::vector<std::string> TestCatalog::names() const {
  std::vector<std::string> names;
  for (const auto& factory : factories_) names.emplace_back(factory->name());
  return names;
}

}  // namespace flowmind::testing
