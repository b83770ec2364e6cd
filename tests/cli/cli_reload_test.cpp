// Hot reload of `flowmind run`: SIGHUP, --watch and POST /reload; added, removed, changed, unchanged
// and invalid files, each checked for what kept running.
#include <csignal>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "admin_client.hpp"

namespace flowmind::testing {
namespace {

using namespace std::chrono_literals;

std::string counter_pipeline(const std::string& name, int rate, const std::string& channel = "") {
  return "pipeline: " + name + "\nsource: {type: generator, shape: counter, rate: " + std::to_string(rate) +
         ", channel: " + (channel.empty() ? name : channel) + "}\nsinks: [{type: stdout}]\n";
}

// The counter values printed per channel, in order.
std::map<std::string, std::vector<int>> counts_by_channel(const std::string& out) {
  std::map<std::string, std::vector<int>> counts;
  for (const auto& line : lines_of(out)) {
    const auto event = nlohmann::json::parse(line);
    counts[event["channel"].get<std::string>()].push_back(event["data"]["n"].get<int>());
  }
  return counts;
}

// 0, 1, 2, ... without a gap or a restart.
bool consecutive_from_zero(const std::vector<int>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] != static_cast<int>(i)) return false;
  }
  return !values.empty();
}

std::uint64_t source_out(const nlohmann::json& pipeline) {
  return pipeline.is_null() ? 0 : pipeline["stages"][0]["out"].get<std::uint64_t>();
}

// Waits until the reload count reaches `count`; returns the last result.
nlohmann::json wait_for_reload(const FlowmindRun& flowmind, std::uint64_t count) {
  nlohmann::json status;
  wait_until(
      [&] {
        status = flowmind.reload_status();
        return !status.is_null() && status["reloads"].get<std::uint64_t>() >= count;
      },
      patience);
  return status.is_null() ? status : status["last"];
}

std::vector<std::string> names(const nlohmann::json& list) { return list.get<std::vector<std::string>>(); }

TEST(CliReload, SighupAddsRemovesReplacesAndLeavesTheRestAlone) {
  TempDir dir;
  const auto folder = dir.path() / "pipelines";
  std::filesystem::create_directory(folder);
  const auto steady = folder / "steady.yaml";
  const auto edited = folder / "edited.yaml";
  const auto dropped = folder / "dropped.yaml";
  dir.write("pipelines/steady.yaml", counter_pipeline("steady", 50));
  dir.write("pipelines/edited.yaml", counter_pipeline("edited", 50));
  dir.write("pipelines/dropped.yaml", counter_pipeline("dropped", 50));
  FlowmindRun flowmind(dir, {folder});
  ASSERT_TRUE(flowmind.wait_ready()) << flowmind.log();
  ASSERT_TRUE(wait_until([&] { return source_out(flowmind.pipeline("edited")) >= 10; }, patience)) << flowmind.log();
  const auto steady_before = source_out(flowmind.pipeline("steady"));
  EXPECT_EQ(flowmind.reload_status()["reloads"], 0);

  dir.write("pipelines/edited.yaml", counter_pipeline("edited", 50, "edited-v2"));
  dir.write("pipelines/added.yaml", counter_pipeline("added", 50));
  std::filesystem::remove(dropped);
  flowmind.child().send_signal(SIGHUP);
  const auto result = wait_for_reload(flowmind, 1);
  ASSERT_FALSE(result.is_null()) << flowmind.log();
  EXPECT_TRUE(result["ok"].get<bool>()) << result.dump(2);
  EXPECT_EQ(result["trigger"], "signal");
  EXPECT_EQ(names(result["added"]), std::vector<std::string>{"added"});
  EXPECT_EQ(names(result["removed"]), std::vector<std::string>{"dropped"});
  EXPECT_EQ(names(result["changed"]), std::vector<std::string>{"edited"});
  EXPECT_EQ(names(result["unchanged"]), std::vector<std::string>{"steady"});

  // The admin API shows the new definition; dropped is gone.
  ASSERT_TRUE(wait_until([&] { return flowmind.pipeline("added")["state"] == "running"; }, patience));
  EXPECT_GE(source_out(flowmind.pipeline("steady")), steady_before);
  EXPECT_EQ(flowmind.pipeline("steady")["state"], "running");
  const auto edited_now = http_get(flowmind.admin(), "/pipelines/edited");
  ASSERT_EQ(edited_now.status, 200);
  const auto edited_json = nlohmann::json::parse(edited_now.body);
  EXPECT_EQ(edited_json["definition"]["source"]["channel"], "edited-v2");
  EXPECT_EQ(edited_json["state"], "running");
  EXPECT_TRUE(flowmind.pipeline("dropped").is_null());
  ASSERT_TRUE(wait_until([&] { return source_out(flowmind.pipeline("edited")) >= 5; }, patience));

  // An invalid change: nothing changes, the errors name file, line and column.
  const auto steady_mid = source_out(flowmind.pipeline("steady"));
  dir.write("pipelines/edited.yaml",
            "pipeline: edited\nsource: {type: generator, rate: fast}\nsinks: [{type: stdout}]\n");
  dir.write("pipelines/another.yaml", counter_pipeline("another", 5));
  flowmind.child().send_signal(SIGHUP);
  const auto refused = wait_for_reload(flowmind, 2);
  EXPECT_FALSE(refused["ok"].get<bool>()) << refused.dump(2);
  ASSERT_EQ(refused["errors"].size(), 1U) << refused.dump(2);
  EXPECT_EQ(refused["errors"][0]["file"], edited.string());
  EXPECT_EQ(refused["errors"][0]["line"], 2);
  EXPECT_GT(refused["errors"][0]["column"].get<int>(), 0);
  EXPECT_TRUE(names(refused["added"]).empty());
  EXPECT_TRUE(flowmind.pipeline("another").is_null());
  EXPECT_EQ(flowmind.pipeline("edited")["state"], "running");
  EXPECT_GE(source_out(flowmind.pipeline("steady")), steady_mid);
  EXPECT_EQ(flowmind.reload_status()["failed"], 1);
  EXPECT_NE(flowmind.log().find(edited.string() + ":2:"), std::string::npos) << flowmind.log();

  EXPECT_EQ(flowmind.stop(), 0) << flowmind.log();

  // What ran, from the events printed: steady never restarted (one run of 0, 1, 2, ...), edited's
  // first instance ended and a new one counted from 0 on its new channel, dropped ended, added ran.
  const auto counts = counts_by_channel(flowmind.out());
  EXPECT_TRUE(consecutive_from_zero(counts.at("steady")));
  EXPECT_GT(counts.at("steady").size(), steady_before);
  EXPECT_TRUE(consecutive_from_zero(counts.at("edited")));
  EXPECT_TRUE(consecutive_from_zero(counts.at("edited-v2")));
  EXPECT_TRUE(consecutive_from_zero(counts.at("dropped")));
  EXPECT_TRUE(consecutive_from_zero(counts.at("added")));
  EXPECT_EQ(counts.count("another"), 0U);
  (void)steady;
}

