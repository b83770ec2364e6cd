// kill -9 of a process writing through file_writer: every line parses, nothing fsynced is missing, restart repairs.
#include <csignal>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "file_writer.hpp"
#include "plugin_test_context.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

using namespace std::chrono_literals;
using flowmind::testing::read_file;

// The last complete number the helper printed.
std::uint64_t last_ack(const std::filesystem::path& file) {
  const auto text = read_file(file);
  const auto end = text.rfind('\n');
  if (end == std::string::npos) return 0;
  const auto previous = end == 0 ? std::string::npos : text.rfind('\n', end - 1);
  const auto start = previous == std::string::npos ? 0 : previous + 1;
  return std::stoull(text.substr(start, end - start));
}

// Complete lines of `text`; `partial` gets what follows the last '\n'.
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

TEST(FileWriterCrash, KillNineLosesNothingFsyncedAndRestartRepairs) {
  flowmind::testing::TempDir dir;
  const auto data = dir.path() / "flow.jsonl";
  const auto acks = dir.path() / "acks.txt";
  std::uint64_t acked = 0;
  {
    flowmind::testing::ChildProcess child({FILE_WRITER_CRASH_HELPER, data.string(), "7"}, acks, dir.path() / "err.txt");
    ASSERT_TRUE(flowmind::testing::wait_until([&] { return last_ack(acks) >= 700; }, 120s))
        << read_file(dir.path() / "err.txt");
    child.send_signal(SIGKILL);
    ASSERT_EQ(child.wait(30s), -1);
    acked = last_ack(acks);
  }

  std::string partial;
  const auto lines = complete_lines(read_file(data), partial);
  ASSERT_GE(lines.size(), acked) << "events acknowledged as fsynced are missing";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto parsed = nlohmann::json::parse(lines[i], nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << "line " << i << " does not parse";
    ASSERT_EQ(parsed["data"]["i"], i) << "lines lost or duplicated";
  }

  // Restart: a new writer appends after cutting off whatever partial line the kill left.
  {
    flowmind::testing::TestStageContext ctx;
    FileWriter writer(flowmind::testing::with_defaults(file_writer_schema(), {{"path", data.string()}}));
    writer.start(ctx);
    writer.consume(std::make_shared<const Event>("flow-alerts", R"({"i":"restarted"})"));
    writer.flush();
    writer.stop();
    EXPECT_EQ(ctx.value("repaired_bytes"), partial.size());
  }
  std::string rest;
  const auto after = complete_lines(read_file(data), rest);
  EXPECT_TRUE(rest.empty());
  ASSERT_EQ(after.size(), lines.size() + 1);
  for (const auto& line : after) ASSERT_FALSE(nlohmann::json::parse(line, nullptr, false).is_discarded());
  EXPECT_EQ(nlohmann::json::parse(after.back())["data"]["i"], "restarted");
}

}  // namespace
}  // namespace flowmind
