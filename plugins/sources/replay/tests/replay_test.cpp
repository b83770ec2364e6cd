// The replay source end to end on real files: fidelity, pacing, filters, merging, bad lines, loop, stop.
#include <zlib.h>

#include <thread>

#include <gtest/gtest.h>

#include "replay.hpp"
#include "test_source_context.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;
using flowmind::testing::TempDir;
using flowmind::testing::TestSourceContext;
using flowmind::testing::with_defaults;

const Clock::time_point session_start = Clock::time_point(std::chrono::milliseconds(1726668000000));  // 14:00:00Z

// An envelope line as file_writer writes it.
std::string line(const std::string& channel, const std::string& payload, Clock::duration after_start) {
  return Event(channel, payload, session_start + after_start).wire() + "\n";
}

std::unique_ptr<ReplaySource> replay(const nlohmann::json& values) {
  return std::make_unique<ReplaySource>(with_defaults(replay_schema(), values));
}

std::vector<std::string> payloads(const TestSourceContext& ctx) {
  std::vector<std::string> out;
  for (const auto& event : ctx.events()) out.emplace_back(event.raw());
  return out;
}

TEST(Replay, EmitsWhatFileWriterRecordedUnchanged) {
  TempDir dir;
  Event annotated("flow-alerts", R"({"ticker":"DIA","total_premium":36466,"underlying_price":415.981})",
                  session_start + 1500ms);
  annotated.annotate("sentiment", "bullish");
  const auto file =
      dir.write("session.jsonl", line("price:SPY", R"({"close":"562.82"})", 0ms) + annotated.wire() + "\n");
  TestSourceContext ctx;
  replay({{"path", file.string()}, {"speed", "max"}})->run(ctx);
  ASSERT_EQ(ctx.events().size(), 2U);
  const Event& second = ctx.events()[1];
  EXPECT_EQ(second.channel(), "flow-alerts");
  EXPECT_EQ(second.raw(), annotated.raw());
  EXPECT_EQ(second.annotations(), annotated.annotations());
  EXPECT_EQ(second.received_at(), annotated.received_at());
  EXPECT_EQ(second.wire(), annotated.wire());  // a replayed recording records identically
}

TEST(Replay, KeepsTheRecordedSpacingDividedByTheSpeed) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 6; ++i) text += line("price:SPY", "{\"i\":" + std::to_string(i) + "}", i * 1s);
  const auto file = dir.write("spaced.jsonl", text);
  TestSourceContext ctx;
  const auto started = std::chrono::steady_clock::now();
  replay({{"path", file.string()}, {"speed", 10}})->run(ctx);
  const auto& at = ctx.emitted_at();
  ASSERT_EQ(at.size(), 6U);
  for (std::size_t i = 1; i < at.size(); ++i) {
    // Deadlines are absolute from the first record: record i is never emitted before i x 100 ms.
    EXPECT_GE(at[i] - started, i * 100ms) << i;
  }
  EXPECT_LT(at.back() - started, 500ms + 5s) << "5 s of recording at speed 10 should take about 0.5 s";
}

TEST(Replay, MaxSpeedDoesNotWait) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 5; ++i) text += line("news", "{}", i * 1h);
  const auto file = dir.write("hours.jsonl", text);
  TestSourceContext ctx;
  const auto started = std::chrono::steady_clock::now();
  replay({{"path", file.string()}, {"speed", "max"}})->run(ctx);
  EXPECT_EQ(ctx.events().size(), 5U);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST(Replay, MaxGapShortensLongPauses) {
  TempDir dir;
  const auto file = dir.write("gap.jsonl", line("a", "{}", 0s) + line("a", "{}", 1h));
  TestSourceContext ctx;
  const auto started = std::chrono::steady_clock::now();
  replay({{"path", file.string()}, {"speed", 1}, {"max_gap", "100ms"}})->run(ctx);
  ASSERT_EQ(ctx.events().size(), 2U);
  EXPECT_GE(ctx.emitted_at()[1] - started, 100ms);
  EXPECT_LT(ctx.emitted_at()[1] - started, 5s);
}

