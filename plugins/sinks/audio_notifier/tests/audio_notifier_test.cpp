// audio_notifier with real processes: a fake player that records its invocations, real espeak-ng and sox.
#include <sys/stat.h>

#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "audio_notifier.hpp"
#include "process_runner.hpp"
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

// A shell script in `dir` that appends its arguments (one line per run) to <name>.log, its stdin to
// <name>.stdin, then runs `extra`.
std::string fake_program(const TempDir& dir, const std::string& name, const std::string& extra = "") {
  const auto log = dir.path() / (name + ".log");
  const auto input = dir.path() / (name + ".stdin");
  const auto script = dir.write(name, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + log.string() + "'\ncat >> '" +
                                          input.string() + "'\n" + extra + "\n");
  fs::permissions(script, fs::perms::owner_all);
  return script.string();
}

std::vector<std::string> lines(const fs::path& file) {
  std::vector<std::string> out;
  std::istringstream in(flowmind::testing::read_file(file));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

EventPtr flow(const std::string& ticker, long long premium, bool sweep = false) {
  return std::make_shared<const Event>(
      "flow-alerts", R"({"ticker":")" + ticker + R"(","total_premium":)" + std::to_string(premium) +
                         R"(,"option_chain":"DIA241018C00415000","has_sweep":)" + (sweep ? "true" : "false") + "}");
}

// The notifier with no limits unless the test sets them.
struct Notifier {
  explicit Notifier(nlohmann::json values) {
    const nlohmann::json no_limits = {{"cooldown", "0s"}, {"max_per_minute", 0}, {"coalesce", "0s"}};
    for (const auto& [key, value] : no_limits.items()) {
      if (!values.contains(key)) values[key] = value;
    }
    sink = std::make_unique<AudioNotifier>(with_defaults(audio_notifier_schema(), values));
    sink->start(ctx);
  }
  ~Notifier() { sink->stop(); }
  std::uint64_t count(const std::string& name) { return ctx.value(name); }
  TestStageContext ctx;
  std::unique_ptr<AudioNotifier> sink;
};

TEST(AudioNotifier, PlaysTheBundledSoundOfEachKind) {
  TempDir dir;
  const auto player = fake_program(dir, "player");
  Notifier notifier(nlohmann::json{{"player", {player, "-q", "{file}"}}});
  notifier.sink->consume(flow("DIA", 36466));
  notifier.sink->consume(flow("NVDA", 2100000, true));
  auto dark = std::make_shared<Event>("off_lit_trades", R"({"ticker":"QQQ","premium":"1500000"})");
  notifier.sink->consume(dark);
  dark = std::make_shared<Event>("off_lit_trades", R"({"ticker":"SPY","premium":"9000000"})");
  dark->annotate("whale", true);
  notifier.sink->consume(dark);
  notifier.sink->consume(std::make_shared<const Event>("custom", "{}"));
  ASSERT_TRUE(wait_until([&] { return notifier.count("alerts_played") == 5; }, 30s));
  const auto played = lines(dir.path() / "player.log");
  ASSERT_EQ(played.size(), 5U);
  const auto sounds = bundled_sounds_dir();
  EXPECT_EQ(played[0], "-q " + (sounds / "flow.wav").string());
  EXPECT_EQ(played[1], "-q " + (sounds / "sweep.wav").string());
  EXPECT_EQ(played[2], "-q " + (sounds / "dark_pool.wav").string());
  EXPECT_EQ(played[3], "-q " + (sounds / "whale.wav").string());
  EXPECT_EQ(played[4], "-q " + (sounds / "alert.wav").string());  // no sound of its own: the default
  for (const auto* name : {"flow", "sweep", "dark_pool", "whale", "price", "alert"}) {
    EXPECT_TRUE(fs::exists(sounds / (std::string(name) + ".wav"))) << name;
  }
}

TEST(AudioNotifier, ConfiguredSoundsWinAndThePathIsAppendedWithoutPlaceholder) {
  TempDir dir;
  const auto player = fake_program(dir, "player");
  const auto horn = dir.write("horn.wav", "RIFF");
  Notifier notifier(nlohmann::json{
      {"player", {player}}, {"sounds", {{"sweep", horn.string()}, {"default", horn.string()}}}, {"kind", "sweep"}});
  notifier.sink->consume(flow("DIA", 1));
  ASSERT_TRUE(wait_until([&] { return notifier.count("alerts_played") == 1; }, 30s));
  EXPECT_EQ(lines(dir.path() / "player.log"), (std::vector<std::string>{horn.string()}));
}

TEST(AudioNotifier, CoalescesABurstIntoOneAlertAndNMore) {
  TempDir dir;
  const auto notify = fake_program(dir, "notify");
  Notifier notifier(nlohmann::json{{"mode", "command"},
                                   {"command", {notify, "{symbol}", "{text}"}},
                                   {"template", "{symbol} {kind}, {premium_short}"},
                                   {"coalesce", "2s"}});
  for (const auto* ticker : {"NVDA", "SPY", "QQQ", "AAPL", "TSLA"}) notifier.sink->consume(flow(ticker, 2100000, true));
  ASSERT_TRUE(wait_until([&] { return notifier.count("alerts_played") == 1; }, 30s));
  EXPECT_EQ(lines(dir.path() / "notify.log"), (std::vector<std::string>{"NVDA NVDA sweep, 2.1 million, and 4 more"}));
  EXPECT_EQ(notifier.count("alerts_coalesced"), 4U);
  const auto sent = nlohmann::json::parse(flowmind::testing::read_file(dir.path() / "notify.stdin"));
  EXPECT_EQ(sent["symbol"], "NVDA");
  EXPECT_EQ(sent["more"], 4);
  EXPECT_EQ(sent["premium"], 2100000.0);
  EXPECT_EQ(sent["data"]["has_sweep"], true);
}

TEST(AudioNotifier, CooldownKeepsASymbolQuiet) {
  TempDir dir;
  const auto player = fake_program(dir, "player");
  Notifier notifier(nlohmann::json{{"player", {player}}, {"cooldown", "1h"}});
  notifier.sink->consume(flow("SPY", 1));
  notifier.sink->consume(flow("SPY", 2));
  notifier.sink->consume(flow("QQQ", 3));
  ASSERT_TRUE(wait_until([&] { return notifier.count("alerts_played") == 2; }, 30s));
  EXPECT_EQ(notifier.count("cooldown_suppressed"), 1U);
}

TEST(AudioNotifier, AtMostMaxPerMinuteAreSounded) {
  TempDir dir;
  const auto player = fake_program(dir, "player");
  Notifier notifier(nlohmann::json{{"player", {player}}, {"max_per_minute", 2}});
  for (const auto* ticker : {"A", "B", "C", "D"}) {
    notifier.sink->consume(flow(ticker, 1));
    ASSERT_TRUE(wait_until(
        [&] {
          return notifier.count("alerts_played") + notifier.count("rate_limited") == notifier.count("alerts_queued");
        },
        30s));
  }
  EXPECT_EQ(notifier.count("alerts_played"), 2U);
  EXPECT_EQ(notifier.count("rate_limited"), 2U);
  EXPECT_EQ(lines(dir.path() / "player.log").size(), 2U);
}

TEST(AudioNotifier, WhenConditionsPickTheEvents) {
  TempDir dir;
  const auto player = fake_program(dir, "player");
  Notifier notifier(nlohmann::json{{"player", {player}},
                                   {"when", {{{"field", "total_premium"}, {"op", "gte"}, {"value", 1000000}}}}});
  notifier.sink->consume(flow("SMALL", 999999));
  notifier.sink->consume(flow("BIG", 1000000));
  ASSERT_TRUE(wait_until([&] { return notifier.count("alerts_played") == 1; }, 30s));
  EXPECT_EQ(notifier.count("not_matching"), 1U);
}

TEST(AudioNotifier, NeverBlocksThePipelineAndDropsTheOldestWhenFull) {
  TempDir dir;
  const auto slow = fake_program(dir, "slow", "sleep 0.3");
  Notifier notifier(nlohmann::json{{"mode", "command"}, {"command", {slow, "{symbol}"}}, {"queue_size", 2}});
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 8; ++i) notifier.sink->consume(flow("T" + std::to_string(i), i));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "consume() waited for the player";
  ASSERT_TRUE(wait_until([&] { return notifier.count("alerts_played") + notifier.count("alerts_dropped") == 8; }, 60s));
  EXPECT_GE(notifier.count("alerts_dropped"), 3U);
  // The oldest waiting alerts went; the newest was kept and sounded last.
  const auto played = lines(dir.path() / "slow.log");
  ASSERT_EQ(played.size(), notifier.count("alerts_played"));
  EXPECT_EQ(played.back(), "T7");
}

