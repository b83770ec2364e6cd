// `flowmind validate`: exit codes, every error reported with file:line:col, shipped pipelines valid.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace flowmind::testing {
namespace {

using namespace std::chrono_literals;

ProcessResult flowmind(const std::vector<std::string>& args) {
  std::vector<std::string> argv{flowmind_executable().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, 60s);
}

TEST(CliValidate, ValidFileExitsZero) {
  TempDir dir;
  const auto file = dir.write("ok.yaml", R"(pipeline: numbers
source:
  type: generator
  shape: counter
  count: 3
sinks:
  - type: stdout
)");
  const auto result = flowmind({"validate", file.string()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("ok: 1 pipeline valid"), std::string::npos) << result.out;
}

TEST(CliValidate, EveryMistakeIsReportedWithItsPlace) {
  TempDir dir;
  const auto file = dir.write("broken.yaml", R"(pipeline: broken
source:
  type: generatr
filters:
  - type: match
    mode: sometimes
    conditions:
      - {field: ticker, op: eq, value: SPY}
sinks:
  - type: stdout
    formatt: payload
)");
  const auto result = flowmind({"validate", file.string()});
  EXPECT_EQ(result.exit_code, 1);
  const auto where = file.string();
  EXPECT_NE(result.err.find(where + ":3:9: error:"), std::string::npos) << result.err;  // unknown plugin type
  EXPECT_NE(result.err.find("generator"), std::string::npos) << "did-you-mean hint expected\n" << result.err;
  EXPECT_NE(result.err.find(where + ":6:11: error:"), std::string::npos) << result.err;  // not an allowed value
  EXPECT_NE(result.err.find(where + ":11:5: error:"), std::string::npos) << result.err;  // unknown key
  EXPECT_NE(result.err.find("format"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("3 errors"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
}

TEST(CliValidate, MissingFileIsAnError) {
  const auto result = flowmind({"validate", "/nonexistent/pipelines.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("/nonexistent/pipelines.yaml"), std::string::npos) << result.err;
}

TEST(CliValidate, UnsetVariableWithoutDefaultIsAnError) {
  TempDir dir;
  const auto file = dir.write("env.yaml", R"(pipeline: env
source:
  type: generator
  channel: ${FLOWMIND_TEST_SURELY_UNSET_VARIABLE}
sinks:
  - type: stdout
)");
  const auto result = flowmind({"validate", file.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(file.string() + ":4:12:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("FLOWMIND_TEST_SURELY_UNSET_VARIABLE"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace flowmind::testing
