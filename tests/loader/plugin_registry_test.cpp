// PluginRegistry against real plugin libraries: a good one and one for every refusal the loader makes.
#include "loader/plugin_registry.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flowmind/flowmind.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path good_plugin = LOADER_TEST_PLUGIN_GOOD;
const fs::path wrong_major_plugin = LOADER_TEST_PLUGIN_WRONG_MAJOR;
const fs::path newer_minor_plugin = LOADER_TEST_PLUGIN_NEWER_MINOR;
const fs::path wrong_abi_plugin = LOADER_TEST_PLUGIN_WRONG_ABI;
const fs::path no_factory_plugin = LOADER_TEST_PLUGIN_NO_FACTORY;
const fs::path duplicate_name_plugin = LOADER_TEST_PLUGIN_DUPLICATE_NAME;
const fs::path bad_kind_plugin = LOADER_TEST_PLUGIN_BAD_KIND;
const fs::path sink_kind_plugin = LOADER_TEST_PLUGIN_SINK_KIND;
const fs::path missing_symbols_plugin = LOADER_TEST_PLUGIN_MISSING_SYMBOLS;
const fs::path unresolved_plugin = LOADER_TEST_PLUGIN_UNRESOLVED;

const std::string engine_version =
    "SDK " + std::to_string(FLOWMIND_SDK_VERSION_MAJOR) + "." + std::to_string(FLOWMIND_SDK_VERSION_MINOR);

class CollectingEmitter final : public Emitter {
 public:
  void emit(Event event) override { events.push_back(std::move(event)); }
  std::vector<Event> events;
};

class BuiltInFactory final : public FilterFactory {
 public:
  explicit BuiltInFactory(std::string name) : name_(std::move(name)) {}
  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] std::string_view summary() const override { return "built-in test filter"; }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<Filter> create(const Config& /*config*/) const override { return nullptr; }

 private:
  std::string name_;
  Schema schema_;
};

// Loads `file` into a fresh registry, expecting a refusal, and returns the single error message.
std::string refusal_of(const fs::path& file) {
  PluginRegistry registry;
  EXPECT_FALSE(registry.load_file(file));
  EXPECT_TRUE(registry.plugins().empty());
  EXPECT_TRUE(registry.names().empty());
  if (registry.errors().size() != 1) {
    ADD_FAILURE() << "expected exactly one error, got " << registry.errors().size();
    return {};
  }
  EXPECT_EQ(registry.errors()[0].file, file);
  return registry.errors()[0].message;
}

