// Reads a pipeline test file into a TestFile; every mistake is reported at its line and column.
#include "pipeline_test/test_file_loader.hpp"

#include <yaml-cpp/yaml.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <fstream>
#include <set>

#include "config/did_you_mean.hpp"
#include "config/reporter.hpp"
#include "config/units.hpp"
#include "config/yaml_scalars.hpp"
#include "config/yaml_tree.hpp"
#include "pipeline_test/event_time.hpp"

namespace flowmind::pipeline_test {
namespace {

namespace fs = std::filesystem;
using Kind = YamlNode::Kind;

// A payload file is one recorded message or response, never a whole recording.
constexpr std::size_t max_data_file_bytes = 1024 * 1024;

const std::vector<std::string>& file_keys() {
  static const std::vector<std::string> keys{"pipeline_file",     "pipeline", "description",
                                             "working_directory", "env",      "cases"};
  return keys;
}
const std::vector<std::string>& case_keys() {
  static const std::vector<std::string> keys{"name", "description", "input", "expect"};
  return keys;
}
const std::vector<std::string>& input_keys() {
  static const std::vector<std::string> keys{"channel",   "data",  "raw",         "data_file", "data_pointer",
                                             "timestamp", "after", "annotations", "expect"};
  return keys;
}
const std::vector<std::string>& event_keys() {
  static const std::vector<std::string> keys{
      "channel", "timestamp", "data", "data_contains", "annotations", "annotations_contains", "conditions"};
  return keys;
}
const std::vector<std::string>& condition_keys() {
  static const std::vector<std::string> keys{"path", "op", "value"};
  return keys;
}
const std::vector<std::string>& op_names() {
  static const std::vector<std::string> names{"eq",  "ne", "lt",       "lte",    "gt",
                                              "gte", "in", "contains", "exists", "matches"};
  return names;
}

std::string read_text(const fs::path& file, std::size_t limit, std::string& error) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    error = std::string("cannot read: ") + std::strerror(errno);
    return {};
  }
  std::string content(limit + 1, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.bad()) {
    error = std::string("cannot read: ") + std::strerror(errno);
    return {};
  }
  content.resize(static_cast<std::size_t>(in.gcount()));
  if (content.size() > limit) error = "larger than " + format_size(limit) + ", the limit; refused";
  return content;
}

class TestFileReader {
 public:
  TestFileReader(fs::path file, Reporter& report) : file_(std::move(file)), report_(report) {
    folder_ = file_.parent_path();
  }

  std::optional<TestFile> read(const YamlNode& document) {
    if (!mapping(document, "a test file", "pipeline_file and cases")) return std::nullopt;
    check_keys(document, file_keys(), "the test file");
    TestFile test;
    test.file = file_;
    if (const YamlEntry* entry = required(document, "pipeline_file", "(the pipeline to test, relative to this file)")) {
      test.pipeline_file_at = entry->value.position;
      if (auto name = text(entry->value, "pipeline_file")) test.pipeline_file = relative_to_file(*name);
    }
    if (const YamlEntry* entry = document.find("pipeline")) {
      test.pipeline_at = entry->value.position;
      if (auto name = text(entry->value, "pipeline")) test.pipeline = *name;
    }
    if (const YamlEntry* entry = document.find("description")) text(entry->value, "description");
    if (const YamlEntry* entry = document.find("working_directory")) {
      test.working_directory_at = entry->value.position;
      if (auto dir = text(entry->value, "working_directory")) test.working_directory = relative_to_file(*dir);
    }
    if (const YamlEntry* entry = document.find("env")) read_env(entry->value, test);
    if (const YamlEntry* entry = required(document, "cases", "(the list of test cases)")) {
      read_cases(entry->value, test);
    }
    if (report_.error_count() > 0) return std::nullopt;
    return test;
  }

 private:
  fs::path relative_to_file(const std::string& path) const {
    const fs::path given(path);
    return given.is_absolute() ? given : folder_ / given;
  }

  bool mapping(const YamlNode& node, const std::string& what, const std::string& keys) {
    if (node.kind == Kind::mapping) return true;
    if (!node.invalid) report_.error(node.position, what + " must be a map with " + keys + ", got " + describe(node));
    return false;
  }

  void check_keys(const YamlNode& node, const std::vector<std::string>& allowed, const std::string& where) {
    for (const auto& entry : node.entries) {
      if (std::find(allowed.begin(), allowed.end(), entry.key) != allowed.end()) continue;
      report_.error(entry.key_position,
                    "unknown key '" + entry.key + "' in " + where + did_you_mean(entry.key, allowed));
    }
  }

