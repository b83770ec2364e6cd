// file_writer on real files: envelope lines, templates, rotation boundaries, gzip, retention, CSV, fsync, errors.
#include <sys/stat.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "file_writer.hpp"
#include "plugin_test_context.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using flowmind::testing::TempDir;
using flowmind::testing::TestStageContext;
using flowmind::testing::wait_until;
using flowmind::testing::with_defaults;

Event::Clock::time_point at(const std::string& iso) {
  std::tm fields{};
  int millis = 0;
  std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d.%d", &fields.tm_year, &fields.tm_mon, &fields.tm_mday, &fields.tm_hour,
              &fields.tm_min, &fields.tm_sec, &millis);
  fields.tm_year -= 1900;
  fields.tm_mon -= 1;
  return Event::Clock::from_time_t(timegm(&fields)) + std::chrono::milliseconds(millis);
}

EventPtr event(const std::string& channel, const std::string& raw,
               Event::Clock::time_point time = at("2024-09-18T14:00:00.000")) {
  return std::make_shared<const Event>(channel, raw, time);
}

std::vector<std::string> lines_of(const fs::path& file) {
  std::vector<std::string> lines;
  std::istringstream in(flowmind::testing::read_file(file));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string gunzip(const fs::path& file) {
  gzFile gz = gzopen(file.c_str(), "rb");
  if (gz == nullptr) return "<cannot open>";
  std::string text;
  char buffer[4096];
  int got = 0;
  while ((got = gzread(gz, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(got));
  gzclose(gz);
  return text;
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A writer started on a test context; flushed and stopped by the test or at scope exit.
struct Writer {
  Writer(const nlohmann::json& values, const std::string& pipeline = "test")
      : ctx(pipeline), sink(with_defaults(file_writer_schema(), values)) {
    sink.start(ctx);
  }
  ~Writer() { close(); }
  void close() {
    if (closed) return;
    closed = true;
    sink.flush();
    sink.stop();
  }
  TestStageContext ctx;
  FileWriter sink;
  bool closed = false;
};

TEST(FileWriter, WritesTheEnvelopeAsOneLinePerEvent) {
  TempDir dir;
  const auto path = dir.path() / "out.jsonl";
  Writer writer(nlohmann::json{{"path", path.string()}});
  auto annotated = std::make_shared<Event>("flow-alerts", R"({"ticker":"DIA","total_premium":36466})",
                                           at("2024-09-18T14:32:07.692"));
  annotated->annotate("sentiment", "bullish");
  const std::vector<EventPtr> events = {event("price:SPY", R"({"close":"562.82","time":1726670327692})"), annotated,
                                        event("news", "{\n  \"headline\": \"pretty\"\n}")};
  for (const auto& e : events) writer.sink.consume(e);
  writer.close();

  const auto lines = lines_of(path);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0], events[0]->wire());
  EXPECT_EQ(lines[1], events[1]->wire());
  EXPECT_EQ(nlohmann::json::parse(lines[1])["annotations"]["sentiment"], "bullish");
  EXPECT_EQ(nlohmann::json::parse(lines[1])["timestamp"], "2024-09-18T14:32:07.692Z");
  // The pretty-printed payload still takes exactly one line and parses.
  EXPECT_EQ(nlohmann::json::parse(lines[2])["data"]["headline"], "pretty");
  EXPECT_EQ(writer.ctx.value("events_written"), 3U);
  EXPECT_EQ(writer.ctx.value("events_synced"), 3U);
}

TEST(FileWriter, ExpandsPipelineChannelAndTimeInThePath) {
  TempDir dir;
  Writer writer(nlohmann::json{{"path", (dir.path() / "{pipeline}/{channel}-%Y%m%d-%H.jsonl").string()}}, "whales");
  writer.sink.consume(event("flow-alerts", "{}", at("2024-09-18T14:00:00.000")));
  writer.sink.consume(event("price:SPY", "{}", at("2024-09-18T14:10:00.000")));
  writer.sink.consume(event("flow-alerts", "{}", at("2024-09-18T15:00:00.000")));
  writer.close();
  EXPECT_EQ(lines_of(dir.path() / "whales/flow-alerts-20240918-14.jsonl").size(), 1U);
  EXPECT_EQ(lines_of(dir.path() / "whales/price_SPY-20240918-14.jsonl").size(), 1U);
  EXPECT_EQ(lines_of(dir.path() / "whales/flow-alerts-20240918-15.jsonl").size(), 1U);
}

TEST(FileWriter, RotatesBeforeAFileWouldPassTheSizeLimit) {
  TempDir dir;
  const auto path = dir.path() / "flow.jsonl";
  const auto sample = event("flow-alerts", R"({"n":1})");
  const std::size_t line = sample->wire().size() + 1;
  // Exactly three lines fit: the fourth starts a new file.
  Writer writer(nlohmann::json{{"path", path.string()}, {"rotate_size", 3 * line}});
  for (int i = 0; i < 7; ++i) writer.sink.consume(event("flow-alerts", R"({"n":)" + std::to_string(i % 10) + "}"));
  writer.close();

  const auto files = files_in(dir.path());
  ASSERT_EQ(files.size(), 3U);
  std::size_t rotated = 0;
  for (const auto& file : files) {
    if (file == path) {
      EXPECT_EQ(fs::file_size(file), line);
    } else {
      ++rotated;
      EXPECT_EQ(fs::file_size(file), 3 * line) << file;
      EXPECT_TRUE(is_rotated_name(file.filename().string())) << file;
      EXPECT_EQ(file.extension(), ".jsonl");
    }
  }
  EXPECT_EQ(rotated, 2U);
  EXPECT_EQ(writer.ctx.value("rotations"), 2U);
  // Rotated names sort in the order they were written.
  EXPECT_EQ(nlohmann::json::parse(lines_of(files[0]).front())["data"]["n"], 0);
  EXPECT_EQ(nlohmann::json::parse(lines_of(files[1]).front())["data"]["n"], 3);
}

TEST(FileWriter, RotatesExactlyAtTheIntervalBoundary) {
  TempDir dir;
  const auto path = dir.path() / "flow.jsonl";
  Writer writer(nlohmann::json{{"path", path.string()}, {"rotate_interval", "1h"}});
  writer.sink.consume(event("a", R"({"n":1})", at("2024-09-18T09:00:00.000")));
  writer.sink.consume(event("a", R"({"n":2})", at("2024-09-18T09:59:59.999")));
  writer.sink.consume(event("a", R"({"n":3})", at("2024-09-18T10:00:00.000")));
  writer.sink.consume(event("a", R"({"n":4})", at("2024-09-18T10:59:59.999")));
  writer.close();

  const auto files = files_in(dir.path());
  ASSERT_EQ(files.size(), 2U);
  const fs::path rotated = files[0] == path ? files[1] : files[0];
  EXPECT_EQ(rotated.filename(), "flow.20240918T100000.000Z.jsonl");
  const auto old_lines = lines_of(rotated);
  ASSERT_EQ(old_lines.size(), 2U);
  EXPECT_EQ(nlohmann::json::parse(old_lines[1])["data"]["n"], 2);
  const auto new_lines = lines_of(path);
  ASSERT_EQ(new_lines.size(), 2U);
  EXPECT_EQ(nlohmann::json::parse(new_lines[0])["data"]["n"], 3);
}

TEST(FileWriter, GzipsRotatedFilesInTheBackground) {
  TempDir dir;
  const auto path = dir.path() / "flow.jsonl";
  Writer writer(nlohmann::json{{"path", path.string()}, {"rotate_size", 300}, {"compress", true}});
  std::string expected;
  for (int i = 0; i < 20; ++i) {
    auto e =
        event("flow-alerts", R"({"i":)" + std::to_string(i) + R"(,"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})");
    expected += e->wire() + "\n";
    writer.sink.consume(e);
  }
  writer.sink.flush();
  ASSERT_TRUE(writer.sink.wait_housekeeping(30s));

  std::string all;
  std::size_t gz_files = 0;
  for (const auto& file : files_in(dir.path())) {
    if (file == path) continue;
    ASSERT_EQ(file.extension(), ".gz") << "rotated file left uncompressed: " << file;
    ++gz_files;
    all += gunzip(file);
  }
  all += flowmind::testing::read_file(path);
  EXPECT_GE(gz_files, 5U);
  EXPECT_EQ(all, expected);
  EXPECT_EQ(writer.ctx.value("files_compressed"), gz_files);
}

TEST(FileWriter, GzipsADailyFileOnceTheDateMovesOn) {
  TempDir dir;
  Writer writer(nlohmann::json{{"path", (dir.path() / "flow-%Y-%m-%d.jsonl").string()}, {"compress", true}});
  writer.sink.consume(event("a", "{}", at("2024-09-18T23:59:59.999")));
  writer.sink.consume(event("a", "{}", at("2024-09-19T00:00:00.000")));
  ASSERT_TRUE(writer.sink.wait_housekeeping(30s));
  writer.close();
  EXPECT_TRUE(fs::exists(dir.path() / "flow-2024-09-18.jsonl.gz"));
  EXPECT_FALSE(fs::exists(dir.path() / "flow-2024-09-18.jsonl"));
  EXPECT_EQ(lines_of(dir.path() / "flow-2024-09-19.jsonl").size(), 1U);
}

TEST(FileWriter, RetentionKeepsTheNewestFinishedFiles) {
  TempDir dir;
  const auto path = dir.path() / "flow.jsonl";
  Writer writer(nlohmann::json{{"path", path.string()}, {"rotate_size", 1}, {"retain_files", 2}});
  for (int i = 0; i < 6; ++i) {
    writer.sink.consume(event("a", R"({"i":)" + std::to_string(i) + "}"));
    std::this_thread::sleep_for(15ms);  // distinct modification times
  }
  writer.sink.flush();
  ASSERT_TRUE(writer.sink.wait_housekeeping(30s));
  writer.close();
  const auto files = files_in(dir.path());
  // The active file (i = 5) plus the two newest rotated ones (i = 3, 4).
  ASSERT_EQ(files.size(), 3U);
  std::vector<int> kept;
  for (const auto& file : files) kept.push_back(nlohmann::json::parse(lines_of(file).front())["data"]["i"]);
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(kept, (std::vector<int>{3, 4, 5}));
  EXPECT_EQ(writer.ctx.value("files_removed"), 3U);
}

TEST(FileWriter, RetentionByAgeRemovesOldFilesOfTheTemplateOnly) {
  TempDir dir;
  const auto old_file = dir.write("flow-2024-01-01.jsonl", "{}\n");
  const auto recent_file = dir.write("flow-2024-09-17.jsonl", "{}\n");
  const auto unrelated = dir.write("notes.txt", "keep me\n");
  fs::last_write_time(old_file, fs::file_time_type::clock::now() - 48h);
  fs::last_write_time(unrelated, fs::file_time_type::clock::now() - 48h);
  Writer writer(nlohmann::json{{"path", (dir.path() / "flow-%Y-%m-%d.jsonl").string()}, {"retain_age", "24h"}});
  ASSERT_TRUE(wait_until([&] { return !fs::exists(old_file); }, 30s));
  EXPECT_TRUE(fs::exists(recent_file));
  EXPECT_TRUE(fs::exists(unrelated));
}

TEST(FileWriter, RecoveryCompressesRotatedLeftoversAndRemovesPartialGzip) {
  TempDir dir;
  const auto leftover = dir.write("flow.20240918T100000.000Z.jsonl", "{\"a\":1}\n");
  const auto partial = dir.write("flow.20240918T090000.000Z.jsonl.gz.part", "junk");
  Writer writer(nlohmann::json{{"path", (dir.path() / "flow.jsonl").string()}, {"compress", true}});
  ASSERT_TRUE(writer.sink.wait_housekeeping(30s));
  EXPECT_FALSE(fs::exists(partial));
  EXPECT_FALSE(fs::exists(leftover));
  EXPECT_EQ(gunzip(leftover.string() + ".gz"), "{\"a\":1}\n");
}

TEST(FileWriter, CutsAPartialLastLineBeforeAppending) {
  TempDir dir;
  const auto path = dir.write("flow.jsonl", "{\"ok\":1}\n{\"torn\":");
  Writer writer(nlohmann::json{{"path", path.string()}});
  const auto next = event("a", R"({"ok":2})");
  writer.sink.consume(next);
  writer.close();
  EXPECT_EQ(flowmind::testing::read_file(path), "{\"ok\":1}\n" + next->wire() + "\n");
  EXPECT_EQ(writer.ctx.value("repaired_bytes"), 8U);
  EXPECT_NE(writer.ctx.log_text().find("partial last line"), std::string::npos);
}

TEST(FileWriter, CsvQuotesValuesAndWritesTheHeaderOncePerFile) {
  TempDir dir;
  const auto path = dir.path() / "flow.csv";
  const nlohmann::json config = {
      {"path", path.string()},
      {"format", "csv"},
      {"columns", {"timestamp", "channel", "ticker", "data.note", "annotations.sentiment", "exchanges", "missing"}}};
  {
    Writer writer(config);
    auto e = std::make_shared<Event>("flow-alerts",
                                     R"({"ticker":"DIA","note":"big, \"urgent\"\nbuy","exchanges":["XCBO","MPRL"]})",
                                     at("2024-09-18T14:32:07.692"));
    e->annotate("sentiment", "bullish");
    writer.sink.consume(e);
    writer.sink.consume(event("price:SPY", R"({"ticker":" SPY "})", at("2024-09-18T14:32:08.000")));
  }
  {
    Writer again(config);  // appends to the same file: no second header
    again.sink.consume(event("x", "not json", at("2024-09-18T14:32:09.000")));
  }
  EXPECT_EQ(
      flowmind::testing::read_file(path),
      "timestamp,channel,ticker,data.note,annotations.sentiment,exchanges,missing\n"
      "2024-09-18T14:32:07.692Z,flow-alerts,DIA,\"big, \"\"urgent\"\"\nbuy\",bullish,\"[\"\"XCBO\"\",\"\"MPRL\"\"]\",\n"
      "2024-09-18T14:32:08.000Z,price:SPY,\" SPY \",,,,\n"
      "2024-09-18T14:32:09.000Z,x,,,,,\n");
}

