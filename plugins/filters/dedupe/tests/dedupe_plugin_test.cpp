// Loads the built flowmind-dedupe module and uses it through its factory, as the engine does.
#include <gtest/gtest.h>

#include "flowmind/sdk_version.hpp"
#include "schema_doc/schema_doc.hpp"
#include "uw_plugin_test_support.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

boost::dll::shared_library& module() { return uw::testing::plugin_module("dedupe"); }
const Factory& factory() { return uw::testing::plugin_factory(module()); }

TEST(DedupePlugin, ExportsVersionAndDescribesItself) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
  EXPECT_EQ(factory().name(), "dedupe");
  EXPECT_EQ(factory().kind(), PluginKind::filter);
}

TEST(DedupePlugin, CreatesAWorkingFilterFromDefaults) {
  const auto config = uw::testing::with_defaults(factory(), nlohmann::json::object());
  EXPECT_TRUE(factory().validate(config).empty());
  auto filter = factory().create_filter(config);
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  filter->start(ctx);
  Event first("flow-alerts", R"({"id":"a"})");
  Event again("flow-alerts", R"({"id":"a"})");
  EXPECT_EQ(filter->process(first, out), Filter::Verdict::keep);
  EXPECT_EQ(filter->process(again, out), Filter::Verdict::drop);
  EXPECT_EQ(ctx.value("duplicates"), 1U);
}

TEST(DedupePlugin, ValidateRefusesBadPaths) {
  const auto issues = factory().validate(uw::testing::with_defaults(factory(), {{"key", {"id", "a..b", ""}}}));
  ASSERT_EQ(issues.size(), 2U);
  EXPECT_EQ(issues[0].path, "key/1");
  EXPECT_EQ(issues[1].path, "key/2");
}

TEST(DedupePlugin, ReadmeHoldsTheRenderedOptionsTable) {
  EXPECT_EQ(uw::testing::readme_options_block(PLUGIN_README), render_options_markdown(factory().schema()));
}

}  // namespace
}  // namespace flowmind