  const YamlEntry* required(const YamlNode& node, const std::string& key, const std::string& why) {
    const YamlEntry* entry = node.find(key);
    if (entry == nullptr) report_.error(node.position, "missing required key '" + key + "' " + why);
    return entry;
  }

  std::optional<std::string> text(const YamlNode& node, const std::string& display) {
    if (node.invalid) return std::nullopt;
    if (!node.is_scalar()) {
      report_.error(node.position, display + ": expected a string, got " + describe(node));
      return std::nullopt;
    }
    return node.text;
  }

  void read_env(const YamlNode& node, TestFile& test) {
    if (!mapping(node, "env", "variable names and values")) return;
    for (const auto& entry : node.entries) {
      if (auto value = text(entry.value, "env." + entry.key)) test.env[entry.key] = *value;
    }
  }

  void read_cases(const YamlNode& node, TestFile& test) {
    if (node.kind != Kind::sequence || node.items.empty()) {
      if (!node.invalid)
        report_.error(node.position, "cases: expected a non-empty list of cases, got " + describe(node));
      return;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      const std::string where = "cases[" + std::to_string(i) + "]";
      if (auto test_case = read_case(node.items[i], where)) {
        if (!names.insert(test_case->name).second) {
          report_.error(test_case->at, where + ": duplicate case name '" + test_case->name + "'");
        }
        test.cases.push_back(std::move(*test_case));
      }
    }
  }

  std::optional<TestCase> read_case(const YamlNode& node, const std::string& where) {
    if (!mapping(node, where, "name, input and expect")) return std::nullopt;
    check_keys(node, case_keys(), where);
    TestCase test_case;
    test_case.at = node.position;
    const std::size_t errors_before = report_.error_count();
    if (const YamlEntry* entry = required(node, "name", "in " + where)) {
      if (auto name = text(entry->value, where + ".name")) test_case.name = *name;
    }
    if (const YamlEntry* entry = node.find("description")) text(entry->value, where + ".description");
    const std::string label = test_case.name.empty() ? where : where + " '" + test_case.name + "'";
    if (const YamlEntry* entry = required(node, "input", "(the events to feed) in " + label)) {
      read_inputs(entry->value, where + ".input", test_case);
    }
    if (const YamlEntry* entry = node.find("expect")) test_case.expect = read_expect(entry->value, where + ".expect");
    const bool checks_something =
        test_case.expect.has_value() || std::any_of(test_case.inputs.begin(), test_case.inputs.end(),
                                                    [](const InputEvent& input) { return input.expect.has_value(); });
    if (!checks_something && report_.error_count() == errors_before) {
      report_.error(node.position, label + " checks nothing: give it an 'expect' (or one of its inputs)");
    }
    return test_case;
  }

  void read_inputs(const YamlNode& node, const std::string& where, TestCase& test_case) {
    std::optional<Event::Clock::time_point> previous;
    if (node.kind == Kind::mapping) {
      if (auto input = read_input(node, where, previous)) test_case.inputs.push_back(std::move(*input));
      return;
    }
    if (node.kind != Kind::sequence || node.items.empty()) {
      if (!node.invalid)
        report_.error(node.position, where + ": expected an event or a non-empty list, got " + describe(node));
      return;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      if (auto input = read_input(node.items[i], where + "[" + std::to_string(i) + "]", previous)) {
        test_case.inputs.push_back(std::move(*input));
      }
    }
  }

  std::optional<InputEvent> read_input(const YamlNode& node, const std::string& where,
                                       std::optional<Event::Clock::time_point>& previous) {
    if (!mapping(node, where, "channel and data")) return std::nullopt;
    check_keys(node, input_keys(), where);
    InputEvent input;
    input.at = node.position;
    if (const YamlEntry* entry = required(node, "channel", "in " + where)) {
      if (auto channel = text(entry->value, where + ".channel")) input.channel = *channel;
    }
    read_payload(node, where, input);
    read_input_time(node, where, previous, input);
    if (const YamlEntry* entry = node.find("annotations")) {
      if (mapping(entry->value, where + ".annotations", "annotation names and values")) {
        input.annotations = generic_json(entry->value);
      }
    }
    if (const YamlEntry* entry = node.find("expect")) input.expect = read_expect(entry->value, where + ".expect");
    return input;
  }

