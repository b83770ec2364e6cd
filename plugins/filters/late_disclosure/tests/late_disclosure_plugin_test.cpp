// Loads the built flowmind-late_disclosure module and uses it through its factory, as the engine does.
#include <gtest/gtest.h>

#include "flowmind/sdk_version.hpp"
#include "schema_doc/schema_doc.hpp"
#include "uw_plugin_test_support.hpp"
#include "uw_test_support.hpp"

namespace flowmind {
namespace {

boost::dll::shared_library& module() { return uw::testing::plugin_module("late_disclosure"); }
const Factory& factory() { return uw::testing::plugin_factory(module()); }

TEST(LateDisclosurePlugin, ExportsVersionAndDescribesItself) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
  EXPECT_EQ(factory().name(), "late_disclosure");
  EXPECT_EQ(factory().kind(), PluginKind::filter);
}

TEST(LateDisclosurePlugin, CreatesAWorkingFilterFromDefaults) {
  const auto config = uw::testing::with_defaults(factory(), nlohmann::json::object());
  EXPECT_TRUE(factory().validate(config).empty());
  auto filter = factory().create_filter(config);
  uw::testing::TestStageContext ctx;
  uw::testing::CollectingEmitter out;
  filter->start(ctx);
  Event event("congress-trades", R"({"transaction_date":"2023-01-01","filed_at_date":"2023-03-01"})");
  EXPECT_EQ(filter->process(event, out), Filter::Verdict::keep);
  EXPECT_EQ(event.annotations()["late"], true);
  EXPECT_EQ(event.annotations()["disclosure_delay_days"], 59);
  EXPECT_EQ(factory().schema().find("max_days")->default_value(), 45);
}

TEST(LateDisclosurePlugin, ValidateRefusesAnEmptyAnnotationName) {
  auto issues = factory().validate(uw::testing::with_defaults(factory(), {{"annotation", ""}, {"filed_field", ""}}));
  ASSERT_EQ(issues.size(), 2U);
  EXPECT_EQ(issues[0].path, "filed_field");
  EXPECT_EQ(issues[1].path, "annotation");
}

TEST(LateDisclosurePlugin, ReadmeHoldsTheRenderedOptionsTable) {
  EXPECT_EQ(uw::testing::readme_options_block(PLUGIN_README), render_options_markdown(factory().schema()));
}

}  // namespace
}  // namespace flowmind
