// Path templates: expansion, placeholders refused, names of rotated files, and the files a template matches.
#include <gtest/gtest.h>

#include <filesystem>

#include "path_template.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

namespace fs = std::filesystem;

std::chrono::system_clock::time_point sample_time() {
  return std::chrono::system_clock::from_time_t(1726670327) +
         std::chrono::milliseconds(692);  // 2024-09-18T14:38:47.692Z
}

TEST(PathTemplate, ExpandsStrftimePipelineAndChannel) {
  const PathTemplate path("data/{pipeline}/%Y-%m-%d/{channel}-%H%M.jsonl");
  EXPECT_EQ(path.expand(sample_time(), true, "whale flow", "price:SPY"),
            "data/whale_flow/2024-09-18/price_SPY-1438.jsonl");
  EXPECT_TRUE(path.uses_channel());
  EXPECT_FALSE(PathTemplate("x.jsonl").uses_channel());
}

TEST(PathTemplate, NamesCannotEscapeTheirFolder) {
  EXPECT_EQ(safe_path_component("../etc"), ".._etc");
  EXPECT_EQ(safe_path_component(".."), "_..");
  EXPECT_EQ(safe_path_component("100%"), "100_");  // no strftime field sneaks in through a name
  EXPECT_EQ(PathTemplate("{channel}.jsonl").expand(sample_time(), true, "p", "%Y"), "_Y.jsonl");
}

TEST(PathTemplate, RefusesUnknownPlaceholders) {
  EXPECT_THROW(PathTemplate("data/{chanel}.jsonl"), std::invalid_argument);
  EXPECT_THROW(PathTemplate("data/}x.jsonl"), std::invalid_argument);
  EXPECT_THROW(PathTemplate(""), std::invalid_argument);
  EXPECT_THROW(PathTemplate("data/"), std::invalid_argument);
}

TEST(PathTemplate, RotatedNamesCarryTheCloseTimeBeforeTheExtension) {
  flowmind::testing::TempDir dir;
  const auto first = rotated_path(dir.path() / "flow.jsonl", sample_time());
  EXPECT_EQ(first.filename(), "flow.20240918T143847.692Z.jsonl");
  EXPECT_TRUE(is_rotated_name(first.filename().string()));
  dir.write(first.filename().string(), "");
  EXPECT_EQ(rotated_path(dir.path() / "flow.jsonl", sample_time()).filename(), "flow.20240918T143847.692Z_002.jsonl");
  EXPECT_EQ(rotated_path(dir.path() / "noext", sample_time()).filename(), "noext.20240918T143847.692Z");
  EXPECT_FALSE(is_rotated_name("flow-2024-09-18.jsonl"));
}

TEST(PathTemplate, FindsTheFilesItProducedAndNothingElse) {
  flowmind::testing::TempDir dir;
  for (const auto* name :
       {"p/flow-2024-09-17.jsonl", "p/flow-2024-09-18.jsonl", "p/flow-2024-09-18.20240918T143847.692Z.jsonl.gz",
        "p/flow-2024-09-18.jsonl.gz.part", "p/other.jsonl", "q/flow-2024-09-18.jsonl", "p/deeper/flow-x.jsonl"}) {
    dir.write(name, "");
  }
  const PathTemplate path((dir.path() / "{pipeline}/flow-%Y-%m-%d.jsonl").string());
  std::vector<std::string> names;
  for (const auto& file : path.existing_files("p")) names.push_back(fs::relative(file, dir.path()).generic_string());
  EXPECT_EQ(names,
            (std::vector<std::string>{"p/flow-2024-09-17.jsonl", "p/flow-2024-09-18.20240918T143847.692Z.jsonl.gz",
                                      "p/flow-2024-09-18.jsonl", "p/flow-2024-09-18.jsonl.gz.part"}));
}

}  // namespace
}  // namespace flowmind