TEST(FileWriter, CsvHeaderStartsEveryRotatedFile) {
  TempDir dir;
  const auto path = dir.path() / "flow.csv";
  Writer writer(nlohmann::json{{"path", path.string()}, {"format", "csv"}, {"columns", {"n"}}, {"rotate_size", 5}});
  for (int i = 0; i < 3; ++i) writer.sink.consume(event("a", R"({"n":)" + std::to_string(i) + "}"));
  writer.close();
  const auto files = files_in(dir.path());
  ASSERT_EQ(files.size(), 3U);
  for (const auto& file : files) {
    const auto lines = lines_of(file);
    ASSERT_EQ(lines.size(), 2U) << file;
    EXPECT_EQ(lines[0], "n");
  }
}

TEST(FileWriter, FsyncEveryNEventsReportsWhatIsDurable) {
  TempDir dir;
  const auto path = dir.path() / "flow.jsonl";
  Writer writer(
      nlohmann::json{{"path", path.string()}, {"fsync", "every"}, {"fsync_every", 3}, {"fsync_interval", "1h"}});
  for (int i = 0; i < 2; ++i) writer.sink.consume(event("a", "{}"));
  EXPECT_EQ(writer.ctx.value("events_synced"), 0U);
  EXPECT_EQ(fs::file_size(path), 0U);  // still batched in memory
  writer.sink.consume(event("a", "{}"));
  EXPECT_EQ(writer.ctx.value("events_synced"), 3U);
  EXPECT_EQ(lines_of(path).size(), 3U);
  writer.sink.consume(event("a", "{}"));
  EXPECT_EQ(writer.ctx.value("events_synced"), 3U);
  writer.close();
  EXPECT_EQ(writer.ctx.value("events_synced"), 4U);
}

