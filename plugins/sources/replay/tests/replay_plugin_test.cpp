// Loads the built flowmind-replay module and plays a recording through its factory, as the engine does.
#include <gtest/gtest.h>
#include <boost/dll/shared_library.hpp>

#include "flowmind/plugin.hpp"
#include "flowmind/sdk_version.hpp"
#include "test_source_context.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

boost::dll::shared_library& module() {
  static auto* library = new boost::dll::shared_library(
      (flowmind::testing::plugin_dir() / "flowmind-replay.so").string(), boost::dll::load_mode::default_mode);
  return *library;
}

const Factory& factory() { return *module().get_alias<Factory*()>("flowmind_factory")(); }

TEST(ReplayPlugin, DescribesItselfAndPlaysThroughItsFactory) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(factory().name(), "replay");
  EXPECT_EQ(factory().kind(), PluginKind::source);

  flowmind::testing::TempDir dir;
  const auto file = dir.write("r.jsonl", R"(["news",{"headline":"one"}])"
                                         "\n"
                                         R"(["news",{"headline":"two"}])"
                                         "\n");
  const auto config = flowmind::testing::with_defaults(factory().schema(), {{"path", file.string()}, {"speed", "max"}});
  EXPECT_TRUE(factory().validate(config).empty());
  auto source = factory().create_source(config);
  flowmind::testing::TestSourceContext ctx;
  source->run(ctx);
  ASSERT_EQ(ctx.events().size(), 2U);
  EXPECT_EQ(ctx.events()[1].payload()["headline"], "two");

  const auto bad = flowmind::testing::with_defaults(factory().schema(), {{"path", file.string()}, {"speed", -1}});
  EXPECT_EQ(factory().validate(bad).size(), 1U);
  EXPECT_THROW((void)factory().create_source(bad), PluginError);
}

}  // namespace
}  // namespace flowmind