TEST(AudioNotifier, PlayerFailuresAreCountedAndLogged) {
  TempDir dir;
  const auto player = fake_program(dir, "player", "echo 'no soundcard' >&2; exit 3");
  Notifier notifier(nlohmann::json{{"player", {player}}});
  notifier.sink->consume(flow("SPY", 1));
  ASSERT_TRUE(wait_until([&] { return notifier.count("play_failures") == 1; }, 30s));
  EXPECT_EQ(notifier.count("alerts_played"), 0U);
  EXPECT_NE(notifier.ctx.log_text().find("exit code 3: no soundcard"), std::string::npos) << notifier.ctx.log_text();
  EXPECT_NE(notifier.sink->status()["last_error"].get<std::string>().find("no soundcard"), std::string::npos);
}

TEST(AudioNotifier, AHangingCommandIsKilledAndStopIsPrompt) {
  TempDir dir;
  const auto slow = fake_program(dir, "slow", "sleep 30");
  Notifier timed(nlohmann::json{{"mode", "command"}, {"command", {slow}}, {"timeout", "300ms"}});
  timed.sink->consume(flow("SPY", 1));
  ASSERT_TRUE(wait_until([&] { return timed.count("play_failures") == 1; }, 30s));
  EXPECT_NE(timed.ctx.log_text().find("took too long"), std::string::npos);

  Notifier stopping(nlohmann::json{{"mode", "command"}, {"command", {slow}}, {"timeout", "1h"}});
  stopping.sink->consume(flow("SPY", 1));
  ASSERT_TRUE(wait_until(
      [&] { return fs::exists(dir.path() / "slow.log") && lines(dir.path() / "slow.log").size() == 2; }, 30s));
  const auto asked = std::chrono::steady_clock::now();
  stopping.sink->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 10s);
}

