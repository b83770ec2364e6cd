// Loads the built flowmind-generator module and uses it through its factory, as the engine does.
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <boost/dll/shared_library.hpp>

#include "collecting_source_context.hpp"
#include "flowmind/plugin.hpp"
#include "flowmind/sdk_version.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

// Loaded once and never unloaded, like the engine does.
boost::dll::shared_library& module() {
  static auto* library = new boost::dll::shared_library(
      (flowmind::testing::plugin_dir() / "flowmind-generator.so").string(), boost::dll::load_mode::default_mode);
  return *library;
}

const Factory& factory() { return *module().get_alias<Factory*()>("flowmind_factory")(); }

// What the engine hands a plugin: the given values plus every schema default.
Config with_defaults(const Schema& schema, nlohmann::json values) {
  for (const auto& option : schema.options()) {
    if (!values.contains(option.key()) && !option.default_value().is_null()) {
      values[option.key()] = option.default_value();
    }
  }
  return Config(std::move(values));
}

TEST(GeneratorPlugin, ExportsTheSdkVersionAndAbiTag) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_minor")(), FLOWMIND_SDK_VERSION_MINOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
}

TEST(GeneratorPlugin, DescribesItselfAsTheGeneratorSource) {
  EXPECT_EQ(factory().name(), "generator");
  EXPECT_EQ(factory().kind(), PluginKind::source);
  EXPECT_FALSE(factory().summary().empty());
  const auto* shape = factory().schema().find("shape");
  ASSERT_NE(shape, nullptr);
  EXPECT_EQ(shape->allowed(), (std::vector<std::string>{"counter", "flow-alerts", "off_lit_trades"}));
  EXPECT_EQ(shape->default_value(), "counter");
  EXPECT_EQ(factory().schema().find("rate")->default_value(), 10);
  EXPECT_EQ(factory().schema().find("seed")->default_value(), 42);
  EXPECT_EQ(factory().schema().find("count")->default_value(), 0);
  EXPECT_EQ(factory().schema().find("tickers")->default_value().size(), 12U);
  EXPECT_EQ(factory().schema().find("channel")->default_value(), nullptr);
}

TEST(GeneratorPlugin, SchemaDefaultsAreEnoughToCreateAndRunTheSource) {
  // Every key the logic reads has a default in the schema (or is optional like channel).
  for (const std::string shape : {"counter", "flow-alerts", "off_lit_trades"}) {
    const auto config = with_defaults(factory().schema(), {{"count", 5}, {"rate", 0}, {"shape", shape}});
    EXPECT_TRUE(factory().validate(config).empty());
    auto source = factory().create_source(config);
    flowmind::testing::CollectingSourceContext ctx;
    source->run(ctx);
    const auto events = ctx.take();
    ASSERT_EQ(events.size(), 5U) << shape;
    EXPECT_EQ(events[0].channel(), shape);
  }
}

TEST(GeneratorPlugin, ValidateReportsIssuesAndTheFactoryRefusesOtherKinds) {
  const auto issues = factory().validate(with_defaults(factory().schema(), {{"tickers", {"SPY", "no good"}}}));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "tickers/1");
  EXPECT_THROW((void)factory().create_filter(with_defaults(factory().schema(), {})), PluginError);
  EXPECT_THROW((void)factory().create_sink(with_defaults(factory().schema(), {})), PluginError);
}

}  // namespace
}  // namespace flowmind