  void read_payload(const YamlNode& node, const std::string& where, InputEvent& input) {
    const YamlEntry* data = node.find("data");
    const YamlEntry* raw = node.find("raw");
    const YamlEntry* data_file = node.find("data_file");
    const YamlEntry* pointer = node.find("data_pointer");
    const int given = (data != nullptr ? 1 : 0) + (raw != nullptr ? 1 : 0) + (data_file != nullptr ? 1 : 0);
    if (given != 1) {
      report_.error(node.position, where +
                                       ": give exactly one of data (YAML/JSON), raw (the payload text) or "
                                       "data_file (a file holding the payload)");
      return;
    }
    if (pointer != nullptr && data_file == nullptr) {
      report_.error(pointer->key_position, where + ": data_pointer only applies to data_file");
    }
    if (data != nullptr) {
      input.raw_payload = generic_json(data->value).dump();
    } else if (raw != nullptr) {
      if (auto value = text(raw->value, where + ".raw")) input.raw_payload = *value;
    } else if (auto name = text(data_file->value, where + ".data_file")) {
      read_data_file(*name, data_file->value.position, pointer, where, input);
    }
  }

  void read_data_file(const std::string& name, Position at, const YamlEntry* pointer, const std::string& where,
                      InputEvent& input) {
    const fs::path path = relative_to_file(name);
    std::string error;
    std::string content = read_text(path, max_data_file_bytes, error);
    if (!error.empty()) {
      report_.error(at, where + ".data_file: " + path.string() + ": " + error);
      return;
    }
    if (pointer == nullptr) {
      while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
      input.raw_payload = std::move(content);
      return;
    }
    const auto pointer_text = text(pointer->value, where + ".data_pointer");
    if (!pointer_text) return;
    const auto document = nlohmann::json::parse(content, nullptr, false);
    if (document.is_discarded()) {
      report_.error(at, where + ".data_file: " + path.string() + " is not valid JSON (needed for data_pointer)");
      return;
    }
    try {
      const nlohmann::json::json_pointer json_pointer(*pointer_text);
      if (!document.contains(json_pointer)) {
        report_.error(pointer->value.position,
                      where + ".data_pointer: " + *pointer_text + " is not in " + path.string());
        return;
      }
      input.raw_payload = document.at(json_pointer).dump();
    } catch (const nlohmann::json::exception&) {
      report_.error(pointer->value.position,
                    where + ".data_pointer: \"" + *pointer_text + "\" is not a JSON pointer (e.g. /data/0)");
    }
  }

  void read_input_time(const YamlNode& node, const std::string& where,
                       std::optional<Event::Clock::time_point>& previous, InputEvent& input) {
    const YamlEntry* timestamp = node.find("timestamp");
    const YamlEntry* after = node.find("after");
    // Unless told otherwise, inputs are 1 ms apart from a fixed start: deterministic windows.
    input.timestamp = previous ? *previous + std::chrono::milliseconds(1) : default_start_time();
    if (timestamp != nullptr && after != nullptr) {
      report_.error(after->key_position, where + ": give timestamp or after, not both");
    } else if (timestamp != nullptr) {
      if (auto value = text(timestamp->value, where + ".timestamp")) {
        if (auto time = parse_event_time(*value)) {
          input.timestamp = *time;
        } else {
          report_.error(timestamp->value.position, where +
                                                       ".timestamp: expected ISO-8601 UTC time "
                                                       "(2024-09-18T14:32:07.692Z) or epoch milliseconds, got " +
                                                       describe(timestamp->value));
        }
      }
    } else if (after != nullptr) {
      if (auto value = text(after->value, where + ".after")) {
        if (auto ns = parse_duration_ns(*value)) {
          const auto base = previous ? *previous : default_start_time();
          input.timestamp = base + std::chrono::duration_cast<Event::Clock::duration>(std::chrono::nanoseconds(*ns));
        } else {
          report_.error(after->value.position, where + ".after: expected a duration, got " + describe(after->value) +
                                                   ": " + duration_hint(*value));
        }
      }
    }
    previous = input.timestamp;
  }