TEST(AudioNotifier, AMissingPlayerIsReportedByValidateAndAtStart) {
  const auto config = with_defaults(audio_notifier_schema(), {{"player", {"no-such-player-anywhere", "-q"}}});
  const auto issues = validate_audio_notifier(config);
  ASSERT_EQ(issues.size(), 1U);
  EXPECT_EQ(issues[0].path, "player/0");
  EXPECT_NE(issues[0].message.find("'no-such-player-anywhere'"), std::string::npos);
  EXPECT_NE(issues[0].message.find("not found in PATH"), std::string::npos);
  AudioNotifier sink(config);
  TestStageContext ctx;
  try {
    sink.start(ctx);
    FAIL() << "start() accepted a missing player";
  } catch (const PluginError& error) {
    EXPECT_NE(std::string(error.what()).find("no-such-player-anywhere"), std::string::npos);
  }

  const auto speak = validate_audio_notifier(with_defaults(
      audio_notifier_schema(), {{"mode", "speak"}, {"player", {"sh"}}, {"espeak", "/nonexistent/espeak-ng"}}));
  ASSERT_EQ(speak.size(), 1U);
  EXPECT_EQ(speak[0].path, "espeak");
  const auto sounds = validate_audio_notifier(with_defaults(
      audio_notifier_schema(), {{"player", {"sh"}}, {"sounds", {{"whale", 3}, {"sweep", "/nonexistent.wav"}}}}));
  ASSERT_EQ(sounds.size(), 2U);
  EXPECT_EQ(sounds[0].path, "sounds/whale");
  EXPECT_EQ(sounds[1].path, "sounds/sweep");
  const auto command = validate_audio_notifier(with_defaults(audio_notifier_schema(), {{"mode", "command"}}));
  ASSERT_EQ(command.size(), 1U);
  EXPECT_EQ(command[0].path, "command");
}

// Reads a statistic such as "RMS     amplitude:" from `sox FILE -n stat` (-1 when absent).
double sox_stat(const std::string& output, const std::string& name) {
  const auto at = output.find(name + ":");
  if (at == std::string::npos) return -1;
  return std::stod(output.substr(at + name.size() + 1));
}

TEST(AudioNotifier, SpeaksThroughEspeakNgIntoANonSilentWav) {
  ASSERT_TRUE(find_program("espeak-ng")) << "espeak-ng is not installed (tools/install-deps.sh installs it)";
  ASSERT_TRUE(find_program("sox")) << "sox is not installed (tools/install-deps.sh installs it)";
  TempDir dir;
  const auto copy = dir.path() / "spoken.wav";
  const auto player = fake_program(dir, "player", "cp \"$1\" '" + copy.string() + "'");
  Notifier notifier(
      nlohmann::json{{"mode", "speak"}, {"player", {player}}, {"template", "{symbol} {kind}, {premium_short}"}});
  notifier.sink->consume(flow("NVDA", 2100000, true));
  ASSERT_TRUE(wait_until([&] { return notifier.count("alerts_played") == 1; }, 60s)) << notifier.ctx.log_text();
  ASSERT_TRUE(fs::exists(copy));
  const auto stat = flowmind::testing::run_process({"sox", copy.string(), "-n", "stat"}, 30s);
  ASSERT_EQ(stat.exit_code, 0) << stat.err;
  EXPECT_GT(sox_stat(stat.err, "Length (seconds)"), 0.5) << stat.err;
  EXPECT_GT(sox_stat(stat.err, "RMS     amplitude"), 0.01) << stat.err;
  EXPECT_GT(sox_stat(stat.err, "Maximum amplitude"), 0.1) << stat.err;
}

TEST(AudioProcess, ReportsWhyAProgramDidNotRun) {
  const auto missing = run_program({"no-such-program-anywhere"}, "", 5s);
  EXPECT_FALSE(missing.started);
  EXPECT_NE(missing.describe("no-such-program-anywhere").find("cannot start"), std::string::npos);
  // A reader that exits without reading stdin does not hurt the caller (no SIGPIPE).
  const auto quitter = run_program({"sh", "-c", "exit 0"}, std::string(1 << 20, 'x'), 10s);
  EXPECT_TRUE(quitter.ok());
  const auto echo = run_program({"sh", "-c", "cat >&2; exit 4"}, "hello", 10s);
  EXPECT_EQ(echo.exit_code, 4);
  EXPECT_EQ(echo.stderr_text, "hello");
  EXPECT_TRUE(find_program("sh"));
  EXPECT_FALSE(find_program("no-such-program-anywhere"));
}

}  // namespace
}  // namespace flowmind
