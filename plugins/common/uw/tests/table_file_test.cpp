// Tests of table files (CSV with quotes, YAML shapes) and word lists, with real files.
#include "uw/table_file.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace flowmind::uw {
namespace {

TEST(Csv, HeaderRowsQuotesAndComments) {
  const auto table = parse_csv(
      "\xEF\xBB\xBFname, party ,chamber\r\n"
      "# a comment line\n"
      "\n"
      "Nancy Pelosi,D,house\n"
      "\"Cohen, Stephen\",D,\"house\"\n"
      "\"Quote \"\"Q\"\" Man\",I\n"
      "\"Two\nLines\",R,senate\n",
      "members.csv");
  EXPECT_EQ(table.columns, (std::vector<std::string>{"name", "party", "chamber"}));
  ASSERT_EQ(table.rows.size(), 4U);
  EXPECT_EQ(table.rows[0], (std::vector<std::string>{"Nancy Pelosi", "D", "house"}));
  EXPECT_EQ(table.rows[1][0], "Cohen, Stephen");
  EXPECT_EQ(table.rows[2], (std::vector<std::string>{"Quote \"Q\" Man", "I", ""}));
  EXPECT_EQ(table.rows[3][0], "Two\nLines");
  EXPECT_EQ(table.column("party"), 1);
  EXPECT_EQ(table.column("nope"), -1);
}

TEST(Csv, ErrorsNameTheFileAndLine) {
  try {
    parse_csv("a,b\n1,2\n1,2,3\n", "t.csv");
    FAIL();
  } catch (const TableError& error) {
    EXPECT_STREQ(error.what(), "t.csv:3: 3 cells, the header has 2");
  }
  EXPECT_THROW(parse_csv("a,b\n\"open,2\n", "t.csv"), TableError);
  EXPECT_THROW(parse_csv("", "t.csv"), TableError);
  EXPECT_THROW(parse_csv("a,,c\n", "t.csv"), TableError);
}

TEST(Yaml, ListOfMaps) {
  const auto table = parse_yaml_table("- {name: A, party: D}\n- {name: B, state: TX}\n", "t.yaml");
  EXPECT_EQ(table.columns, (std::vector<std::string>{"name", "party", "state"}));
  ASSERT_EQ(table.rows.size(), 2U);
  EXPECT_EQ(table.rows[0], (std::vector<std::string>{"A", "D", ""}));
  EXPECT_EQ(table.rows[1], (std::vector<std::string>{"B", "", "TX"}));
}

TEST(Yaml, MapOfMapsAndMapOfScalars) {
  const auto members = parse_yaml_table("Nancy Pelosi: {party: D}\nDan Crenshaw:\n  party: R\n  state: TX\n", "t.yaml");
  EXPECT_EQ(members.columns, (std::vector<std::string>{"key", "party", "state"}));
  ASSERT_EQ(members.rows.size(), 2U);
  EXPECT_EQ(members.rows[1], (std::vector<std::string>{"Dan Crenshaw", "R", "TX"}));
  const auto closes = parse_yaml_table("SPY: 560.5\nQQQ: \"478\"\n", "t.yaml");
  EXPECT_EQ(closes.columns, (std::vector<std::string>{"key", "value"}));
  EXPECT_EQ(closes.rows[0], (std::vector<std::string>{"SPY", "560.5"}));
}

TEST(Yaml, Errors) {
  EXPECT_THROW(parse_yaml_table("- [1, 2]\n", "t.yaml"), TableError);
  EXPECT_THROW(parse_yaml_table("a: {b: 1}\nc: 2\n", "t.yaml"), TableError);
  EXPECT_THROW(parse_yaml_table("key: [unclosed\n", "t.yaml"), TableError);
  EXPECT_THROW(parse_yaml_table("just text", "t.yaml"), TableError);
  EXPECT_THROW(parse_yaml_table("", "t.yaml"), TableError);
  EXPECT_THROW(parse_yaml_table("- {a: {nested: 1}}\n", "t.yaml"), TableError);
}

TEST(WordList, SeparatorsAndComments) {
  EXPECT_EQ(parse_word_list("SPY, QQQ\n# comment NVDA\nAAPL # trailing TSLA\n\tIWM;DIA"),
            (std::vector<std::string>{"SPY", "QQQ", "AAPL", "IWM", "DIA"}));
  EXPECT_TRUE(parse_word_list("# nothing\n\n").empty());
}

class TableFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("uw_table_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(TableFiles, LoadsByExtension) {
  EXPECT_EQ(load_table(write("a.csv", "k,v\nx,1\n")).rows.size(), 1U);
  EXPECT_EQ(load_table(write("a.YAML", "x: 1\ny: 2\n")).rows.size(), 2U);
  EXPECT_EQ(load_table(write("a.json", R"([{"k":"x"}])")).columns, (std::vector<std::string>{"k"}));
  EXPECT_EQ(load_word_list(write("s.txt", "SPY QQQ")).size(), 2U);
}

TEST_F(TableFiles, MissingAndOversizedFiles) {
  EXPECT_THROW(load_table(dir_ / "missing.csv"), TableError);
  const auto big = write("big.txt", std::string(100, 'x'));
  EXPECT_THROW(read_text_file(big, 10), TableError);
  EXPECT_EQ(read_text_file(big, 100).size(), 100U);
}

}  // namespace
}  // namespace flowmind::uw
