// kill -9 of the engine while a file_writer pipeline writes, then a restart: every line parses, nothing fsynced is
// lost.
#include <csignal>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace flowmind::testing {
namespace {

using namespace std::chrono_literals;

// events_synced of the file_writer stage, as the admin API reports it (0 when unknown).
std::uint64_t synced_events(int port) {
  const auto response = http_get(port, "/pipelines");
  if (response.status != 200) return 0;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (!body.is_object()) return 0;
  for (const auto& pipeline : body.value("pipelines", nlohmann::json::array())) {
    for (const auto& stage : pipeline.value("stages", nlohmann::json::array())) {
      if (stage.value("type", "") == "file_writer") return stage["counters"].value("events_synced", std::uint64_t{0});
    }
  }
  return 0;
}

std::vector<std::string> complete_lines(const std::string& text, std::string& partial) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (auto end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  partial = text.substr(start);
  return lines;
}

std::string pipeline_yaml(const std::filesystem::path& out, const std::string& count) {
  return "pipeline: recorder\n"
         "source: {type: generator, shape: flow-alerts, rate: 0, count: " +
         count +
         "}\n"
         "sinks:\n"
         "  - type: file_writer\n"
         "    path: " +
         out.string() +
         "\n"
         "    fsync: every\n"
         "    fsync_every: 10\n";
}

TEST(FileWriterEngine, KillNineThenRestartKeepsEveryFsyncedLineAndRepairs) {
  TempDir dir;
  const auto out = dir.path() / "flow.jsonl";
  const auto endless = dir.write("endless.yaml", pipeline_yaml(out, "0"));
  const int port = free_port();
  std::uint64_t acknowledged = 0;
  {
    ChildProcess engine({flowmind_executable().string(), "run", "--admin-listen", "127.0.0.1:" + std::to_string(port),
                         endless.string()},
                        dir.path() / "run.out", dir.path() / "run.err");
    ASSERT_TRUE(wait_until([&] { return synced_events(port) >= 2000; }, 120s)) << read_file(dir.path() / "run.err");
    acknowledged = synced_events(port);
    engine.send_signal(SIGKILL);
    ASSERT_EQ(engine.wait(30s), -1);
  }

  std::string partial;
  const auto lines = complete_lines(read_file(out), partial);
  ASSERT_GE(lines.size(), acknowledged) << "lines reported as fsynced are missing";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    ASSERT_FALSE(nlohmann::json::parse(lines[i], nullptr, false).is_discarded()) << "line " << i + 1 << " is torn";
  }

  // Restart with a finite run: the writer cuts any partial line off and appends after it.
  const auto finite = dir.write("finite.yaml", pipeline_yaml(out, "3"));
  const auto rerun =
      run_process({flowmind_executable().string(), "run", "--admin-listen", "off", finite.string()}, 120s);
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  std::string rest;
  const auto after = complete_lines(read_file(out), rest);
  EXPECT_TRUE(rest.empty());
  ASSERT_EQ(after.size(), lines.size() + 3);
  for (const auto& line : after) {
    const auto parsed = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded());
    EXPECT_EQ(parsed["channel"], "flow-alerts");
  }
  if (!partial.empty()) {
    EXPECT_NE(rerun.err.find("partial last line"), std::string::npos) << rerun.err;
  }
}

}  // namespace
}  // namespace flowmind::testing
