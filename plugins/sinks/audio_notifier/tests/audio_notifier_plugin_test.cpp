// Loads the built flowmind-audio_notifier module: its factory, its validate, and the sounds copied beside it.
#include <gtest/gtest.h>
#include <boost/dll/shared_library.hpp>

#include "flowmind/plugin.hpp"
#include "flowmind/sdk_version.hpp"
#include "plugin_test_context.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

boost::dll::shared_library& module() {
  static auto* library = new boost::dll::shared_library(
      (flowmind::testing::plugin_dir() / "flowmind-audio_notifier.so").string(), boost::dll::load_mode::default_mode);
  return *library;
}

const Factory& factory() { return *module().get_alias<Factory*()>("flowmind_factory")(); }

TEST(AudioNotifierPlugin, DescribesItselfAndShipsItsSounds) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(factory().name(), "audio_notifier");
  EXPECT_EQ(factory().kind(), PluginKind::sink);
  for (const auto* name : {"alert", "whale", "sweep", "dark_pool", "flow", "price"}) {
    EXPECT_TRUE(std::filesystem::exists(flowmind::testing::plugin_dir() / "audio_notifier-sounds" /
                                        (std::string(name) + ".wav")))
        << name;
  }
}

TEST(AudioNotifierPlugin, ValidateNamesAMissingPlayerAndCreateWorks) {
  const auto missing = flowmind::testing::with_defaults(factory().schema(), {{"player", {"no-such-player-anywhere"}}});
  ASSERT_EQ(factory().validate(missing).size(), 1U);
  const auto fine = flowmind::testing::with_defaults(factory().schema(), {{"player", {"true"}}});
  EXPECT_TRUE(factory().validate(fine).empty());
  auto sink = factory().create_sink(fine);
  EXPECT_FALSE(sink->blocking());
  flowmind::testing::TestStageContext ctx;
  sink->start(ctx);
  sink->consume(std::make_shared<const Event>("flow-alerts", R"({"ticker":"SPY","total_premium":5000000})"));
  EXPECT_TRUE(flowmind::testing::wait_until([&] { return ctx.value("alerts_played") == 1; }, std::chrono::seconds(30)));
  sink->stop();
}

}  // namespace
}  // namespace flowmind
