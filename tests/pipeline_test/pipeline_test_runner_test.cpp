// `flowmind test`: passing and failing files, malformed files with line:col, state across inputs, exit codes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace flowmind::testing {
namespace {

using namespace std::chrono_literals;

ProcessResult flowmind(const std::vector<std::string>& args) {
  std::vector<std::string> argv{flowmind_executable().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, 120s);
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Premium floor then a ticker cut: enough to exercise keep and drop paths with real plugins.
constexpr const char* premium_pipeline = R"(pipeline: big-flow
source:
  type: generator
  shape: flow-alerts
filters:
  - type: match
    conditions:
      - {field: total_premium, op: gte, value: 250000}
  - type: match
    action: drop
    conditions:
      - {field: ticker, op: eq, value: SPY}
sinks:
  - type: stdout
)";

class PipelineTestRunner : public ::testing::Test {
 protected:
  void SetUp() override { dir_.write("big-flow.yaml", premium_pipeline); }
  std::filesystem::path write_test(const std::string& text) const { return dir_.write("big-flow.test.yaml", text); }

  TempDir dir_;
};

TEST_F(PipelineTestRunner, PassingFileExitsZeroWithOneLinePerCase) {
  const auto file = write_test(R"(pipeline_file: big-flow.yaml
cases:
  - name: a big NVDA alert passes unchanged
    input:
      channel: flow-alerts
      data: {ticker: NVDA, total_premium: 300000}
    expect:
      - channel: flow-alerts
        data: {ticker: NVDA, total_premium: 300000}
        annotations: {}
        conditions:
          - {path: /data/total_premium, op: gt, value: 250000}
          - {path: /data/ticker, op: matches, value: "^NV"}
          - {path: /annotations/whale, op: exists, value: false}
  - name: small alerts and SPY are dropped
    input:
      - {channel: flow-alerts, data: {ticker: NVDA, total_premium: 1000}}
      - {channel: flow-alerts, data: {ticker: SPY, total_premium: 900000}}
    expect: dropped
)");
  const auto result = flowmind({"test", file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(has(result.out, "ok    a big NVDA alert passes unchanged")) << result.out;
  EXPECT_TRUE(has(result.out, "ok    small alerts and SPY are dropped")) << result.out;
  EXPECT_TRUE(has(result.out, "2 passed, 0 failed")) << result.out;
}

TEST_F(PipelineTestRunner, FailureNamesTheCaseThePathAndBothValues) {
  const auto file = write_test(R"(pipeline_file: big-flow.yaml
pipeline: big-flow
cases:
  - name: passes
    input: {channel: flow-alerts, data: {ticker: NVDA, total_premium: 300000}}
    expect: [{channel: flow-alerts}]
  - name: wrong ticker expected
    input: {channel: flow-alerts, data: {ticker: NVDA, total_premium: 300000}}
    expect:
      - data_contains: {ticker: AMD}
)");
  const auto result = flowmind({"test", file.string()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(has(result.out, "ok    passes")) << result.out;
  EXPECT_TRUE(has(result.out, "FAIL  wrong ticker expected")) << result.out;
  // At the expectation (line 10, column 9), the JSON pointer, expected and actual.
  EXPECT_TRUE(has(result.out, file.string() + ":10:9: output[0] /data/ticker: differs")) << result.out;
  EXPECT_TRUE(has(result.out, "- expected: \"AMD\"")) << result.out;
  EXPECT_TRUE(has(result.out, "+ actual:   \"NVDA\"")) << result.out;
  EXPECT_TRUE(has(result.out, "1 passed, 1 failed")) << result.out;
}

TEST_F(PipelineTestRunner, UnexpectedDropSaysWhichFilterDroppedIt) {
  const auto file = write_test(R"(pipeline_file: big-flow.yaml
cases:
  - name: SPY should pass
    input: {channel: flow-alerts, data: {ticker: SPY, total_premium: 300000}}
    expect: {count: 1}
)");
  const auto result = flowmind({"test", file.string()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(has(result.out, "FAIL  SPY should pass")) << result.out;
  EXPECT_TRUE(has(result.out, "outputs: expected 1 output event, got 0")) << result.out;
  EXPECT_TRUE(has(result.out, "input[0] filter[1] (match) dropped 1 event")) << result.out;
}

TEST_F(PipelineTestRunner, ExpectingDroppedFailsWhenTheEventPasses) {
  const auto file = write_test(R"(pipeline_file: big-flow.yaml
cases:
  - name: thought to be dropped
    input: {channel: flow-alerts, data: {ticker: QQQ, total_premium: 300000}}
    expect: dropped
)");
  const auto result = flowmind({"test", file.string()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(has(result.out, "FAIL  thought to be dropped")) << result.out;
  EXPECT_TRUE(has(result.out, "expected 0 output events (dropped), got 1")) << result.out;
  EXPECT_TRUE(has(result.out, R"("ticker":"QQQ")")) << "the actual output is shown\n" << result.out;
}

TEST_F(PipelineTestRunner, MalformedTestFileIsReportedWithLineAndColumn) {
  const auto file = write_test(R"(pipeline_file: big-flow.yaml
cases:
  - name: typo
    input: {channel: flow-alerts, data: {ticker: NVDA}}
    expcet: dropped
  - name: bad operator
    input: {channel: flow-alerts, data: {ticker: NVDA}}
    expect:
      - conditions:
          - {path: /data/ticker, op: gtee, value: NVDA}
          - {path: ticker, value: NVDA}
)");
  const auto result = flowmind({"test", file.string()});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  const auto where = file.string();
  EXPECT_TRUE(has(result.err, where + ":5:5: error: unknown key 'expcet' in cases[0] (did you mean 'expect'?)"))
      << result.err;
  EXPECT_TRUE(has(result.err, where + ":10:38: error: cases[1].expect[0].conditions[0].op: \"gtee\" is not one of"))
      << result.err;
  EXPECT_TRUE(has(result.err, "(did you mean \"gte\"?)")) << result.err;
  EXPECT_TRUE(has(result.err, where + ":11:20: error: cases[1].expect[0].conditions[1].path: \"ticker\" is not a JSON "
                                      "pointer"))
      << result.err;
  EXPECT_TRUE(has(result.out, "not run")) << result.out;
}

TEST_F(PipelineTestRunner, InvalidYamlIsReportedAtTheParserPosition) {
  const auto file = write_test("pipeline_file: big-flow.yaml\ncases: [\n");
  const auto result = flowmind({"test", file.string()});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(has(result.err, file.string() + ":")) << result.err;
  EXPECT_TRUE(has(result.err, "invalid YAML")) << result.err;
}

TEST_F(PipelineTestRunner, MissingPipelineFileOrNameIsBadInput) {
  const auto missing_file = dir_.write("missing.test.yaml", R"(pipeline_file: nowhere.yaml
cases:
  - {name: any, input: {channel: c, data: 1}, expect: dropped}
)");
  auto result = flowmind({"test", missing_file.string()});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(has(result.err, missing_file.string() + ":1:16: error: pipeline_file: cannot read")) << result.err;
  EXPECT_TRUE(has(result.err, "nowhere.yaml")) << result.err;

  const auto wrong_name = dir_.write("wrong-name.test.yaml", R"(pipeline_file: big-flow.yaml
pipeline: small-flow
cases:
  - {name: any, input: {channel: c, data: 1}, expect: dropped}
)");
  result = flowmind({"test", wrong_name.string()});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(has(result.err, wrong_name.string() + ":2:11: error: pipeline: no pipeline named 'small-flow'"))
      << result.err;
  EXPECT_TRUE(has(result.err, "big-flow")) << result.err;
}

TEST_F(PipelineTestRunner, InvalidPipelineIsReportedLikeValidate) {
  dir_.write("broken.yaml", R"(pipeline: broken
source:
  type: generator
filters:
  - type: match
    conditions:
      - {field: ticker, op: equals, value: SPY}
sinks:
  - type: stdout
)");
  const auto file = dir_.write("broken.test.yaml", R"(pipeline_file: broken.yaml
cases:
  - {name: any, input: {channel: c, data: 1}, expect: dropped}
)");
  const auto result = flowmind({"test", file.string()});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(has(result.err, (dir_.path() / "broken.yaml").string() + ":7:29: error:")) << result.err;
  EXPECT_TRUE(has(result.err, "is not a valid pipeline file")) << result.err;
}

// dedupe keeps state across the inputs of one case (and starts afresh in the next case); the
// inputs' timestamps drive its window.
TEST(PipelineTestRunnerState, StatefulFilterSeesTheInputsInOrder) {
  TempDir dir;
  dir.write("once.yaml", R"(pipeline: once
source:
  type: generator
filters:
  - type: dedupe
    key: [id]
    window: 10s
sinks:
  - type: stdout
)");
  const auto file = dir.write("once.test.yaml", R"(pipeline_file: once.yaml
cases:
  - name: a repeat within the window is dropped, after it kept again
    input:
      - channel: flow-alerts
        data: {id: a}
        timestamp: 2024-09-18T14:00:00Z
        expect: [{data: {id: a}, timestamp: 2024-09-18T14:00:00.000Z}]
      - channel: flow-alerts
        data: {id: a}
        after: 9s
        expect: dropped
      - channel: flow-alerts
        data: {id: b}
        expect: {count: 1}
      - channel: flow-alerts
        data: {id: a}
        timestamp: 2024-09-18T14:00:10.001Z
        expect: {count: 1}
    expect: {count: 3}
  - name: every case starts with fresh filters
    input: {channel: flow-alerts, data: {id: a}}
    expect: {count: 1}
  - name: a wrong idea of the window fails
    input:
      - {channel: flow-alerts, data: {id: c}}
      - {channel: flow-alerts, data: {id: c}, after: 5s, expect: {count: 1}}
)");
  const auto result = flowmind({"test", file.string()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(has(result.out, "ok    a repeat within the window is dropped, after it kept again")) << result.out;
  EXPECT_TRUE(has(result.out, "ok    every case starts with fresh filters")) << result.out;
  EXPECT_TRUE(has(result.out, "FAIL  a wrong idea of the window fails")) << result.out;
  EXPECT_TRUE(has(result.out, "input[1] outputs: expected 1 output event, got 0")) << result.out;
  EXPECT_TRUE(has(result.out, "input[1] filter[0] (dedupe) dropped 1 event")) << result.out;
}

// Relative paths in the pipeline (an enrich table) resolve from working_directory, and a filter
// that cannot be created makes the case an error (exit 2), not a failure.
TEST(PipelineTestRunnerFiles, TablesResolveFromTheWorkingDirectory) {
  TempDir dir;
  dir.write("data/members.csv", "name,party\nAvery Lindqvist,D\n");
  dir.write("pipelines/congress.yaml", R"(pipeline: congress
source:
  type: generator
filters:
  - type: enrich
    table: data/members.csv
    field: name
sinks:
  - type: stdout
)");
  const std::string cases = R"(
cases:
  - name: party added
    input: {channel: congress-trades, data: {name: avery lindqvist}}
    expect: [{annotations: {party: D}}]
)";
  const auto good = dir.write("pipelines/tests/good.test.yaml",
                              "pipeline_file: ../congress.yaml\nworking_directory: ../..\n" + cases);
  auto result = flowmind({"test", good.string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(has(result.out, "ok    party added")) << result.out;

  const auto elsewhere = dir.write("pipelines/tests/elsewhere.test.yaml",
                                   "pipeline_file: ../congress.yaml\nworking_directory: ..\n" + cases);
  result = flowmind({"test", elsewhere.string()});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(has(result.out, "ERROR party added")) << result.out;
  EXPECT_TRUE(has(result.out, "cannot create filter[0] (enrich)")) << result.out;
}

// A folder is searched recursively for *.test.yaml; payloads can come from files; --json.
TEST(PipelineTestRunnerFiles, FolderSearchDataFilesAndJson) {
  TempDir dir;
  dir.write("p/flow.yaml", premium_pipeline);
  dir.write("p/tests/frames/alert.json", R"(["flow-alerts",{"ticker":"NVDA","total_premium":400000}])");
  dir.write("p/tests/flow.test.yaml", R"(pipeline_file: ../flow.yaml
cases:
  - name: from a recorded frame
    input: {channel: flow-alerts, data_file: frames/alert.json, data_pointer: /1}
    expect: [{data: {ticker: NVDA, total_premium: 400000}}]
  - name: raw text as received
    input: {channel: flow-alerts, raw: '{"ticker":"AMD","total_premium":1}'}
    expect: [{channel: flow-alerts}]
)");
  dir.write("p/tests/notes.yaml", "not a test: ignored by the folder search\n");
  const auto result = flowmind({"test", "--json", (dir.path() / "p").string()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto report = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << result.out;
  ASSERT_EQ(report["files"].size(), 1U) << result.out;
  const auto& cases = report["files"][0]["cases"];
  ASSERT_EQ(cases.size(), 2U) << result.out;
  EXPECT_EQ(cases[0]["status"], "passed") << result.out;
  EXPECT_EQ(cases[1]["status"], "failed") << result.out;
  EXPECT_EQ(cases[1]["failures"][0]["message"], "expected 1 output event, got 0") << result.out;
  EXPECT_EQ(cases[1]["drops"][0], "input[0] filter[0] (match) dropped 1 event") << result.out;
  EXPECT_EQ(report["summary"]["passed"], 1);
  EXPECT_EQ(report["summary"]["failed"], 1);
  EXPECT_EQ(report["exit_code"], 1);
}

TEST(PipelineTestRunnerFiles, FolderWithoutTestsIsBadInput) {
  TempDir dir;
  dir.write("only-a-pipeline.yaml", premium_pipeline);
  const auto result = flowmind({"test", dir.path().string()});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(has(result.err, "no test found")) << result.err;
}

}  // namespace
}  // namespace flowmind::testing
