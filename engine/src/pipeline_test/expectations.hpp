// Compares the events a pipeline's filters produced with what a test case expects.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "flowmind/event.hpp"
#include "pipeline_test/test_spec.hpp"

namespace flowmind::pipeline_test {

// One unmet expectation, located at the expectation in the test file.
struct Failure {
  Position at;
  std::string subject;  // which outputs: "output[1]", "input[2] output[0]", "outputs of input[2]"
  std::string path;     // JSON pointer into the output event; empty for counts and filter errors
  std::string message;  // "expected \"bullish\", got \"bearish\""
  std::optional<nlohmann::json> expected;
  std::optional<nlohmann::json> actual;
};

// An output event as tests see it (and as sinks put it on the wire):
// {"channel", "timestamp" (ISO-8601 UTC ms), "data" (the payload; its text when not JSON), "annotations"}.
[[nodiscard]] nlohmann::json event_view(const Event& event);

// Checks the count of `outputs` and each described event; appends what does not hold.
// `subject` prefixes the names of events ("" or "input[2] ").
void check_outputs(const OutputExpectation& expect, const std::vector<nlohmann::json>& outputs,
                   const std::string& subject, std::vector<Failure>& failures);

}  // namespace flowmind::pipeline_test
