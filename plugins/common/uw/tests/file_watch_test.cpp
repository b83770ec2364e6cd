// Tests of file change detection: throttled looks, modification time and size, deleted files.
#include "uw/file_watch.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace flowmind::uw {
namespace {

using namespace std::chrono_literals;

class FileWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("uw_watch_test_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(dir_);
    path_ = dir_ / "list.txt";
    write("SPY\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& text) { std::ofstream(path_, std::ios::binary | std::ios::trunc) << text; }
  // Moves the modification time explicitly: two writes within one clock tick may share a time.
  void touch(int seconds_later) {
    std::filesystem::last_write_time(path_,
                                     std::filesystem::last_write_time(path_) + std::chrono::seconds(seconds_later));
  }
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

TEST_F(FileWatchTest, ReportsAChangeOnceAfterTheInterval) {
  FileWatch watch(path_, 1s);
  watch.mark_loaded();
  const auto start = FileWatch::Clock::now();
  EXPECT_FALSE(watch.due(start + 2s));  // nothing changed
  write("SPY\n");
  touch(5);
  EXPECT_FALSE(watch.due(start + 2s + 500ms));  // changed, but looked less than 1s ago
  EXPECT_TRUE(watch.due(start + 3s + 100ms));
  EXPECT_FALSE(watch.due(start + 5s));  // reported once
}

TEST_F(FileWatchTest, SizeChangeAloneCounts) {
  FileWatch watch(path_, 0ms);
  watch.mark_loaded();
  const auto mtime = std::filesystem::last_write_time(path_);
  write("SPY\nQQQ\n");
  std::filesystem::last_write_time(path_, mtime);
  EXPECT_TRUE(watch.due(FileWatch::Clock::now() + 1ms));
}

TEST_F(FileWatchTest, DeletedFileIsNotAChangeAndItsReturnIs) {
  FileWatch watch(path_, 0ms);
  watch.mark_loaded();
  std::filesystem::remove(path_);
  EXPECT_FALSE(watch.due(FileWatch::Clock::now() + 1ms));
  write("QQQ\n");
  touch(10);
  EXPECT_TRUE(watch.due(FileWatch::Clock::now() + 2ms));
}

}  // namespace
}  // namespace flowmind::uw
