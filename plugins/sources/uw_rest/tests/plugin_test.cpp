// Loads the built flowmind-uw_rest module as the engine does: identity, validation, README options table.
#include <gtest/gtest.h>

#include "flowmind/sdk_version.hpp"
#include "rest_test_context.hpp"
#include "test_support.hpp"
#include "uw_plugin_test_support.hpp"

namespace flowmind {
namespace {

boost::dll::shared_library& module() { return uw::testing::plugin_module("uw_rest"); }
const Factory& factory() { return uw::testing::plugin_factory(module()); }

TEST(UwRestPlugin, ExportsVersionAndDescribesItself) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
  EXPECT_EQ(factory().name(), "uw_rest");
  EXPECT_EQ(factory().kind(), PluginKind::source);
}

TEST(UwRestPlugin, ValidatesAndCreatesThroughItsFactory) {
  const nlohmann::json good = {{"path", "/api/darkpool/recent"}, {"token", "plugin-test-token"}, {"channel", "dp"}};
  const auto config = uw::testing::with_defaults(factory(), good);
  EXPECT_TRUE(factory().validate(config).empty());
  auto source = factory().create_source(config);
  const auto status = source->status();
  EXPECT_EQ(status["url"], "https://api.unusualwhales.com/api/darkpool/recent");
  EXPECT_EQ(status["dedupe"]["key_fields"], nlohmann::json({"tracking_id", "executed_at+ticker+size+price"}));
  EXPECT_EQ(status.dump().find("plugin-test-token"), std::string::npos);

  auto remote_http = good;
  remote_http["base_url"] = "http://example.com";
  const auto bad = uw::testing::with_defaults(factory(), remote_http);
  EXPECT_EQ(factory().validate(bad).size(), 1U);
  EXPECT_THROW((void)factory().create_source(bad), PluginError);
}

TEST(UwRestPlugin, ReadmeHoldsTheOptionsTableTheCliPrints) {
  const auto result = flowmind::testing::run_process(
      {flowmind::testing::flowmind_executable().string(), "plugins", "uw_rest", "--markdown"},
      std::chrono::seconds(60));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(uw::testing::readme_options_block(PLUGIN_README), result.out);
}

}  // namespace
}  // namespace flowmind
