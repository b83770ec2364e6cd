// A pipeline test file as loaded: the pipeline under test, its cases, their inputs and expectations.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/reporter.hpp"
#include "flowmind/event.hpp"

namespace flowmind::pipeline_test {

enum class ConditionOp { eq, ne, lt, lte, gt, gte, in, contains, exists, matches };

// One check on a field of an output event, e.g. {path: /annotations/sentiment, op: eq, value: bullish}.
struct Condition {
  Position at;
  std::string path;  // JSON pointer into the output event {channel, timestamp, data, annotations}
  ConditionOp op = ConditionOp::eq;
  nlohmann::json value;                     // exists: true/false; in: a list
  std::shared_ptr<const std::regex> regex;  // matches: compiled once, when the file is loaded
};

// What one output event must look like; every part is optional ({} accepts any event).
struct EventExpectation {
  Position at;
  std::optional<std::string> channel;
  std::optional<std::string> timestamp;  // ISO-8601 UTC with milliseconds
  std::optional<nlohmann::json> data;    // equal to the payload
  std::optional<nlohmann::json> data_contains;
  std::optional<nlohmann::json> annotations;  // equal to every annotation
  std::optional<nlohmann::json> annotations_contains;
  std::vector<Condition> conditions;
};

// What a case (or one input of it) must produce: exactly `count` events, the first of which
// match `events` in order. `expect: dropped` is count 0.
struct OutputExpectation {
  Position at;
  std::size_t count = 0;
  std::vector<EventExpectation> events;
};

// One event fed to the first filter.
struct InputEvent {
  Position at;
  std::string channel;
  std::string raw_payload;
  Event::Clock::time_point timestamp;
  nlohmann::json annotations = nlohmann::json::object();
  std::optional<OutputExpectation> expect;  // the outputs this input alone causes
};

struct TestCase {
  Position at;
  std::string name;
  std::vector<InputEvent> inputs;           // fed in order to the same filter instances
  std::optional<OutputExpectation> expect;  // every output of the case, in order
};

struct TestFile {
  std::filesystem::path file;           // as named on the command line
  std::filesystem::path pipeline_file;  // resolved against the test file's folder
  Position pipeline_file_at;
  std::string pipeline;  // the pipeline's name; empty = the file's only pipeline
  Position pipeline_at;
  // Where the filters run (relative paths in the pipeline resolve from here); empty = the
  // current directory, as with `flowmind run`.
  std::filesystem::path working_directory;
  Position working_directory_at;
  std::map<std::string, std::string> env;  // overrides the environment for ${VAR} in the pipeline
  std::vector<TestCase> cases;
};

}  // namespace flowmind::pipeline_test
