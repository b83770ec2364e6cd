// plugin_search_path(): CLI directories, FLOWMIND_PLUGIN_PATH, the folder beside the executable; dedupe and order.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loader/plugin_registry.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

// Sets FLOWMIND_PLUGIN_PATH (or unsets it) for one test and restores the previous value.
class ScopedPluginPath {
 public:
  explicit ScopedPluginPath(const std::optional<std::string>& value) {
    if (const char* previous = std::getenv("FLOWMIND_PLUGIN_PATH")) previous_ = previous;
    if (value) {
      ::setenv("FLOWMIND_PLUGIN_PATH", value->c_str(), 1);
    } else {
      ::unsetenv("FLOWMIND_PLUGIN_PATH");
    }
  }
  ~ScopedPluginPath() {
    if (previous_) {
      ::setenv("FLOWMIND_PLUGIN_PATH", previous_->c_str(), 1);
    } else {
      ::unsetenv("FLOWMIND_PLUGIN_PATH");
    }
  }
  ScopedPluginPath(const ScopedPluginPath&) = delete;
  ScopedPluginPath& operator=(const ScopedPluginPath&) = delete;

 private:
  std::optional<std::string> previous_;
};

// The tail every search path ends with in this build: the folder beside the test executable
// (build/tests/../lib/flowmind/plugins, the build's plugin folder) and, if it exists, the install folder.
std::vector<fs::path> builtin_tail() {
  const ScopedPluginPath unset(std::nullopt);
  return plugin_search_path({});
}

// A fresh folder with subfolders a, b, c.
class SearchPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a", "b", "c"}) fs::create_directory(temp_.path() / name);
    // The folder beside the executable exists in every build that has plugins; make sure it does here.
    fs::create_directories(testing::plugin_dir());
  }
  [[nodiscard]] fs::path dir(const char* name) const { return fs::canonical(temp_.path() / name); }

  testing::TempDir temp_;
};

std::vector<fs::path> head(const std::vector<fs::path>& all, std::size_t count) {
  return {all.begin(), all.begin() + static_cast<std::ptrdiff_t>(std::min(count, all.size()))};
}

TEST_F(SearchPathTest, IncludesTheFolderBesideTheExecutableWithoutAnyConfiguration) {
  const ScopedPluginPath unset(std::nullopt);
  const auto path = plugin_search_path({});
  ASSERT_FALSE(path.empty());
  EXPECT_EQ(path[0], fs::canonical(testing::plugin_dir()));
  EXPECT_LE(path.size(), 2U);  // plus the configured install folder when it exists
}

TEST_F(SearchPathTest, CliDirectoriesComeFirstThenEnvironmentEntriesInOrder) {
  const ScopedPluginPath env(dir("c").string() + ":" + dir("a").string());
  const auto path = plugin_search_path({dir("b")});
  EXPECT_THAT(head(path, 3), ElementsAre(dir("b"), dir("c"), dir("a")));
  EXPECT_EQ(std::vector<fs::path>(path.begin() + 3, path.end()), builtin_tail());
}

TEST_F(SearchPathTest, IgnoresEmptyEnvironmentEntries) {
  const ScopedPluginPath env("::" + dir("a").string() + "::" + dir("b").string() + ":");
  const auto path = plugin_search_path({});
  EXPECT_THAT(head(path, 2), ElementsAre(dir("a"), dir("b")));
  EXPECT_EQ(path.size(), 2 + builtin_tail().size());
}

TEST_F(SearchPathTest, DropsMissingDirectoriesAndFiles) {
  const auto file = temp_.write("not-a-dir", "x");
  const ScopedPluginPath env((temp_.path() / "missing").string() + ":" + file.string() + ":" + dir("b").string());
  const auto path = plugin_search_path({temp_.path() / "also-missing", dir("a")});
  EXPECT_THAT(head(path, 2), ElementsAre(dir("a"), dir("b")));
  EXPECT_EQ(path.size(), 2 + builtin_tail().size());
}

TEST_F(SearchPathTest, DeduplicatesByCanonicalPathKeepingTheFirstPosition) {
  fs::create_directory_symlink(temp_.path() / "a", temp_.path() / "link-to-a");
  const ScopedPluginPath env((temp_.path() / "link-to-a").string() + ":" + dir("b").string() + ":" +
                             (temp_.path() / "b" / ".." / "a").string() + ":" + testing::plugin_dir().string());
  const auto path = plugin_search_path({dir("a"), temp_.path() / "a" / "."});
  // The build's plugin folder was named explicitly: it keeps that earlier position, once.
  EXPECT_THAT(head(path, 3), ElementsAre(dir("a"), dir("b"), fs::canonical(testing::plugin_dir())));
  const auto tail = builtin_tail();
  EXPECT_EQ(path.size(), 3 + tail.size() - 1);
  for (const auto& entry : path) EXPECT_EQ(std::count(path.begin(), path.end(), entry), 1) << entry;
}

TEST_F(SearchPathTest, ReturnsCanonicalPaths) {
  const ScopedPluginPath env((temp_.path() / "a" / ".." / "b").string());
  const auto path = plugin_search_path({});
  ASSERT_FALSE(path.empty());
  EXPECT_EQ(path[0], dir("b"));
}

}  // namespace
}  // namespace flowmind
