// Reading recorded lines back: envelopes byte for byte, raw captures with payload times, bad lines, gzip.
#include <zlib.h>

#include <gtest/gtest.h>

#include "flowmind/event.hpp"
#include "json_scan.hpp"
#include "line_reader.hpp"
#include "record.hpp"
#include "test_support.hpp"

namespace flowmind {
namespace {

using Clock = std::chrono::system_clock;
const std::vector<std::string> time_fields = {"executed_at", "time", "timestamp"};

Clock::time_point epoch_ms(long long ms) { return Clock::time_point(std::chrono::milliseconds(ms)); }

TEST(ReplayRecord, ReadsTheEnvelopeBackExactly) {
  // Key order and number spelling of the payload survive: it is never re-serialized.
  const std::string payload =
      R"({"ticker":"DIA","underlying_price":415.981,"total_premium":36466,"a":{"z":1,"b":[1.50,"x"]}})";
  Event event("flow-alerts", payload, epoch_ms(1726670327692));
  event.annotate("sentiment", "bullish");
  event.annotate("whale", nlohmann::json{{"min", 1000000}});
  const auto parsed = parse_line(event.wire(), time_fields);
  ASSERT_EQ(parsed.kind, LineKind::record) << parsed.problem;
  EXPECT_EQ(parsed.record.channel, "flow-alerts");
  EXPECT_EQ(parsed.record.payload, payload);
  EXPECT_EQ(parsed.record.annotations, event.annotations());
  EXPECT_EQ(parsed.record.time, epoch_ms(1726670327692));
}

TEST(ReplayRecord, ReadsRawCapturesWithTheTimeOfTheirPayload) {
  auto flow = parse_line(R"(["flow-alerts",{"ticker":"DIA","start_time":1726670212648,"executed_at":1726670212748}])",
                         time_fields);
  ASSERT_EQ(flow.kind, LineKind::record) << flow.problem;
  EXPECT_EQ(flow.record.channel, "flow-alerts");
  EXPECT_EQ(flow.record.time, epoch_ms(1726670212748));
  EXPECT_TRUE(flow.record.annotations.is_null());

  auto price = parse_line(R"(  ["price:SPY", {"close":"562.82","time":1726670327692,"vol":6015555}]  )", time_fields);
  EXPECT_EQ(price.record.payload, R"({"close":"562.82","time":1726670327692,"vol":6015555})");
  EXPECT_EQ(price.record.time, epoch_ms(1726670327692));

  auto dark = parse_line(R"(["off_lit_trades",{"executed_at":"2023-02-16T00:59:44Z","price":"18.9904"}])", time_fields);
  EXPECT_EQ(dark.record.time, epoch_ms(1676509184000));

  auto seconds = parse_line(R"(["x",{"timestamp":"1726670327"}])", time_fields);
  EXPECT_EQ(seconds.record.time, epoch_ms(1726670327000));

  auto untimed = parse_line(R"(["news",{"headline":"h"}])", time_fields);
  EXPECT_EQ(untimed.kind, LineKind::record);
  EXPECT_FALSE(untimed.record.time);
}

TEST(ReplayRecord, SubscriptionAcksAreControlLinesAndBlanksAreBlank) {
  EXPECT_EQ(parse_line(R"(["option_trades",{"response":{},"status":"ok"}])", time_fields).kind, LineKind::control);
  EXPECT_EQ(parse_line("   \r", time_fields).kind, LineKind::blank);
}

TEST(ReplayRecord, BadLinesSayWhy) {
  for (const std::string line : {
           R"({"channel":"x","timestamp":"2024-09-18T14:00:00.000Z","data":{"a":tru}})",
           R"({"channel":"x","timestamp":"2024-09-18T14:00:00.000Z","data":{"a":1})",  // torn by a crash
           R"({"channel":"x","data":{}} trailing)",
           R"({"timestamp":"2024-09-18T14:00:00.000Z","data":{}})",
           R"({"channel":7,"data":{}})",
           R"({"channel":"x","timestamp":"yesterday","data":{}})",
           R"({"channel":"x","data":{},"annotations":[1]})",
           R"(["only-a-channel"])",
           R"(["x",{"a":1},3])",
           R"({"channel":"x","data":01})",
           R"({"channel":"x","data":"tab	inside"})",
           "plain text",
       }) {
    const auto parsed = parse_line(line, time_fields);
    EXPECT_EQ(parsed.kind, LineKind::bad) << line;
    EXPECT_FALSE(parsed.problem.empty()) << line;
  }
}

TEST(ReplayRecord, ScannerUnescapesAndBoundsNesting) {
  EXPECT_EQ(unescape_json_string(R"("a\"b\\c\u00e9\ud83d\ude00\n")"), "a\"b\\c\xc3\xa9\xf0\x9f\x98\x80\n");
  EXPECT_FALSE(unescape_json_string(R"("bad \q")"));
  const std::string too_deep = std::string(300, '[') + std::string(300, ']');
  EXPECT_FALSE(JsonScanner(too_deep).value());
  const std::string nested = std::string(100, '[') + std::string(100, ']');
  EXPECT_TRUE(JsonScanner(nested).value());
}

TEST(ReplayRecord, ParsesIso8601Forms) {
  EXPECT_EQ(parse_iso8601("2024-09-18T14:32:07.692Z"), epoch_ms(1726669927692));
  EXPECT_EQ(parse_iso8601("2024-09-18 14:32:07.692"), epoch_ms(1726669927692));
  EXPECT_EQ(parse_iso8601("2024-09-18T16:32:07.692+02:00"), epoch_ms(1726669927692));
  EXPECT_EQ(parse_iso8601("2024-09-18T14:32Z"), epoch_ms(1726669920000));
  EXPECT_EQ(parse_iso8601("2024-09-18"), epoch_ms(1726617600000));
  EXPECT_FALSE(parse_iso8601("2024-13-18"));
  EXPECT_FALSE(parse_iso8601("2024-09-18T14"));
  EXPECT_FALSE(parse_iso8601("14:30"));
}

void write_gzip(const std::filesystem::path& file, const std::string& text,
                std::size_t keep_bytes = std::string::npos) {
  gzFile gz = gzopen(file.c_str(), "wb");
  gzwrite(gz, text.data(), static_cast<unsigned>(text.size()));
  gzclose(gz);
  if (keep_bytes != std::string::npos) std::filesystem::resize_file(file, keep_bytes);
}

std::vector<std::string> read_all(LineReader& reader, std::vector<LineReader::Result>& results) {
  std::vector<std::string> lines;
  std::string line;
  while (true) {
    const auto result = reader.next(line);
    if (result == LineReader::Result::end || result == LineReader::Result::error) {
      results.push_back(result);
      return lines;
    }
    results.push_back(result);
    if (result == LineReader::Result::line) lines.push_back(line);
  }
}

TEST(ReplayLineReader, ReadsPlainAndGzipAlikeAndSkipsOverlongLines) {
  flowmind::testing::TempDir dir;
  const std::string text = "first\n" + std::string(5000, 'x') + "\nthird\nno newline at the end";
  const auto plain = dir.write("plain.jsonl", text);
  const auto gz = dir.path() / "packed.jsonl.gz";
  write_gzip(gz, text);
  for (const auto& file : {plain, gz}) {
    LineReader reader(file, 1024);
    std::vector<LineReader::Result> results;
    const auto lines = read_all(reader, results);
    EXPECT_EQ(lines, (std::vector<std::string>{"first", "third", "no newline at the end"})) << file;
    EXPECT_EQ(results[1], LineReader::Result::too_long);
    EXPECT_EQ(results.back(), LineReader::Result::end);
    EXPECT_EQ(reader.line_number(), 4U);
  }
}

TEST(ReplayLineReader, ReportsATruncatedGzipAfterItsGoodLines) {
  flowmind::testing::TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += R"({"channel":"x","data":)" + std::to_string(i) + "}\n";
  const auto gz = dir.path() / "cut.jsonl.gz";
  write_gzip(gz, text);
  std::filesystem::resize_file(gz, std::filesystem::file_size(gz) / 2);
  LineReader reader(gz, 1024);
  std::vector<LineReader::Result> results;
  const auto lines = read_all(reader, results);
  EXPECT_GT(lines.size(), 100U);
  EXPECT_LT(lines.size(), 20000U);
  EXPECT_EQ(results.back(), LineReader::Result::error);
  EXPECT_FALSE(reader.error().empty());
}

TEST(ReplayLineReader, MissingFileIsAnError) {
  LineReader reader("/nonexistent/recording.jsonl", 1024);
  EXPECT_FALSE(reader.is_open());
  std::string line;
  EXPECT_EQ(reader.next(line), LineReader::Result::error);
}

}  // namespace
}  // namespace flowmind
