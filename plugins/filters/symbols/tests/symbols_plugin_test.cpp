// Loads the built flowmind-symbols module and uses it through its factory, as the engine does.
#include <gtest/gtest.h>

#include "flowmind/sdk_version.hpp"
#include "schema_doc/schema_doc.hpp"
#include "uw_plugin_test_support.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

boost::dll::shared_library& module() { return uw::testing::plugin_module("symbols"); }
const Factory& factory() { return uw::testing::plugin_factory(module()); }

TEST(SymbolsPlugin, ExportsVersionAndDescribesItself) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
  EXPECT_EQ(factory().name(), "symbols");
  EXPECT_EQ(factory().kind(), PluginKind::filter);
}

TEST(SymbolsPlugin, CreatesAWorkingFilterFromDefaults) {
  const auto config = uw::testing::with_defaults(factory(), {{"allow", {"SPY"}}});
  EXPECT_TRUE(factory().validate(config).empty());
  auto filter = factory().create_filter(config);
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  filter->start(ctx);
  Event spy("price:SPY", R"({"close":"562.82"})");
  Event qqq("price:QQQ", R"({"close":"478"})");
  EXPECT_EQ(filter->process(spy, out), Filter::Verdict::keep);
  EXPECT_EQ(filter->process(qqq, out), Filter::Verdict::drop);
  EXPECT_EQ(ctx.value("dropped"), 1U);
}

TEST(SymbolsPlugin, ValidateWarnsWithoutLists) {
  const auto issues = factory().validate(uw::testing::with_defaults(factory(), nlohmann::json::object()));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].severity, ConfigIssue::Severity::warning);
  const auto empty = factory().validate(uw::testing::with_defaults(factory(), {{"allow_file", ""}}));
  ASSERT_EQ(empty.size(), 1U);
  EXPECT_EQ(empty[0].path, "allow_file");
}

TEST(SymbolsPlugin, MissingListFileFailsCreation) {
  EXPECT_THROW((void)factory().create_filter(uw::testing::with_defaults(factory(), {{"deny_file", "/nonexistent/x"}})),
               PluginError);
}

TEST(SymbolsPlugin, ReadmeHoldsTheRenderedOptionsTable) {
  EXPECT_EQ(uw::testing::readme_options_block(PLUGIN_README), render_options_markdown(factory().schema()));
}

}  // namespace
}  // namespace flowmind
