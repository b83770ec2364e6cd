// End to end: install the SDK, build docs/plugin-template as a separate CMake project against it, load the plugin.
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flowmind/flowmind.hpp"
#include "loader/plugin_registry.hpp"
#include "schema_doc/schema_doc.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;

constexpr auto build_timeout = std::chrono::minutes(4);

// The child build must not inherit anything of this build (sanitizer flags, a different
// compiler): the template is built the way a user would build it.
const std::map<std::string, std::string> clean_build_env = {
    {"CXXFLAGS", ""}, {"CPPFLAGS", ""}, {"LDFLAGS", ""}, {"CMAKE_PREFIX_PATH", ""}};

ProcessResult run(const std::vector<std::string>& argv) {
  return testing::run_process(argv, build_timeout, clean_build_env);
}

std::string describe(const ProcessResult& result) {
  return "exit " + std::to_string(result.exit_code) + (result.timed_out ? " (timed out)" : "") + "\nstdout:\n" +
         result.out + "\nstderr:\n" + result.err;
}

class CollectingEmitter final : public Emitter {
 public:
  void emit(Event event) override { events.push_back(std::move(event)); }
  std::vector<Event> events;
};

TEST(PluginTemplate, BuildsAgainstTheInstalledSdkAndLoadsIntoTheEngine) {
  ASSERT_STRNE(FLOWMIND_TEST_NINJA, "") << "ninja is required to build the plugin template";
  testing::TempDir temp;
  const auto prefix = temp.path() / "prefix";
  const auto source = temp.path() / "watchlist";
  const auto build = temp.path() / "build";

  const auto install = run({FLOWMIND_TEST_CMAKE, "--install", testing::binary_dir().string(), "--prefix",
                            prefix.string(), "--component", "sdk"});
  ASSERT_EQ(install.exit_code, 0) << describe(install);
  EXPECT_TRUE(fs::exists(prefix / "include" / "flowmind" / "flowmind.hpp"));
  EXPECT_FALSE(fs::exists(prefix / "bin" / "flowmind")) << "the sdk component installs the SDK only";

  fs::copy(testing::source_dir() / "docs" / "plugin-template", source, fs::copy_options::recursive);
  const auto configure =
      run({FLOWMIND_TEST_CMAKE, "-S", source.string(), "-B", build.string(), "-G", "Ninja",
           std::string("-DCMAKE_MAKE_PROGRAM=") + FLOWMIND_TEST_NINJA, "-DCMAKE_PREFIX_PATH=" + prefix.string(),
           // The same compiler as the engine (the ABI tag names it); warnings must not exist in the template.
           std::string("-DCMAKE_CXX_COMPILER=") + FLOWMIND_TEST_CXX_COMPILER, "-DCMAKE_CXX_FLAGS=-Werror",
           "-DCMAKE_BUILD_TYPE=", "-DWATCHLIST_BUILD_TESTS=ON", "-DCMAKE_INSTALL_PREFIX=" + prefix.string()});
  ASSERT_EQ(configure.exit_code, 0) << describe(configure);
  EXPECT_THAT(configure.err, ::testing::Not(::testing::HasSubstr("CMake Warning"))) << describe(configure);

  const auto compile = run({FLOWMIND_TEST_CMAKE, "--build", build.string(), "-j", "2"});
  ASSERT_EQ(compile.exit_code, 0) << describe(compile);
  ASSERT_TRUE(fs::exists(build / "flowmind-watchlist.so"));

  // The template's own unit tests (they link the logic directly).
  const auto unit_tests = run({(build / "watchlist_test").string()});
  EXPECT_EQ(unit_tests.exit_code, 0) << describe(unit_tests);
  EXPECT_THAT(unit_tests.out, ::testing::HasSubstr("[  PASSED  ]"));

  // Installed where <prefix>/bin/flowmind looks: <prefix>/lib/flowmind/plugins.
  const auto install_plugin = run({FLOWMIND_TEST_CMAKE, "--install", build.string()});
  ASSERT_EQ(install_plugin.exit_code, 0) << describe(install_plugin);
  const auto plugin_folder = prefix / FLOWMIND_TEST_PLUGIN_SUBDIR;
  ASSERT_TRUE(fs::exists(plugin_folder / "flowmind-watchlist.so"));

  PluginRegistry registry;
  registry.load_directory(plugin_folder);
  ASSERT_TRUE(registry.errors().empty()) << registry.errors()[0].message;
  ASSERT_EQ(registry.plugins().size(), 1U);
  EXPECT_EQ(registry.plugins()[0].file, plugin_folder / "flowmind-watchlist.so");
  EXPECT_EQ(registry.plugins()[0].abi_tag, abi_tag);
  const Factory* factory = registry.find("watchlist");
  ASSERT_NE(factory, nullptr);
  EXPECT_EQ(factory->kind(), PluginKind::filter);
  ASSERT_NE(factory->schema().find("tickers"), nullptr);
  EXPECT_TRUE(factory->schema().find("tickers")->is_required());
  ASSERT_NE(factory->schema().find("drop_others"), nullptr);
  EXPECT_EQ(factory->schema().find("drop_others")->default_value(), false);
  // The README's options table is the one the schema generates.
  EXPECT_THAT(testing::read_file(source / "README.md"),
              ::testing::HasSubstr("<!-- options:begin -->\n" + render_options_markdown(factory->schema()) +
                                   "<!-- options:end -->"));

  const Config config(nlohmann::json{{"tickers", {"spy", "QQQ"}}, {"drop_others", true}});
  EXPECT_TRUE(factory->validate(config).empty());
  const auto issues = factory->validate(Config(nlohmann::json{{"tickers", {"SPY", ""}}, {"drop_others", false}}));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "tickers/1");

  auto filter = factory->create_filter(config);
  ASSERT_NE(filter, nullptr);
  CollectingEmitter out;
  Event watched("flow-alerts", R"({"ticker":"SPY","total_premium":250000})");
  EXPECT_EQ(filter->process(watched, out), Filter::Verdict::keep);
  ASSERT_TRUE(watched.annotation("watchlist").has_value());
  EXPECT_EQ(*watched.annotation("watchlist"), "SPY");
  Event other("flow-alerts", R"({"ticker":"IWM"})");
  EXPECT_EQ(filter->process(other, out), Filter::Verdict::drop);
  EXPECT_TRUE(out.events.empty());
  EXPECT_EQ(filter->status(), nlohmann::json({{"watched", 2}, {"matched", 1}, {"dropped", 1}}));
}

}  // namespace
}  // namespace flowmind
