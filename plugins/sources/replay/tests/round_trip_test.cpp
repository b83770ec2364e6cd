// Recording round trip: replaying the shipped session into a file_writer reproduces it byte for byte.
#include <zlib.h>

#include <gtest/gtest.h>

#include "file_writer.hpp"
#include "replay.hpp"
#include "test_source_context.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

namespace fs = std::filesystem;

std::string gunzip(const fs::path& file) {
  gzFile gz = gzopen(file.c_str(), "rb");
  if (gz == nullptr) return {};
  std::string text;
  char buffer[65536];
  int got = 0;
  while ((got = gzread(gz, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(got));
  gzclose(gz);
  return text;
}

// The StageContext part of the test source context is all a sink needs.
TEST(ReplayRoundTrip, ReplayIntoFileWriterReproducesTheRecording) {
  const auto recording = flowmind::testing::source_dir() / "pipelines" / "recordings" / "uw-sample-session.jsonl.gz";
  flowmind::testing::TestSourceContext source_ctx;
  ReplaySource source(
      flowmind::testing::with_defaults(replay_schema(), {{"path", recording.string()}, {"speed", "max"}}));
  source.run(source_ctx);
  ASSERT_EQ(source_ctx.value("bad_lines"), 0U);

  flowmind::testing::TempDir dir;
  flowmind::testing::TestSourceContext sink_ctx;
  FileWriter writer(
      flowmind::testing::with_defaults(file_writer_schema(), {{"path", (dir.path() / "copy.jsonl").string()}}));
  writer.start(sink_ctx);
  for (const auto& event : source_ctx.events()) writer.consume(std::make_shared<const Event>(event.clone()));
  writer.flush();
  writer.stop();

  const auto original = gunzip(recording);
  ASSERT_FALSE(original.empty());
  EXPECT_TRUE(flowmind::testing::read_file(dir.path() / "copy.jsonl") == original)
      << "the re-recorded session differs from the original";
}

}  // namespace
}  // namespace flowmind
