// Loads the built flowmind-match module and uses it through its factory, as the engine does.
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <boost/dll/shared_library.hpp>

#include "flowmind/plugin.hpp"
#include "flowmind/sdk_version.hpp"
#include "match_test_support.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

// Loaded once and never unloaded, like the engine does.
boost::dll::shared_library& module() {
  static auto* library = new boost::dll::shared_library(
      (flowmind::testing::plugin_dir() / "flowmind-match.so").string(), boost::dll::load_mode::default_mode);
  return *library;
}

const Factory& factory() { return *module().get_alias<Factory*()>("flowmind_factory")(); }

// What the engine hands a plugin: the given values plus every top-level schema default.
Config with_defaults(nlohmann::json values) {
  for (const auto& option : factory().schema().options()) {
    if (!values.contains(option.key()) && !option.default_value().is_null()) {
      values[option.key()] = option.default_value();
    }
  }
  return Config(std::move(values));
}

TEST(MatchPlugin, ExportsTheSdkVersionAndAbiTag) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_minor")(), FLOWMIND_SDK_VERSION_MINOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
}

TEST(MatchPlugin, DescribesItsOptionsAndConditionFields) {
  EXPECT_EQ(factory().name(), "match");
  EXPECT_EQ(factory().kind(), PluginKind::filter);
  const auto& schema = factory().schema();
  const auto* conditions = schema.find("conditions");
  ASSERT_NE(conditions, nullptr);
  EXPECT_TRUE(conditions->is_required());
  EXPECT_EQ(conditions->type(), OptionType::list);
  ASSERT_NE(conditions->field_schema(), nullptr);
  const auto* op = conditions->field_schema()->find("op");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->allowed(),
            (std::vector<std::string>{"eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "exists"}));
  EXPECT_EQ(op->default_value(), "eq");
  for (const char* key : {"field", "annotation", "value"}) EXPECT_NE(conditions->field_schema()->find(key), nullptr);
  EXPECT_EQ(schema.find("mode")->default_value(), "all");
  EXPECT_EQ(schema.find("action")->default_value(), "keep");
}

TEST(MatchPlugin, CreatesAWorkingFilterFromSchemaDefaults) {
  const auto config =
      with_defaults({{"conditions", {{{"field", "total_premium"}, {"op", "gte"}, {"value", 1000000}}}}});
  EXPECT_TRUE(factory().validate(config).empty());
  auto filter = factory().create_filter(config);
  flowmind::testing::RecordingStageContext ctx;
  filter->start(ctx);
  flowmind::testing::FailingEmitter out;
  Event whale("flow-alerts", R"({"total_premium":"2500000"})");
  Event small("flow-alerts", R"({"total_premium":36466})");
  Event broken("flow-alerts", R"({"total_premium":)");
  EXPECT_EQ(filter->process(whale, out), Filter::Verdict::keep);
  EXPECT_EQ(filter->process(small, out), Filter::Verdict::drop);
  EXPECT_EQ(filter->process(broken, out), Filter::Verdict::drop);
  EXPECT_EQ(ctx.value("invalid_payload"), 1U);
  filter->stop();
}

TEST(MatchPlugin, ValidateThroughTheFactoryReportsPaths) {
  const auto issues = factory().validate(with_defaults(
      {{"conditions", {{{"field", "a"}, {"op", "exists"}}, {{"field", "b"}, {"op", "in"}, {"value", 3}}}}}));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "conditions/1/value");
  EXPECT_THROW((void)factory().create_source(with_defaults({})), PluginError);
}

}  // namespace
}  // namespace flowmind