TEST(Replay, FiltersByTimeOfDayWindowAndChannel) {
  TempDir dir;
  std::string text;
  for (int minute = 0; minute < 60; minute += 10) {
    text += line("price:SPY", "{\"m\":" + std::to_string(minute) + "}", std::chrono::minutes(minute));
    text += line("flow-alerts", "{\"m\":" + std::to_string(minute) + "}", std::chrono::minutes(minute));
  }
  const auto file = dir.write("hour.jsonl", text);
  TestSourceContext ctx;
  replay({{"path", file.string()}, {"speed", "max"}, {"start", "14:15"}, {"end", "14:45"}, {"channels", {"price:*"}}})
      ->run(ctx);
  EXPECT_EQ(payloads(ctx), (std::vector<std::string>{R"({"m":20})", R"({"m":30})", R"({"m":40})"}));
  EXPECT_EQ(ctx.value("other_channels"), 6U);
  EXPECT_EQ(ctx.value("outside_window"), 3U);  // 14:00 and 14:10, then 14:50 of price
}

TEST(Replay, AbsoluteWindowStopsAtTheEnd) {
  TempDir dir;
  std::string text;
  for (int minute = 0; minute < 5; ++minute)
    text += line("a", "{\"m\":" + std::to_string(minute) + "}", std::chrono::minutes(minute));
  const auto file = dir.write("w.jsonl", text);
  TestSourceContext ctx;
  replay(
      {{"path", file.string()}, {"speed", "max"}, {"start", "2024-09-18T14:01:00Z"}, {"end", "2024-09-18T14:03:00Z"}})
      ->run(ctx);
  EXPECT_EQ(payloads(ctx), (std::vector<std::string>{R"({"m":1})", R"({"m":2})"}));
}

TEST(Replay, MergesAFolderOfFilesInTimeOrderGzipIncluded) {
  TempDir dir;
  dir.write("flow-alerts.jsonl", line("flow-alerts", "{\"t\":1}", 1s) + line("flow-alerts", "{\"t\":4}", 4s));
  dir.write("notes.txt", "not a recording\n");
  const std::string prices =
      line("price:SPY", "{\"t\":2}", 2s) + line("price:SPY", "{\"t\":3}", 3s) + line("price:SPY", "{\"t\":5}", 5s);
  gzFile gz = gzopen((dir.path() / "price_SPY.jsonl.gz").c_str(), "wb");
  gzwrite(gz, prices.data(), static_cast<unsigned>(prices.size()));
  gzclose(gz);
  // A raw capture without envelope, timed by its payload.
  dir.write("capture.ndjson", R"(["news",{"headline":"h","time":)" +
                                  std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                     (session_start + 2500ms).time_since_epoch())
                                                     .count()) +
                                  "}]\n");
  for (const auto& path : {dir.path().string(), (dir.path() / "*.*").string()}) {
    TestSourceContext ctx;
    replay({{"path", path}, {"speed", "max"}})->run(ctx);
    std::vector<std::string> channels;
    for (const auto& event : ctx.events()) channels.push_back(event.channel());
    EXPECT_EQ(channels,
              (std::vector<std::string>{"flow-alerts", "price:SPY", "news", "price:SPY", "flow-alerts", "price:SPY"}))
        << path;
    EXPECT_EQ(ctx.value("bad_lines"), path.ends_with("*.*") ? 1U : 0U) << path;  // the glob takes notes.txt too
  }
}

TEST(Replay, CountsAndSkipsBadLines) {
  TempDir dir;
  const auto file =
      dir.write("mixed.jsonl", line("a", "{\"ok\":1}", 0s) + "garbage\n" + R"({"channel":"a","data":{"torn":)" +
                                   "\n\n" + R"(["a",{"response":{},"status":"ok"}])" + "\n" +
                                   line("a", "{\"ok\":2}", 1s) + R"({"channel":"a","data")");
  TestSourceContext ctx;
  replay({{"path", file.string()}, {"speed", "max"}})->run(ctx);
  EXPECT_EQ(payloads(ctx), (std::vector<std::string>{R"({"ok":1})", R"({"ok":2})"}));
  EXPECT_EQ(ctx.value("bad_lines"), 3U);
  EXPECT_EQ(ctx.value("control_lines"), 1U);
  EXPECT_NE(ctx.log_text().find("mixed.jsonl:2"), std::string::npos) << ctx.log_text();
}