TEST(FileWriter, IntervalPolicyWritesAndSyncsWithoutFurtherEvents) {
  TempDir dir;
  const auto path = dir.path() / "flow.jsonl";
  Writer writer(nlohmann::json{{"path", path.string()}, {"fsync_interval", "50ms"}});
  writer.sink.consume(event("a", "{}"));
  EXPECT_TRUE(wait_until([&] { return writer.ctx.value("events_synced") == 1; }, 10s));
  EXPECT_EQ(lines_of(path).size(), 1U);
  EXPECT_GE(writer.ctx.value("fsyncs"), 1U);
}

TEST(FileWriter, NeverPolicyStillWritesOnTheInterval) {
  TempDir dir;
  const auto path = dir.path() / "flow.jsonl";
  Writer writer(nlohmann::json{{"path", path.string()}, {"fsync", "never"}, {"fsync_interval", "50ms"}});
  writer.sink.consume(event("a", "{}"));
  EXPECT_TRUE(wait_until([&] { return fs::exists(path) && fs::file_size(path) > 0; }, 10s));
  EXPECT_EQ(writer.ctx.value("fsyncs"), 0U);
}

TEST(FileWriter, OpenErrorsAreCountedAndRetriedUntilThePathWorks) {
  TempDir dir;
  // A regular file where the writer needs a folder: open() fails with ENOTDIR until it is replaced.
  const auto blocker = dir.write("day", "not a folder");
  Writer writer(
      nlohmann::json{{"path", (dir.path() / "day/flow.jsonl").string()}, {"fsync", "every"}, {"fsync_every", 1}});
  std::atomic<bool> returned{false};
  std::thread consumer([&] {
    writer.sink.consume(event("a", R"({"kept":true})"));
    returned = true;
  });
  ASSERT_TRUE(wait_until([&] { return writer.ctx.value("write_errors") >= 2; }, 30s));
  EXPECT_FALSE(returned.load());  // the event is held, not dropped
  fs::remove(blocker);
  consumer.join();
  writer.close();
  EXPECT_EQ(lines_of(dir.path() / "day/flow.jsonl").size(), 1U);
  EXPECT_EQ(writer.ctx.value("events_lost"), 0U);
  EXPECT_NE(writer.sink.status()["last_error"].get<std::string>().find("day/flow.jsonl"), std::string::npos);
  EXPECT_NE(writer.ctx.log_text().find("cannot open"), std::string::npos);
}

