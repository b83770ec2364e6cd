// Loads the built flowmind-uw_normalize module and uses it through its factory, as the engine does.
#include <gtest/gtest.h>

#include "flowmind/sdk_version.hpp"
#include "schema_doc/schema_doc.hpp"
#include "uw_plugin_test_support.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

boost::dll::shared_library& module() { return uw::testing::plugin_module("uw_normalize"); }
const Factory& factory() { return uw::testing::plugin_factory(module()); }

TEST(UwNormalizePlugin, ExportsVersionAndDescribesItself) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
  EXPECT_EQ(factory().name(), "uw_normalize");
  EXPECT_EQ(factory().kind(), PluginKind::filter);
  EXPECT_NE(factory().schema().find("fields"), nullptr);
}

TEST(UwNormalizePlugin, CreatesAWorkingFilterFromDefaults) {
  auto filter = factory().create_filter(uw::testing::with_defaults(factory(), nlohmann::json::object()));
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  filter->start(ctx);
  Event event("price:SPY", R"({"close":"562.82","time":1726670327692,"vol":6015555})");
  EXPECT_EQ(filter->process(event, out), Filter::Verdict::keep);
  EXPECT_EQ(event.annotations()["price"], 562.82);
  EXPECT_EQ(ctx.value("normalized"), 1U);
}

TEST(UwNormalizePlugin, ReadmeHoldsTheRenderedOptionsTable) {
  EXPECT_EQ(uw::testing::readme_options_block(PLUGIN_README), render_options_markdown(factory().schema()));
}

}  // namespace
}  // namespace flowmind