TEST(Replay, LoopsUntilStopped) {
  TempDir dir;
  const auto file = dir.write("three.jsonl", line("a", "1", 0s) + line("a", "2", 1s) + line("a", "3", 2s));
  TestSourceContext ctx(7);
  auto source = replay({{"path", file.string()}, {"speed", "max"}, {"loop", true}});
  source->run(ctx);
  EXPECT_EQ(payloads(ctx), (std::vector<std::string>{"1", "2", "3", "1", "2", "3", "1"}));
  EXPECT_EQ(source->status()["passes"], 2);
}

TEST(Replay, NowTimestampsReplaceRecordedOnes) {
  TempDir dir;
  const auto file = dir.write("old.jsonl", line("a", "{}", 0s));
  TestSourceContext ctx;
  const auto before = Clock::now();
  replay({{"path", file.string()}, {"speed", "max"}, {"timestamps", "now"}})->run(ctx);
  ASSERT_EQ(ctx.events().size(), 1U);
  EXPECT_GE(ctx.events()[0].received_at(), before);
}

TEST(Replay, StopInterruptsALongWait) {
  TempDir dir;
  const auto file = dir.write("slow.jsonl", line("a", "1", 0s) + line("a", "2", 1h));
  TestSourceContext ctx;
  auto source = replay({{"path", file.string()}, {"speed", 1}});
  std::thread runner([&] { source->run(ctx); });
  ASSERT_TRUE(flowmind::testing::wait_until([&] { return ctx.size() == 1; }, 10s));
  const auto asked = std::chrono::steady_clock::now();
  ctx.request_stop();
  runner.join();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 5s);
  EXPECT_EQ(ctx.events().size(), 1U);
}

TEST(Replay, RefusesAPathWithoutRecordingsAndBadOptions) {
  TempDir dir;
  EXPECT_THROW(replay({{"path", (dir.path() / "none.jsonl").string()}}), PluginError);
  EXPECT_THROW(replay({{"path", (dir.path() / "*.jsonl").string()}}), PluginError);
  const auto file = dir.write("x.jsonl", line("a", "1", 0s));
  EXPECT_THROW(replay({{"path", file.string()}, {"speed", 0}}), PluginError);
  EXPECT_THROW(replay({{"path", file.string()}, {"start", "2pm"}}), PluginError);

  auto issues = validate_replay(with_defaults(replay_schema(), {{"path", "x"}, {"speed", "fast"}, {"end", "25:00"}}));
  ASSERT_EQ(issues.size(), 2U);
  EXPECT_EQ(issues[0].path, "speed");
  EXPECT_EQ(issues[1].path, "end");
  EXPECT_TRUE(
      validate_replay(with_defaults(replay_schema(), {{"path", "x"}, {"speed", "max"}, {"start", "09:30"}})).empty());
  EXPECT_TRUE(validate_replay(with_defaults(replay_schema(), {{"path", "x"}, {"speed", "2.5"}})).empty());
}

TEST(Replay, TheShippedRecordingPlaysCleanly) {
  const auto recordings = flowmind::testing::source_dir() / "pipelines" / "recordings";
  TestSourceContext ctx;
  replay({{"path", (recordings / "*.jsonl.gz").string()}, {"speed", "max"}})->run(ctx);
  EXPECT_EQ(ctx.value("bad_lines"), 0U);
  ASSERT_GT(ctx.events().size(), 1000U);
  std::map<std::string, std::size_t> per_channel;
  for (const auto& event : ctx.events()) {
    ++per_channel[event.channel().starts_with("price:") ? "price:*" : event.channel()];
    ASSERT_NO_THROW((void)event.payload()) << event.raw();
  }
  EXPECT_GT(per_channel["flow-alerts"], 50U);
  EXPECT_GT(per_channel["off_lit_trades"], 100U);
  EXPECT_GT(per_channel["price:*"], 100U);
  for (std::size_t i = 1; i < ctx.events().size(); ++i) {
    ASSERT_GE(ctx.events()[i].received_at(), ctx.events()[i - 1].received_at()) << "out of order at " << i;
  }
}

}  // namespace
}  // namespace flowmind
