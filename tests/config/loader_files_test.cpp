// Loading from real files and directories: sorting, limits, unreadable paths, names unique across files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "config_test_support.hpp"
#include "test_support.hpp"

namespace flowmind::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string minimal(const std::string& name) {
  return "pipeline: " + name + "\nsource: {type: generator}\nsinks: [{type: console}]\n";
}

LoadResult load_paths(const std::vector<std::filesystem::path>& paths) {
  return load_pipelines(paths, test_catalog(), fake_env());
}

std::vector<std::string> names(const LoadResult& result) {
  std::vector<std::string> out;
  for (const auto& spec : result.pipelines) out.push_back(spec.name);
  return out;
}

TEST(LoaderFilesTest, LoadsYamlFilesDirectlyInADirectorySortedByName) {
  TempDir dir;
  dir.write("b.yaml", minimal("bravo"));
  dir.write("a.yml", minimal("alpha") + "---\n" + minimal("alpha-2"));
  dir.write("c.yaml", minimal("charlie"));
  dir.write("notes.txt", "not: [yaml");                        // other extensions are ignored
  dir.write(".hidden.yaml", "not: [yaml");                     // so are hidden files
  dir.write("nested/d.yaml", "not: [yaml");                    // and subdirectories (not recursive)
  std::filesystem::create_directory(dir.path() / "dir.yaml");  // a directory named *.yaml is no file
  const auto result = load_paths({dir.path()});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  EXPECT_THAT(names(result), ElementsAre("alpha", "alpha-2", "bravo", "charlie"));
  EXPECT_EQ(result.pipelines[2].location.file, (dir.path() / "b.yaml").string());
}

TEST(LoaderFilesTest, FilesAndDirectoriesCombineInTheOrderGiven) {
  TempDir dir;
  const auto single = dir.write("single.yaml", minimal("single"));
  dir.write("many/x.yaml", minimal("x"));
  dir.write("many/w.yaml", minimal("w"));
  const auto result = load_paths({single, dir.path() / "many"});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  EXPECT_THAT(names(result), ElementsAre("single", "w", "x"));
}

TEST(LoaderFilesTest, AFileNamedTwiceIsLoadedOnce) {
  TempDir dir;
  const auto file = dir.write("only.yaml", minimal("only"));
  const auto result = load_paths({file, dir.path(), dir.path() / "." / "only.yaml"});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  EXPECT_THAT(names(result), ElementsAre("only"));
}

TEST(LoaderFilesTest, DuplicateNamesAcrossFilesNameTheFirstPlace) {
  TempDir dir;
  const auto first = dir.write("first.yaml", minimal("same"));
  const auto second = dir.write("second.yaml", "# the same name again\n" + minimal("same"));
  const auto result = load_paths({dir.path()});
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.pipelines, IsEmpty());
  EXPECT_THAT(printed(result), ElementsAre(second.string() +
                                           ":2:11: error: duplicate pipeline name 'same' (first "
                                           "defined at " +
                                           first.string() + ":1:11)"));
}

TEST(LoaderFilesTest, ErrorsOfEveryFileAreReportedWithTheirFileName) {
  TempDir dir;
  const auto good = dir.write("a-good.yaml", minimal("good"));
  const auto bad =
      dir.write("b-bad.yaml", "pipeline: bad\nsource: {type: generator, rate: x}\nsinks: [{type: console}]\n");
  const auto broken = dir.write("c-broken.yaml", "pipeline: [\n");
  const auto result = load_paths({dir.path()});
  EXPECT_FALSE(result.ok());
  // One bad file means nothing runs, not even the good pipelines.
  EXPECT_THAT(result.pipelines, IsEmpty());
  EXPECT_THAT(printed(result),
              ElementsAre(bad.string() + ":2:33: error: rate: expected a number, got \"x\"",
                          broken.string() + ":2:1: error: invalid YAML: end of sequence flow not found"));
}

TEST(LoaderFilesTest, UnreadableAndEmptyPathsAreReported) {
  TempDir dir;
  const auto missing = dir.path() / "missing.yaml";
  const auto empty_dir = dir.path() / "empty";
  std::filesystem::create_directory(empty_dir);
  dir.write("empty/readme.md", "no pipelines here");
  const auto comments = dir.write("comments.yaml", "# nothing yet\n");
  const auto result = load_paths({missing, empty_dir, comments, "/dev/null"});
  EXPECT_THAT(printed(result),
              ElementsAre(missing.string() + ": error: cannot read: No such file or directory",
                          empty_dir.string() + ": error: no pipeline found: the directory has no *.yaml or *.yml files",
                          comments.string() + ": error: no pipeline found: the file has no YAML document",
                          "/dev/null: error: cannot read: not a regular file or directory"));
  EXPECT_THAT(printed(load_paths({})), ElementsAre("error: no pipeline files given"));
}

TEST(LoaderFilesTest, FilesLargerThanOneMebibyteAreRefusedUnread) {
  TempDir dir;
  const auto big = dir.write("big.yaml", minimal("big") + "# " + std::string(1024 * 1024, 'x') + "\n");
  const auto just_fits = dir.write("fits.yaml", minimal("fits") + "# " + std::string(1024 * 1024 - 100, 'x') + "\n");
  ASSERT_LE(std::filesystem::file_size(just_fits), 1024U * 1024U);
  const auto result = load_paths({big, just_fits});
  EXPECT_THAT(
      printed(result),
      ElementsAre(big.string() + ": error: file is larger than 1 MiB, the limit for pipeline definitions; refused"));
  EXPECT_TRUE(load_paths({just_fits}).ok());
}

}  // namespace
}  // namespace flowmind::testing
