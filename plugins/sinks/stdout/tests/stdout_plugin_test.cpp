// Loads the built flowmind-stdout module and uses it through its factory, as the engine does.
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <boost/dll/shared_library.hpp>

#include "flowmind/plugin.hpp"
#include "flowmind/sdk_version.hpp"
#include "stdout_test_support.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

// Loaded once and never unloaded, like the engine does.
boost::dll::shared_library& module() {
  static auto* library = new boost::dll::shared_library(
      (flowmind::testing::plugin_dir() / "flowmind-stdout.so").string(), boost::dll::load_mode::default_mode);
  return *library;
}

const Factory& factory() { return *module().get_alias<Factory*()>("flowmind_factory")(); }

Config with_defaults(nlohmann::json values) {
  for (const auto& option : factory().schema().options()) {
    if (!values.contains(option.key()) && !option.default_value().is_null()) {
      values[option.key()] = option.default_value();
    }
  }
  return Config(std::move(values));
}

TEST(StdoutPlugin, ExportsTheSdkVersionAndAbiTag) {
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_major")(), FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(module().get<int()>("flowmind_sdk_version_minor")(), FLOWMIND_SDK_VERSION_MINOR);
  EXPECT_EQ(std::string(module().get<const char*()>("flowmind_abi_tag")()), FLOWMIND_ABI_TAG);
}

TEST(StdoutPlugin, DescribesItselfAndWritesEnvelopesByDefault) {
  EXPECT_EQ(factory().name(), "stdout");
  EXPECT_EQ(factory().kind(), PluginKind::sink);
  const auto* format = factory().schema().find("format");
  ASSERT_NE(format, nullptr);
  EXPECT_EQ(format->allowed(), (std::vector<std::string>{"envelope", "payload"}));
  EXPECT_EQ(format->default_value(), "envelope");

  const auto config = with_defaults(nlohmann::json::object());
  EXPECT_TRUE(factory().validate(config).empty());
  auto sink = factory().create_sink(config);
  EXPECT_TRUE(sink->blocking());
  flowmind::testing::RecordingStageContext ctx;
  sink->start(ctx);
  flowmind::testing::TempDir dir;
  const auto file = dir.path() / "out.txt";
  const auto event = std::make_shared<const Event>("news", R"({"headline":"x"})");
  {
    flowmind::testing::StdoutToFile capture(file);
    sink->consume(event);
    sink->flush();
    sink->stop();
  }
  EXPECT_EQ(flowmind::testing::read_file(file), event->wire() + "\n");
}

}  // namespace
}  // namespace flowmind
