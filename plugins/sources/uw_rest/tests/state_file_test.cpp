// The state file: round trip, atomic replacement, and corrupt or foreign files ignored with a warning.
#include <filesystem>

#include <gtest/gtest.h>

#include "state_file.hpp"
#include "test_support.hpp"

namespace flowmind::uw_rest {
namespace {

using flowmind::testing::TempDir;

TEST(StateFile, RoundTripKeepsTheKeysInOrder) {
  TempDir dir;
  const auto file = dir.path() / "state.json";
  const std::vector<std::string> keys = {"k1", "k2", "k3"};
  save_state(file, keys);
  const auto loaded = load_state(file);
  EXPECT_TRUE(loaded.existed);
  EXPECT_TRUE(loaded.warning.empty()) << loaded.warning;
  EXPECT_EQ(loaded.keys, keys);

  // Replaced, not appended; no temporary file is left beside it.
  save_state(file, {"k4"});
  EXPECT_EQ(load_state(file).keys, (std::vector<std::string>{"k4"}));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1U);
}

TEST(StateFile, AMissingFileIsAnEmptyStartWithoutWarning) {
  TempDir dir;
  const auto loaded = load_state(dir.path() / "none.json");
  EXPECT_FALSE(loaded.existed);
  EXPECT_TRUE(loaded.keys.empty());
  EXPECT_TRUE(loaded.warning.empty());
}

TEST(StateFile, ACorruptFileIsAWarningAndAnEmptyStart) {
  TempDir dir;
  for (const std::string& text :
       {std::string("{\"version\":1,\"keys\":[\"a\","), std::string("[1,2]"),
        std::string("{\"version\":2,\"keys\":[]}"), std::string("{\"version\":1,\"keys\":[1]}"), std::string("")}) {
    const auto file = dir.write("state.json", text);
    const auto loaded = load_state(file);
    EXPECT_TRUE(loaded.existed);
    EXPECT_TRUE(loaded.keys.empty()) << text;
    EXPECT_NE(loaded.warning.find("state.json"), std::string::npos) << text;
    EXPECT_NE(loaded.warning.find("starting with no remembered records"), std::string::npos) << loaded.warning;
  }
}

TEST(StateFile, SavingIntoAMissingFolderFailsWithThePath) {
  TempDir dir;
  const auto file = dir.path() / "missing" / "state.json";
  try {
    save_state(file, {"a"});
    FAIL() << "saved into a missing folder";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("missing"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace flowmind::uw_rest