TEST(PluginRegistry, LoadsGoodPluginAndItsFactoryCreatesAWorkingFilter) {
  PluginRegistry registry;
  ASSERT_TRUE(registry.load_file(good_plugin)) << (registry.errors().empty() ? "" : registry.errors()[0].message);
  EXPECT_TRUE(registry.errors().empty());
  ASSERT_EQ(registry.plugins().size(), 1U);
  const auto& loaded = registry.plugins()[0];
  EXPECT_EQ(loaded.file, good_plugin);
  EXPECT_EQ(loaded.sdk_major, FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(loaded.sdk_minor, FLOWMIND_SDK_VERSION_MINOR);
  EXPECT_EQ(loaded.abi_tag, abi_tag);
  EXPECT_EQ(registry.names(), std::vector<std::string>{"loader_test_stamp"});

  const Factory* factory = registry.find("loader_test_stamp");
  ASSERT_NE(factory, nullptr);
  EXPECT_EQ(factory, loaded.factory);
  EXPECT_EQ(factory->kind(), PluginKind::filter);
  ASSERT_NE(factory->schema().find("value"), nullptr);
  EXPECT_TRUE(factory->schema().find("value")->is_required());
  EXPECT_EQ(registry.find("no_such_plugin"), nullptr);

  auto filter = factory->create_filter(Config(nlohmann::json{{"key", "desk"}, {"value", "options"}}));
  ASSERT_NE(filter, nullptr);
  CollectingEmitter out;
  Event kept("flow-alerts", R"({"ticker":"SPY"})");
  EXPECT_EQ(filter->process(kept, out), Filter::Verdict::keep);
  ASSERT_TRUE(kept.annotation("desk").has_value());
  EXPECT_EQ(*kept.annotation("desk"), "options");
  EXPECT_EQ(kept.payload(), nlohmann::json({{"ticker", "SPY"}}));  // the upstream payload stays as it was
  Event dropped("flow-alerts", R"({"drop":true})");
  EXPECT_EQ(filter->process(dropped, out), Filter::Verdict::drop);
  EXPECT_FALSE(dropped.annotation("desk").has_value());
  EXPECT_TRUE(out.events.empty());
  // A factory that is not a source says so instead of crashing.
  EXPECT_THROW((void)factory->create_source(Config()), PluginError);
}

TEST(PluginRegistry, RefusesADifferentMajorVersionNamingFileAndBothVersions) {
  const auto message = refusal_of(wrong_major_plugin);
  EXPECT_THAT(message, HasSubstr(wrong_major_plugin.string() + ": "));
  EXPECT_THAT(message, HasSubstr("built for FlowMind SDK " + std::to_string(FLOWMIND_SDK_VERSION_MAJOR + 1) + "." +
                                 std::to_string(FLOWMIND_SDK_VERSION_MINOR)));
  EXPECT_THAT(message, HasSubstr("this engine is " + engine_version));
  EXPECT_THAT(message, HasSubstr("the major version must match"));
}

TEST(PluginRegistry, RefusesANewerMinorVersionNamingFileAndBothVersions) {
  const auto message = refusal_of(newer_minor_plugin);
  EXPECT_THAT(message, HasSubstr(newer_minor_plugin.string() + ": "));
  EXPECT_THAT(message, HasSubstr("built for FlowMind SDK " + std::to_string(FLOWMIND_SDK_VERSION_MAJOR) + "." +
                                 std::to_string(FLOWMIND_SDK_VERSION_MINOR + 1)));
  EXPECT_THAT(message, HasSubstr("newer than this engine's " + engine_version));
}

TEST(PluginRegistry, RefusesADifferentAbiTagShowingBothTags) {
  const auto message = refusal_of(wrong_abi_plugin);
  EXPECT_THAT(message, HasSubstr(wrong_abi_plugin.string() + ": ABI mismatch"));
  EXPECT_THAT(message, HasSubstr("'gcc-0;libstdc++-0-cxx11abi0;boost-0;nlohmann-0.0'"));
  EXPECT_THAT(message, HasSubstr(std::string("'") + abi_tag + "'"));
}

TEST(PluginRegistry, RefusesALibraryWithoutTheVersionSymbols) {
  const auto message = refusal_of(missing_symbols_plugin);
  EXPECT_EQ(message, missing_symbols_plugin.string() +
                         ": not a FlowMind plugin: missing symbol flowmind_sdk_version_major, "
                         "flowmind_sdk_version_minor, flowmind_abi_tag");
}

TEST(PluginRegistry, RefusesAPluginWithoutAFactory) {
  const auto message = refusal_of(no_factory_plugin);
  EXPECT_THAT(message,
              HasSubstr(no_factory_plugin.string() + ": not a FlowMind plugin: missing symbol flowmind_factory"));
}

TEST(PluginRegistry, RefusesAFactoryOfAnInvalidKind) {
  const auto message = refusal_of(bad_kind_plugin);
  EXPECT_EQ(message, bad_kind_plugin.string() +
                         ": the factory of plugin 'loader_test_bad_kind' has an invalid kind (7): expected source, "
                         "filter or sink");
}

TEST(PluginRegistry, AcceptsEveryValidKind) {
  PluginRegistry registry;
  ASSERT_TRUE(registry.load_file(sink_kind_plugin));
  ASSERT_NE(registry.find("loader_test_sink_kind"), nullptr);
  EXPECT_EQ(registry.find("loader_test_sink_kind")->kind(), PluginKind::sink);
}

TEST(PluginRegistry, ReportsTheDynamicLoadersMessageWhenDlopenFails) {
  const auto message = refusal_of(unresolved_plugin);
  EXPECT_THAT(message, HasSubstr(unresolved_plugin.string() + ": cannot load: "));
  EXPECT_THAT(message, HasSubstr("undefined symbol: flowmind_loader_test_symbol_nobody_defines"));
}

TEST(PluginRegistry, RefusesAFileThatIsNotASharedLibrary) {
  testing::TempDir temp;
  const auto file = temp.write("flowmind-text.so", "this is not an ELF file\n");
  const auto message = refusal_of(file);
  EXPECT_THAT(message, HasSubstr(file.string() + ": cannot load: "));
  EXPECT_GT(message.size(), (file.string() + ": cannot load: ").size());
}

TEST(PluginRegistry, RefusesAMissingFile) {
  testing::TempDir temp;
  const auto file = temp.path() / "flowmind-absent.so";
  const auto message = refusal_of(file);
  EXPECT_THAT(message, HasSubstr(file.string() + ": cannot load: "));
  EXPECT_THAT(message, HasSubstr("No such file"));
}

TEST(PluginRegistry, RefusesATakenNameNamingBothFiles) {
  PluginRegistry registry;
  ASSERT_TRUE(registry.load_file(good_plugin));
  EXPECT_FALSE(registry.load_file(duplicate_name_plugin));
  ASSERT_EQ(registry.errors().size(), 1U);
  EXPECT_EQ(registry.errors()[0].file, duplicate_name_plugin);
  EXPECT_EQ(
      registry.errors()[0].message,
      duplicate_name_plugin.string() + ": plugin name 'loader_test_stamp' is already taken by " + good_plugin.string());
  ASSERT_EQ(registry.plugins().size(), 1U);
  EXPECT_EQ(registry.plugins()[0].file, good_plugin);
  EXPECT_EQ(registry.find("loader_test_stamp"), registry.plugins()[0].factory);
}

TEST(PluginRegistry, RefusesAPluginWhoseNameABuiltInFactoryHas) {
  PluginRegistry registry;
  const BuiltInFactory built_in("loader_test_stamp");
  ASSERT_TRUE(registry.add(built_in));
  EXPECT_FALSE(registry.load_file(good_plugin));
  ASSERT_EQ(registry.errors().size(), 1U);
  EXPECT_EQ(registry.errors()[0].message, good_plugin.string() +
                                              ": plugin name 'loader_test_stamp' is already taken by a plugin "
                                              "built into the engine");
  EXPECT_EQ(registry.find("loader_test_stamp"), &built_in);
}

TEST(PluginRegistry, AddRegistersBuiltInFactoriesAndRefusesTakenNames) {
  PluginRegistry registry;
  const BuiltInFactory first("zeta");
  const BuiltInFactory second("alpha");
  const BuiltInFactory clash("zeta");
  EXPECT_TRUE(registry.add(first));
  EXPECT_TRUE(registry.add(second));
  EXPECT_FALSE(registry.add(clash));
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_EQ(registry.find("zeta"), &first);
  ASSERT_EQ(registry.plugins().size(), 2U);
  EXPECT_TRUE(registry.plugins()[0].file.empty());
  EXPECT_EQ(registry.plugins()[0].sdk_major, FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(registry.plugins()[0].abi_tag, abi_tag);
  ASSERT_EQ(registry.errors().size(), 1U);
  EXPECT_EQ(registry.errors()[0].message,
            "built-in plugin: plugin name 'zeta' is already taken by a plugin built into the engine");
}

TEST(PluginRegistry, SkipsTheSameFileLoadedTwiceSilently) {
  testing::TempDir temp;
  const auto link = temp.path() / "flowmind-link.so";
  fs::create_symlink(good_plugin, link);
  PluginRegistry registry;
  EXPECT_TRUE(registry.load_file(good_plugin));
  EXPECT_TRUE(registry.load_file(good_plugin));
  EXPECT_TRUE(registry.load_file(link));  // same canonical file
  EXPECT_TRUE(registry.errors().empty());
  EXPECT_EQ(registry.plugins().size(), 1U);
}

TEST(PluginRegistry, LoadDirectoryLoadsOnlyPluginFilesDirectlyInsideInNameOrder) {
  testing::TempDir temp;
  const auto& dir = temp.path();
  fs::create_symlink(duplicate_name_plugin, dir / "flowmind-a.so");  // also named loader_test_stamp
  fs::create_symlink(good_plugin, dir / "flowmind-b.so");
  fs::create_symlink(wrong_major_plugin, dir / "flowmind-c.so");
  fs::create_symlink(missing_symbols_plugin, dir / "libnot-a-plugin.so");  // wrong file name: never opened
  temp.write("flowmind-notes.txt", "not a plugin");
  temp.write("flowmind-.so", "no name");
  fs::create_directory(dir / "flowmind-folder.so");
  fs::create_directory(dir / "nested");
  fs::create_symlink(sink_kind_plugin, dir / "nested" / "flowmind-nested.so");  // not directly inside

  PluginRegistry registry;
  registry.load_directory(dir);
  ASSERT_EQ(registry.plugins().size(), 1U);
  EXPECT_EQ(registry.plugins()[0].file, dir / "flowmind-a.so");
  EXPECT_EQ(registry.names(), std::vector<std::string>{"loader_test_stamp"});
  ASSERT_EQ(registry.errors().size(), 2U);
  EXPECT_EQ(registry.errors()[0].message, (dir / "flowmind-b.so").string() +
                                              ": plugin name 'loader_test_stamp' is already taken by " +
                                              (dir / "flowmind-a.so").string());
  EXPECT_EQ(registry.errors()[1].file, dir / "flowmind-c.so");
  EXPECT_THAT(registry.errors()[1].message, HasSubstr("the major version must match"));
}

TEST(PluginRegistry, LoadDirectoryReportsAnUnreadableDirectory) {
  testing::TempDir temp;
  const auto missing = temp.path() / "missing";
  PluginRegistry registry;
  registry.load_directory(missing);
  ASSERT_EQ(registry.errors().size(), 1U);
  EXPECT_EQ(registry.errors()[0].file, missing);
  EXPECT_THAT(registry.errors()[0].message, HasSubstr(missing.string() + ": cannot read the plugin directory: "));
  EXPECT_TRUE(registry.plugins().empty());
}

TEST(PluginRegistry, LoadSearchPathGivesEarlierDirectoriesPrecedence) {
  testing::TempDir first;
  testing::TempDir second;
  fs::create_symlink(duplicate_name_plugin, first.path() / "flowmind-z.so");
  fs::create_symlink(good_plugin, second.path() / "flowmind-a.so");
  fs::create_symlink(sink_kind_plugin, second.path() / "flowmind-b.so");

  PluginRegistry registry;
  registry.load_search_path({first.path(), second.path()});
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"loader_test_sink_kind", "loader_test_stamp"}));
  EXPECT_EQ(registry.plugins()[0].file, first.path() / "flowmind-z.so");
  ASSERT_EQ(registry.errors().size(), 1U);
  EXPECT_EQ(registry.errors()[0].file, second.path() / "flowmind-a.so");
  EXPECT_THAT(registry.errors()[0].message, HasSubstr("already taken by " + (first.path() / "flowmind-z.so").string()));
}

