// Loads the built flowmind-sentiment module and uses it through its factory, as the engine does.
#include <gtest/gtest.h>

#include "flowmind/sdk_version.hpp"
#include "schema_doc/schema_doc.hpp"
#include "uw_plugin_test_support.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

boost::dll::shared_library& module() { return uw::testing::plugin_module("sentiment"); }
const Factory& factory() { return uw::testing::plugin_factory(module()); }

TEST(SentimentPlugin, ExportsVersionAndDescribesItself) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
  EXPECT_EQ(factory().name(), "sentiment");
  EXPECT_EQ(factory().kind(), PluginKind::filter);
}

TEST(SentimentPlugin, CreatesAWorkingFilterFromDefaults) {
  const auto config = uw::testing::with_defaults(factory(), nlohmann::json::object());
  EXPECT_TRUE(factory().validate(config).empty());
  auto filter = factory().create_filter(config);
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  filter->start(ctx);
  Event event("flow-alerts",
              R"({"option_chain":"DIA241018C00415000","total_ask_side_prem":36466,"total_bid_side_prem":0})");
  EXPECT_EQ(filter->process(event, out), Filter::Verdict::keep);
  EXPECT_EQ(event.annotations()["sentiment"], "bullish");
  EXPECT_EQ(ctx.value("bullish"), 1U);
}

TEST(SentimentPlugin, ValidateRefusesAnEmptyAnnotationName) {
  const auto issues = factory().validate(uw::testing::with_defaults(factory(), {{"annotation", ""}}));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "annotation");
}

TEST(SentimentPlugin, ReadmeHoldsTheRenderedOptionsTable) {
  EXPECT_EQ(uw::testing::readme_options_block(PLUGIN_README), render_options_markdown(factory().schema()));
}

}  // namespace
}  // namespace flowmind
