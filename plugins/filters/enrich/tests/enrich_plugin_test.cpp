// Loads the built flowmind-enrich module and uses it through its factory, as the engine does.
#include <gtest/gtest.h>

#include "flowmind/sdk_version.hpp"
#include "schema_doc/schema_doc.hpp"
#include "uw_plugin_test_support.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

boost::dll::shared_library& module() { return uw::testing::plugin_module("enrich"); }
const Factory& factory() { return uw::testing::plugin_factory(module()); }

TEST(EnrichPlugin, ExportsVersionAndDescribesItself) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
  EXPECT_EQ(factory().name(), "enrich");
  EXPECT_EQ(factory().kind(), PluginKind::filter);
}

TEST(EnrichPlugin, CreatesAWorkingFilterFromDefaults) {
  const auto config = uw::testing::with_defaults(factory(), {{"table", EXAMPLE_TABLE}, {"field", "name"}});
  EXPECT_TRUE(factory().validate(config).empty());
  auto filter = factory().create_filter(config);
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  filter->start(ctx);
  Event event("congress-trades", R"({"name":"Tommy Tuberville","ticker":"X"})");
  EXPECT_EQ(filter->process(event, out), Filter::Verdict::keep);
  EXPECT_EQ(event.annotations(), (nlohmann::json{{"party", "R"}, {"chamber", "senate"}, {"state", "AL"}}));
  EXPECT_EQ(ctx.value("hits"), 1U);
}

TEST(EnrichPlugin, ValidateAndCreateErrors) {
  const auto issues = factory().validate(uw::testing::with_defaults(factory(), {{"table", ""}, {"field", "name"}}));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "table");
  EXPECT_THROW((void)factory().create_filter(
                   uw::testing::with_defaults(factory(), {{"table", "/nonexistent/t.csv"}, {"field", "name"}})),
               PluginError);
}

TEST(EnrichPlugin, ReadmeHoldsTheRenderedOptionsTable) {
  EXPECT_EQ(uw::testing::readme_options_block(PLUGIN_README), render_options_markdown(factory().schema()));
}

}  // namespace
}  // namespace flowmind