TEST(FileWriter, DiskFullIsRetriedAndAStopGivesTheBatchUpCounted) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  Writer writer(nlohmann::json{{"path", "/dev/full"}, {"fsync", "every"}, {"fsync_every", 1}});
  std::atomic<bool> returned{false};
  std::thread consumer([&] {
    writer.sink.consume(event("a", "{}"));
    returned = true;
  });
  ASSERT_TRUE(wait_until([&] { return writer.ctx.value("write_errors") >= 2; }, 30s));
  EXPECT_FALSE(returned.load());
  writer.sink.stop();
  consumer.join();
  EXPECT_EQ(writer.ctx.value("events_lost"), 1U);
  EXPECT_NE(writer.ctx.log_text().find("No space left on device"), std::string::npos);
}

TEST(FileWriter, KeepsAtMostMaxOpenFilesPerChannel) {
  TempDir dir;
  Writer writer(nlohmann::json{{"path", (dir.path() / "{channel}.jsonl").string()}, {"max_open_files", 2}});
  for (const auto* channel : {"a", "b", "c", "a", "d", "b"}) writer.sink.consume(event(channel, "{}"));
  writer.sink.flush();
  EXPECT_EQ(writer.sink.status()["files"].size(), 2U);
  writer.close();
  EXPECT_EQ(lines_of(dir.path() / "a.jsonl").size(), 2U);
  EXPECT_EQ(lines_of(dir.path() / "b.jsonl").size(), 2U);
  EXPECT_EQ(lines_of(dir.path() / "c.jsonl").size(), 1U);
  EXPECT_EQ(lines_of(dir.path() / "d.jsonl").size(), 1U);
}

TEST(FileWriterConfig, CsvNeedsColumnsAndThePathItsPlaceholders) {
  auto issues = validate_file_writer(with_defaults(file_writer_schema(), {{"path", "x.csv"}, {"format", "csv"}}));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "format");
  issues = validate_file_writer(with_defaults(file_writer_schema(), {{"path", "data/{chanel}.jsonl"}}));
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "path");
  EXPECT_NE(issues[0].message.find("{chanel}"), std::string::npos);
  EXPECT_TRUE(
      validate_file_writer(with_defaults(file_writer_schema(), {{"path", "{pipeline}/%Y/{channel}.jsonl"}})).empty());
}

}  // namespace
}  // namespace flowmind
