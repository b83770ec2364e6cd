// Test helper process: writes events through a file_writer forever, printing the fsynced count as it grows.
// Usage: file_writer_crash_helper FILE FSYNC_EVERY  (the test kills it with SIGKILL)
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "file_writer.hpp"
#include "plugin_test_context.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FILE FSYNC_EVERY\n", argv[0]);
    return 2;
  }
  flowmind::testing::TestStageContext ctx;
  flowmind::FileWriter writer(
      flowmind::testing::with_defaults(flowmind::file_writer_schema(), {{"path", argv[1]},
                                                                        {"fsync", "every"},
                                                                        {"fsync_every", std::atoi(argv[2])},
                                                                        {"batch_size", "1MiB"},
                                                                        {"fsync_interval", "1h"}}));
  writer.start(ctx);
  auto& synced = ctx.counter("events_synced");
  const std::string pad(900, 'x');
  std::uint64_t reported = 0;
  for (std::uint64_t i = 0;; ++i) {
    writer.consume(std::make_shared<const flowmind::Event>(
        "flow-alerts", R"({"i":)" + std::to_string(i) + R"(,"pad":")" + pad + R"("})"));
    // Only what fdatasync() returned for counts as acknowledged; one write() per report.
    if (const auto now = synced.load(); now != reported) {
      reported = now;
      const std::string line = std::to_string(now) + "\n";
      if (::write(STDOUT_FILENO, line.data(), line.size()) < 0) return 1;
    }
  }
}