  std::optional<OutputExpectation> read_expect(const YamlNode& node, const std::string& where) {
    OutputExpectation expect;
    expect.at = node.position;
    if (node.is_scalar()) {
      if (node.text != "dropped") {
        report_.error(node.position,
                      where + ": expected a list of events, a map (count, events) or 'dropped', got " + describe(node));
        return std::nullopt;
      }
      return expect;  // no output at all
    }
    if (node.kind == Kind::sequence) {
      read_events(node, where, expect);
      expect.count = expect.events.size();
      return expect;
    }
    if (node.kind != Kind::mapping) {
      if (!node.invalid)
        report_.error(node.position, where +
                                         ": expected a list of events, a map (count, events) or "
                                         "'dropped', got " +
                                         describe(node));
      return std::nullopt;
    }
    check_keys(node, {"count", "events"}, where);
    const YamlEntry* events = node.find("events");
    if (events != nullptr) read_events(events->value, where + ".events", expect);
    expect.count = expect.events.size();
    if (const YamlEntry* count = node.find("count")) {
      const auto value = count->value.is_scalar() ? parse_int_literal(count->value.text) : std::nullopt;
      if (!value || *value < 0) {
        report_.error(count->value.position,
                      where + ".count: expected a whole number >= 0, got " + describe(count->value));
      } else if (*value < static_cast<std::int64_t>(expect.events.size())) {
        report_.error(count->value.position, where + ".count: " + std::to_string(*value) + " is less than the " +
                                                 std::to_string(expect.events.size()) + " events described");
      } else {
        expect.count = static_cast<std::size_t>(*value);
      }
    } else if (events == nullptr) {
      report_.error(node.position, where + ": give count, events or both");
    }
    return expect;
  }

  void read_events(const YamlNode& node, const std::string& where, OutputExpectation& expect) {
    if (node.kind != Kind::sequence) {
      if (!node.invalid) report_.error(node.position, where + ": expected a list of events, got " + describe(node));
      return;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      const auto& item = node.items[i];
      const std::string label = where + "[" + std::to_string(i) + "]";
      EventExpectation event;
      event.at = item.position;
      if (item.kind == Kind::null) {  // `- ~` or `- {}`-like: any event
        expect.events.push_back(std::move(event));
        continue;
      }
      if (!mapping(item, label, "channel, data, annotations or conditions")) continue;
      read_event(item, label, event);
      expect.events.push_back(std::move(event));
    }
  }

  void read_event(const YamlNode& node, const std::string& where, EventExpectation& event) {
    check_keys(node, event_keys(), where);
    if (const YamlEntry* entry = node.find("channel")) event.channel = text(entry->value, where + ".channel");
    if (const YamlEntry* entry = node.find("timestamp")) {
      if (auto value = text(entry->value, where + ".timestamp")) {
        if (auto time = parse_event_time(*value)) {
          event.timestamp = Event::iso8601_ms(*time);
        } else {
          report_.error(entry->value.position, where +
                                                   ".timestamp: expected ISO-8601 UTC time or epoch "
                                                   "milliseconds, got " +
                                                   describe(entry->value));
        }
      }
    }
    if (const YamlEntry* entry = node.find("data")) event.data = generic_json(entry->value);
    if (const YamlEntry* entry = node.find("data_contains")) event.data_contains = generic_json(entry->value);
    if (const YamlEntry* entry = node.find("annotations")) {
      if (mapping(entry->value, where + ".annotations", "annotation names and values")) {
        event.annotations = generic_json(entry->value);
      }
    }
    if (const YamlEntry* entry = node.find("annotations_contains")) {
      if (mapping(entry->value, where + ".annotations_contains", "annotation names and values")) {
        event.annotations_contains = generic_json(entry->value);
      }
    }
    if (const YamlEntry* entry = node.find("conditions")) {
      const YamlNode& list = entry->value;
      if (list.kind != Kind::sequence) {
        report_.error(list.position, where + ".conditions: expected a list of conditions, got " + describe(list));
        return;
      }
      for (std::size_t i = 0; i < list.items.size(); ++i) {
        if (auto condition = read_condition(list.items[i], where + ".conditions[" + std::to_string(i) + "]")) {
          event.conditions.push_back(std::move(*condition));
        }
      }
    }
  }

  std::optional<Condition> read_condition(const YamlNode& node, const std::string& where) {
    if (!mapping(node, where, "path, op and value")) return std::nullopt;
    check_keys(node, condition_keys(), where);
    Condition condition;
    condition.at = node.position;
    const std::size_t errors_before = report_.error_count();
    if (const YamlEntry* entry =
            required(node, "path", "(a JSON pointer such as /annotations/sentiment) in " + where)) {
      if (auto path = text(entry->value, where + ".path")) {
        condition.path = *path;
        check_pointer(*path, entry->value.position, where + ".path");
      }
    }
    if (const YamlEntry* entry = node.find("op")) {
      if (auto op = text(entry->value, where + ".op")) {
        const auto& names = op_names();
        const auto found = std::find(names.begin(), names.end(), *op);
        if (found == names.end()) {
          report_.error(entry->value.position, where + ".op: \"" + *op +
                                                   "\" is not one of: eq, ne, lt, lte, gt, gte, "
                                                   "in, contains, exists, matches" +
                                                   did_you_mean(*op, names, '"'));
        } else {
          condition.op = static_cast<ConditionOp>(found - names.begin());
        }
      }
    }
    const YamlEntry* value = node.find("value");
    if (value != nullptr) condition.value = generic_json(value->value);
    const Position value_at = value != nullptr ? value->value.position : node.position;
    check_value(condition, value != nullptr, value_at, where);
    if (report_.error_count() != errors_before) return std::nullopt;
    return condition;
  }