TEST(CliReload, WatchReloadsOnceAfterAFileChanges) {
  TempDir dir;
  const auto file = dir.write("one.yaml", counter_pipeline("one", 20));
  FlowmindRun flowmind(dir, {file}, {.extra_args = {"--watch"}});
  ASSERT_TRUE(flowmind.wait_ready()) << flowmind.log();
  ASSERT_TRUE(wait_until([&] { return flowmind.pipeline("one")["state"] == "running"; }, patience));

  // Written in steps, as editors do: one reload once it settled.
  dir.write("one.yaml", "");
  dir.write("one.yaml", counter_pipeline("one", 20) + "---\n");
  dir.write("one.yaml", counter_pipeline("one", 20) + "---\n" + counter_pipeline("two", 20));
  const auto result = wait_for_reload(flowmind, 1);
  ASSERT_FALSE(result.is_null()) << flowmind.log();
  EXPECT_EQ(result["trigger"], "watch");
  EXPECT_TRUE(result["ok"].get<bool>()) << result.dump(2);
  EXPECT_EQ(names(result["added"]), std::vector<std::string>{"two"});
  EXPECT_EQ(names(result["unchanged"]), std::vector<std::string>{"one"});
  ASSERT_TRUE(wait_until([&] { return flowmind.pipeline("two")["state"] == "running"; }, patience));
  EXPECT_EQ(flowmind.reload_status()["reloads"], 1) << flowmind.log();

  // With --watch the process stays up even when the files define nothing that runs any more.
  dir.write("one.yaml",
            "pipeline: short\nsource: {type: generator, shape: counter, rate: 0, count: 3}\n"
            "sinks: [{type: stdout}]\n");
  ASSERT_TRUE(wait_until([&] { return flowmind.pipeline("short")["state"] == "finished"; }, patience))
      << flowmind.log();
  EXPECT_TRUE(flowmind.child().running());
  EXPECT_EQ(flowmind.stop(), 0) << flowmind.log();
}

TEST(CliReload, PostReloadAnswersWithTheResult) {
  TempDir dir;
  const auto file = dir.write("p.yaml", counter_pipeline("p", 10));
  FlowmindRun flowmind(dir, {file});
  ASSERT_TRUE(flowmind.wait_ready()) << flowmind.log();
  const auto unchanged = http_request(flowmind.admin(), "POST", "/reload");
  ASSERT_EQ(unchanged.status, 200) << unchanged.body;
  const auto body = nlohmann::json::parse(unchanged.body);
  EXPECT_EQ(body["trigger"], "api");
  EXPECT_EQ(names(body["unchanged"]), std::vector<std::string>{"p"});

  dir.write("p.yaml", "pipeline: p\nsource:\n  type: generator\n  rate: 10\n  colour: red\nsinks: [{type: stdout}]\n");
  const auto invalid = http_request(flowmind.admin(), "POST", "/reload");
  ASSERT_EQ(invalid.status, 422) << invalid.body;
  const auto errors = nlohmann::json::parse(invalid.body)["errors"];
  ASSERT_EQ(errors.size(), 1U) << invalid.body;
  EXPECT_EQ(errors[0]["line"], 5);
  EXPECT_EQ(errors[0]["column"], 3);
  EXPECT_NE(errors[0]["message"].get<std::string>().find("colour"), std::string::npos) << invalid.body;
  const auto status = flowmind.reload_status();
  EXPECT_EQ(status["reloads"], 2);
  EXPECT_EQ(status["failed"], 1);
  EXPECT_EQ(status["last"]["ok"], false);
  EXPECT_EQ(http_request(flowmind.admin(), "DELETE", "/reload").status, 405);
  EXPECT_EQ(flowmind.stop(), 0) << flowmind.log();
}

}  // namespace
}  // namespace flowmind::testing