// dlopen with RTLD_NOLOAD only finds libraries that are still mapped.
bool still_loaded(const fs::path& file) {
  void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  ::dlclose(handle);  // drops only the reference this probe took
  return true;
}

TEST(PluginRegistry, NeverUnloadsLibrariesEvenRefusedOnesOrAfterTheRegistryIsGone) {
  // Fresh copies: files no other test in this process can have opened.
  testing::TempDir temp;
  const auto good = temp.path() / "flowmind-good.so";
  const auto refused = temp.path() / "flowmind-refused.so";
  const auto not_plugin = temp.path() / "flowmind-not-plugin.so";
  fs::copy_file(good_plugin, good);
  fs::copy_file(wrong_major_plugin, refused);
  fs::copy_file(missing_symbols_plugin, not_plugin);
  ASSERT_FALSE(still_loaded(good));
  ASSERT_FALSE(still_loaded(refused));
  ASSERT_FALSE(still_loaded(not_plugin));
  {
    PluginRegistry registry;
    ASSERT_TRUE(registry.load_file(good));
    ASSERT_FALSE(registry.load_file(refused));
    ASSERT_FALSE(registry.load_file(not_plugin));
  }
  EXPECT_TRUE(still_loaded(good));
  EXPECT_TRUE(still_loaded(refused));
  EXPECT_TRUE(still_loaded(not_plugin));
}

}  // namespace
}  // namespace flowmind