  void check_pointer(const std::string& path, Position at, const std::string& display) {
    try {
      const nlohmann::json::json_pointer pointer(path);
      static const std::set<std::string> roots{"channel", "timestamp", "data", "annotations"};
      const std::string root = path.empty() ? std::string() : path.substr(1, path.find('/', 1) - 1);
      if (roots.count(root) == 0) {
        report_.error(at, display + ": \"" + path + "\" must start with /data, /annotations, /channel or /timestamp");
      }
    } catch (const nlohmann::json::exception&) {
      report_.error(at, display + ": \"" + path + "\" is not a JSON pointer (e.g. /annotations/sentiment, /data/0)");
    }
  }

  void check_value(Condition& condition, bool given, Position at, const std::string& where) {
    const auto& value = condition.value;
    switch (condition.op) {
      case ConditionOp::exists:
        if (!given) condition.value = true;
        if (given && !value.is_boolean()) report_.error(at, where + ".value: exists takes true or false");
        break;
      case ConditionOp::in:
        if (!value.is_array()) report_.error(at, where + ".value: in needs a list");
        break;
      case ConditionOp::lt:
      case ConditionOp::lte:
      case ConditionOp::gt:
      case ConditionOp::gte:
        if (!value.is_number() && !value.is_string()) {
          report_.error(at, where + ".value: " + op_names()[static_cast<std::size_t>(condition.op)] +
                                " needs a number or a string");
        }
        break;
      case ConditionOp::matches:
        if (!value.is_string()) {
          report_.error(at, where + ".value: matches needs a regular expression (a string)");
          break;
        }
        try {
          condition.regex = std::make_shared<const std::regex>(value.get<std::string>(), std::regex::ECMAScript);
        } catch (const std::regex_error& error) {
          report_.error(at, where + ".value: not a valid regular expression: " + error.what());
        }
        break;
      case ConditionOp::contains:
        if (!given || value.is_object() || value.is_array()) {
          report_.error(at, where + ".value: contains needs a string, number or boolean");
        }
        break;
      case ConditionOp::eq:
      case ConditionOp::ne:
        if (!given) report_.error(at, where + ": missing required key 'value'");
        break;
    }
  }

  fs::path file_;
  fs::path folder_;
  Reporter& report_;
};

LoadedTestFile finish(Reporter& report, std::optional<TestFile> test) {
  LoadedTestFile loaded;
  loaded.diagnostics = report.take();
  if (!has_errors(loaded.diagnostics)) loaded.test = std::move(test);
  return loaded;
}

}  // namespace

LoadedTestFile load_test_text(std::string_view yaml, const std::filesystem::path& file, const EnvLookup& env) {
  Reporter report(file.string());
  std::optional<TestFile> test;
  try {
    if (yaml.size() > max_test_file_bytes) {
      report.error({},
                   "file is larger than " + format_size(max_test_file_bytes) + ", the limit for test files; refused");
      return finish(report, std::nullopt);
    }
    YAML::Node document;
    try {
      document = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& error) {
      Position at;
      if (!error.mark.is_null()) at = {error.mark.line + 1, error.mark.column + 1};
      report.error(at, "invalid YAML: " + error.msg);
      return finish(report, std::nullopt);
    }
    if (document.IsNull()) {
      report.error({}, "no test found: the file has no YAML document");
      return finish(report, std::nullopt);
    }
    auto tree = build_tree(document, env, report);
    if (tree) test = TestFileReader(file, report).read(*tree);
  } catch (const std::exception& error) {
    report.error({}, std::string("unexpected failure while loading: ") + error.what());
  }
  return finish(report, std::move(test));
}

LoadedTestFile load_test_file(const std::filesystem::path& file, const EnvLookup& env) {
  std::string error;
  const std::string content = read_text(file, max_test_file_bytes, error);
  if (!error.empty()) {
    LoadedTestFile loaded;
    loaded.diagnostics.push_back(
        Diagnostic{Diagnostic::Severity::error, SourceLocation{file.string(), 0, 0}, std::move(error)});
    return loaded;
  }
  return load_test_text(content, file, env);
}

}  // namespace flowmind::pipeline_test
