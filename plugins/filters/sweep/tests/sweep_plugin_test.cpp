// Loads the built flowmind-sweep module and uses it through its factory, as the engine does.
#include <gtest/gtest.h>

#include "flowmind/sdk_version.hpp"
#include "schema_doc/schema_doc.hpp"
#include "uw_plugin_test_support.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

boost::dll::shared_library& module() { return uw::testing::plugin_module("sweep"); }
const Factory& factory() { return uw::testing::plugin_factory(module()); }

TEST(SweepPlugin, ExportsVersionAndDescribesItself) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
  EXPECT_EQ(factory().name(), "sweep");
  EXPECT_EQ(factory().kind(), PluginKind::filter);
}

TEST(SweepPlugin, CreatesAWorkingFilterFromDefaults) {
  const auto config = uw::testing::with_defaults(factory(), nlohmann::json::object());
  EXPECT_TRUE(factory().validate(config).empty());
  auto filter = factory().create_filter(config);
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  filter->start(ctx);
  for (const char* exchange : {"XCBO", "XPHO", "MPRL"}) {
    Event event("option_trades", std::string(R"({"option_symbol":"SPY241018C00550000","tags":["ask_side"],)") +
                                     R"("executed_at":1726670212000,"exchange":")" + exchange + R"("})");
    EXPECT_EQ(filter->process(event, out), Filter::Verdict::keep);
  }
  ASSERT_EQ(out.events.size(), 1U);
  EXPECT_EQ(out.events[0].channel(), "sweeps");
  EXPECT_EQ(ctx.value("sweeps_detected"), 1U);
}

TEST(SweepPlugin, ValidateChecksFillsAgainstExchanges) {
  const auto issues = factory().validate(
      uw::testing::with_defaults(factory(), {{"min_exchanges", 5}, {"max_fills", 4}, {"channel", ""}}));
  ASSERT_EQ(issues.size(), 2U);
  EXPECT_EQ(issues[0].path, "max_fills");
  EXPECT_EQ(issues[1].path, "channel");
}

TEST(SweepPlugin, ReadmeHoldsTheRenderedOptionsTable) {
  EXPECT_EQ(uw::testing::readme_options_block(PLUGIN_README), render_options_markdown(factory().schema()));
}

}  // namespace
}  // namespace flowmind
