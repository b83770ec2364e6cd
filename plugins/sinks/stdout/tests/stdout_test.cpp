// Tests of the stdout sink: envelope and payload lines, live flushing, broken pipes.
#include "stdout.hpp"

#include <signal.h>
#include <unistd.h>

#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "stdout_test_support.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

using flowmind::testing::RecordingStageContext;
using flowmind::testing::StdoutRedirect;
using flowmind::testing::StdoutToFile;
using flowmind::testing::TempDir;

Config stdout_config(const std::string& format) { return Config(nlohmann::json{{"format", format}}); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

EventPtr make_event(const std::string& channel, const std::string& raw, const nlohmann::json& annotations = {}) {
  auto event =
      std::make_shared<Event>(channel, raw, Event::Clock::time_point(std::chrono::milliseconds(1726670212748)));
  if (annotations.is_object()) {
    for (const auto& [key, value] : annotations.items()) event->annotate(key, value);
  }
  return event;
}

// Ignores SIGPIPE while alive, as the engine does in main().
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() { previous_ = ::signal(SIGPIPE, SIG_IGN); }
  ~IgnoreSigpipe() { ::signal(SIGPIPE, previous_); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  sighandler_t previous_;
};

TEST(StdoutSink, EnvelopeFormatWritesTheWireTextOneLinePerEvent) {
  TempDir dir;
  const auto file = dir.path() / "out.txt";
  StdoutSink sink(stdout_config("envelope"));
  RecordingStageContext ctx;
  sink.start(ctx);
  const std::vector<EventPtr> events = {
      make_event("flow-alerts", R"({"ticker":"DIA","total_premium":36466})"),
      make_event("off_lit_trades", R"({"ticker":"QID","price":"18.9904"})", {{"whale", true}}),
  };
  {
    StdoutToFile capture(file);
    for (const auto& event : events) sink.consume(event);
    sink.flush();
  }
  const auto lines = lines_of(flowmind::testing::read_file(file));
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0], events[0]->wire());
  EXPECT_EQ(lines[1], events[1]->wire());
  const auto first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first.at("channel"), "flow-alerts");
  EXPECT_EQ(first.at("timestamp"), "2024-09-18T14:36:52.748Z");
  EXPECT_EQ(first.at("data").at("total_premium"), 36466);
  EXPECT_FALSE(first.contains("annotations"));
  EXPECT_EQ(nlohmann::json::parse(lines[1]).at("annotations").at("whale"), true);
  EXPECT_EQ(sink.status().at("written"), 2);
  EXPECT_EQ(sink.status().at("write_errors"), 0);
  EXPECT_EQ(ctx.value("write_errors"), 0U);
}

TEST(StdoutSink, PayloadFormatWritesThePayloadExactlyAsReceived) {
  TempDir dir;
  const auto file = dir.path() / "out.txt";
  StdoutSink sink(stdout_config("payload"));
  // Spacing, key order and even invalid JSON pass through untouched.
  const std::vector<std::string> raws = {R"({ "b": 1,  "a": "x" })", R"(["price:SPY",{"close":"562.82"}])",
                                         "not json at all"};
  {
    StdoutToFile capture(file);
    for (const auto& raw : raws) sink.consume(make_event("c", raw));
  }
  EXPECT_EQ(lines_of(flowmind::testing::read_file(file)), raws);
  EXPECT_EQ(sink.status().at("format"), "payload");
}

TEST(StdoutSink, EveryLineIsFlushedBeforeConsumeReturns) {
  TempDir dir;
  const auto file = dir.path() / "out.txt";
  StdoutSink sink(stdout_config("payload"));
  std::vector<std::string> seen;
  {
    StdoutToFile capture(file);
    for (int i = 0; i < 3; ++i) {
      sink.consume(make_event("c", R"({"n":)" + std::to_string(i) + "}"));
      // What a reader on the other end of a pipe would have by now (no flush() call yet).
      seen.push_back(flowmind::testing::read_file(file));
    }
  }
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen[0], "{\"n\":0}\n");
  EXPECT_EQ(seen[2], "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n");
}

TEST(StdoutSink, BrokenPipeIsCountedAndLoggedOnceNeverFatal) {
  IgnoreSigpipe ignore;
  StdoutSink sink(stdout_config("envelope"));
  RecordingStageContext ctx;
  sink.start(ctx);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);  // nobody will ever read: writes fail with EPIPE
  {
    StdoutRedirect redirect(fds[1]);
    for (int i = 0; i < 3; ++i) sink.consume(make_event("c", R"({"n":1})"));
    sink.flush();
  }
  ::close(fds[1]);
  EXPECT_EQ(ctx.value("write_errors"), 3U);
  EXPECT_EQ(sink.status().at("write_errors"), 3);
  EXPECT_EQ(sink.status().at("written"), 0);
  const auto messages = ctx.logger().messages();
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].first, LogLevel::warn);
  EXPECT_NE(messages[0].second.find("reader went away"), std::string::npos) << messages[0].second;

  // Once standard output works again the sink writes again, with nothing stale from the failures.
  TempDir dir;
  const auto file = dir.path() / "out.txt";
  {
    StdoutToFile capture(file);
    sink.consume(make_event("c", R"({"n":2})"));
  }
  const auto lines = lines_of(flowmind::testing::read_file(file));
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(nlohmann::json::parse(lines[0]).at("data").at("n"), 2);
  EXPECT_EQ(ctx.value("write_errors"), 3U);
  EXPECT_EQ(sink.status().at("written"), 1);
  EXPECT_EQ(ctx.logger().messages().size(), 1U);
}

TEST(StdoutSink, LinesFromSeveralThreadsNeverInterleave) {
  // Sinks of different pipelines share the process's stdout.
  TempDir dir;
  const auto file = dir.path() / "out.txt";
  StdoutSink first(stdout_config("payload"));
  StdoutSink second(stdout_config("payload"));
  const std::string a_line(3000, 'a');
  const std::string b_line(3000, 'b');
  {
    StdoutToFile capture(file);
    std::thread a([&] {
      for (int i = 0; i < 200; ++i) first.consume(make_event("a", a_line));
    });
    std::thread b([&] {
      for (int i = 0; i < 200; ++i) second.consume(make_event("b", b_line));
    });
    a.join();
    b.join();
  }
  const auto lines = lines_of(flowmind::testing::read_file(file));
  ASSERT_EQ(lines.size(), 400U);
  for (const auto& line : lines) EXPECT_TRUE(line == a_line || line == b_line);
}

TEST(StdoutSink, IsABlockingSinkAndRefusesUnknownFormats) {
  EXPECT_TRUE(StdoutSink(stdout_config("envelope")).blocking());
  EXPECT_EQ(StdoutSink(stdout_config("payload")).format(), StdoutSink::Format::payload);
  EXPECT_THROW(StdoutSink{stdout_config("yaml")}, PluginError);
  EXPECT_THROW(StdoutSink{Config()}, ConfigAccessError);
}

}  // namespace
}  // namespace flowmind
