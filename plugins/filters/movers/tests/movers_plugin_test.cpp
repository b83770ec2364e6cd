// Loads the built flowmind-movers module and uses it through its factory, as the engine does.
#include <gtest/gtest.h>

#include "flowmind/sdk_version.hpp"
#include "schema_doc/schema_doc.hpp"
#include "uw_plugin_test_support.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

boost::dll::shared_library& module() { return uw::testing::plugin_module("movers"); }
const Factory& factory() { return uw::testing::plugin_factory(module()); }

TEST(MoversPlugin, ExportsVersionAndDescribesItself) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
  EXPECT_EQ(factory().name(), "movers");
  EXPECT_EQ(factory().kind(), PluginKind::filter);
}

TEST(MoversPlugin, CreatesAWorkingFilterFromDefaults) {
  const auto config = uw::testing::with_defaults(factory(), nlohmann::json::object());
  EXPECT_TRUE(factory().validate(config).empty());
  auto filter = factory().create_filter(config);
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  filter->start(ctx);
  Event first("price:SPY", R"({"close":"500","time":1726670327692,"vol":6015555})");
  Event second("price:SPY", R"({"close":"505","time":1726670328692,"vol":6015600})");
  EXPECT_EQ(filter->process(first, out), Filter::Verdict::keep);
  EXPECT_EQ(filter->process(second, out), Filter::Verdict::keep);
  EXPECT_DOUBLE_EQ(second.annotations()["change_pct"].get<double>(), 1.0);
  EXPECT_EQ(ctx.value("updates"), 2U);
}

TEST(MoversPlugin, ValidateNeedsAReferenceFile) {
  const auto issues = factory().validate(uw::testing::with_defaults(factory(), {{"reference", "file"}}));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "reference");
  const auto ignored = factory().validate(uw::testing::with_defaults(factory(), {{"reference_file", "x.csv"}}));
  ASSERT_EQ(ignored.size(), 1U);
  EXPECT_EQ(ignored[0].severity, ConfigIssue::Severity::warning);
}

TEST(MoversPlugin, ReadmeHoldsTheRenderedOptionsTable) {
  EXPECT_EQ(uw::testing::readme_options_block(PLUGIN_README), render_options_markdown(factory().schema()));
}

}  // namespace
}  // namespace flowmind
