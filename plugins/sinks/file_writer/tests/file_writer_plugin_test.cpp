// Loads the built flowmind-file_writer module and uses it through its factory, as the engine does.
#include <gtest/gtest.h>
#include <boost/dll/shared_library.hpp>

#include "flowmind/plugin.hpp"
#include "flowmind/sdk_version.hpp"
#include "plugin_test_context.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

// Loaded once and never unloaded, like the engine does.
boost::dll::shared_library& module() {
  static auto* library = new boost::dll::shared_library(
      (flowmind::testing::plugin_dir() / "flowmind-file_writer.so").string(), boost::dll::load_mode::default_mode);
  return *library;
}

const Factory& factory() { return *module().get_alias<Factory*()>("flowmind_factory")(); }

TEST(FileWriterPlugin, DescribesItselfAndWritesThroughItsFactory) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(factory().name(), "file_writer");
  EXPECT_EQ(factory().kind(), PluginKind::sink);
  EXPECT_TRUE(factory().schema().find("path")->is_required());

  flowmind::testing::TempDir dir;
  const auto config =
      flowmind::testing::with_defaults(factory().schema(), {{"path", (dir.path() / "out.jsonl").string()}});
  EXPECT_TRUE(factory().validate(config).empty());
  auto sink = factory().create_sink(config);
  EXPECT_TRUE(sink->blocking());
  flowmind::testing::TestStageContext ctx;
  sink->start(ctx);
  sink->consume(std::make_shared<const Event>("news", R"({"headline":"x"})"));
  sink->flush();
  sink->stop();
  EXPECT_EQ(flowmind::testing::read_file(dir.path() / "out.jsonl").size(),
            Event("news", R"({"headline":"x"})").wire().size() + 1);
}

TEST(FileWriterPlugin, ValidateRejectsCsvWithoutColumns) {
  const auto config = flowmind::testing::with_defaults(factory().schema(), {{"path", "x.csv"}, {"format", "csv"}});
  const auto issues = factory().validate(config);
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].severity, ConfigIssue::Severity::error);
}

}  // namespace
}  // namespace flowmind
