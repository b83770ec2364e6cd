// Every kind of mistake in a pipeline file, each reported at its exact line:column, all at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace flowmind::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* duration_forms =
    "accepted forms: 500ms, 30s, 5m, 1h, 2d, 1m30s, 1.5s or 0 (units: ns, us, ms, s, m, h, d)";
constexpr const char* size_forms =
    "accepted forms: 1024 (bytes), 512B, 64KB, 4MiB, 1.5GiB (KB, MB, GB, TB = powers of 1000; KiB, MiB, GiB, TiB = "
    "powers of 1024)";

TEST(PipelineErrorsTest, ReportsEveryMistakeOfAFileInFileOrder) {
  const auto result = load_text(R"(pipeline: many-mistakes
source:
  type: generator
  rtae: 5
  rate: fast
  interval: 30
filters:
  - type: premium
  - type: match
    conditions:
      - field: side
        op: eqq
sinks:
  - type: file_writer
    path: out.jsonl
    max_file_size: 8GiB
)");
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.pipelines, IsEmpty());
  EXPECT_THAT(printed(result),
              ElementsAre("p.yaml:4:3: error: unknown key 'rtae' in source 'generator' (did you mean 'rate'?)",
                          "p.yaml:5:9: error: rate: expected a number, got \"fast\"",
                          std::string("p.yaml:6:13: error: interval: expected a duration, got 30: a number needs a "
                                      "unit, e.g. \"30s\" or \"500ms\"; ") +
                              duration_forms,
                          "p.yaml:8:5: error: missing required key 'min' in filter 'premium' (filters[0])",
                          "p.yaml:12:13: error: conditions[0].op: \"eqq\" is not one of: eq, ne, gt, lt (did you "
                          "mean \"eq\"?)",
                          "p.yaml:16:20: error: max_file_size: 8GiB is above the maximum 1GiB"));
}

TEST(PipelineErrorsTest, OnDemandKeysAreChecked) {
  const auto wrong = load_text(R"(pipeline: lazy
on_demand: sometimes
on_demand_linger: 30
source: {type: generator}
sinks: [{type: console}]
)");
  EXPECT_FALSE(wrong.ok());
  EXPECT_THAT(printed(wrong),
              ElementsAre("p.yaml:2:12: error: on_demand: expected true or false, got \"sometimes\"",
                          std::string("p.yaml:3:19: error: on_demand_linger: expected a duration, got 30: a number "
                                      "needs a unit, e.g. \"30s\" or \"500ms\"; ") +
                              duration_forms));
  const auto useless = load_text(R"(pipeline: eager
on_demand_linger: 5s
source: {type: generator}
sinks: [{type: console}]
)");
  EXPECT_TRUE(useless.ok());
  EXPECT_THAT(printed(useless),
              ElementsAre("p.yaml:2:1: warning: on_demand_linger has no effect without 'on_demand: true'"));
}

TEST(PipelineErrorsTest, MalformedYamlIsReportedAtTheParserPosition) {
  const auto result = load_text("pipeline: broken\nsource: [generator\nsinks: []\n");
  EXPECT_THAT(printed(result), ElementsAre("p.yaml:3:6: error: invalid YAML: end of sequence flow not found"));
  const auto tabs = load_text("pipeline: x\nsource:\n\ttype: generator\n");
  EXPECT_FALSE(tabs.ok());
  ASSERT_EQ(tabs.diagnostics.size(), 1U);
  EXPECT_EQ(tabs.diagnostics[0].location.line, 3);
}

TEST(PipelineErrorsTest, DocumentMustBeAMap) {
  EXPECT_THAT(printed(load_text("- a\n- b\n")),
              ElementsAre("p.yaml:1:1: error: a pipeline document must be a map with the keys pipeline, source and "
                          "sinks, got a list"));
  EXPECT_THAT(printed(load_text("pipeline: ok\nsource: {type: generator}\nsinks: [{type: console}]\n---\n  hello\n")),
              ElementsAre("p.yaml:5:3: error: a pipeline document must be a map with the keys pipeline, source and "
                          "sinks, got \"hello\""));
}

TEST(PipelineErrorsTest, UnknownKeysGetADidYouMeanHintWhenOneIsClose) {
  const auto result = load_text(R"(pipline: typo
descripton: x
source:
  type: generator
  colour: red
  chanel: flow
  buffer: {max_events: 1}
filters:
  - type: match
    conditions:
      - {field: a, op: eq, wieght: 2}
sinks:
  - type: console
    formatt: text
    style: {colr: true}
    buffer: {max_event: 5}
)");
  EXPECT_THAT(printed(result),
              ElementsAre("p.yaml:1:1: error: unknown key 'pipline' in the pipeline (did you mean 'pipeline'?)",
                          "p.yaml:1:1: error: missing required key 'pipeline' (the pipeline's name)",
                          "p.yaml:2:1: error: unknown key 'descripton' in the pipeline (did you mean 'description'?)",
                          "p.yaml:5:3: error: unknown key 'colour' in source 'generator'",
                          "p.yaml:6:3: error: unknown key 'chanel' in source 'generator' (did you mean 'channel'?)",
                          "p.yaml:7:3: error: unknown key 'buffer' in source 'generator'",
                          "p.yaml:11:28: error: unknown key 'wieght' in conditions[0] (did you mean 'weight'?)",
                          "p.yaml:14:5: error: unknown key 'formatt' in sink 'console' (sinks[0]) (did you mean "
                          "'format'?)",
                          "p.yaml:15:13: error: unknown key 'colr' in style (did you mean 'color'?)",
                          "p.yaml:16:14: error: unknown key 'max_event' in buffer (did you mean 'max_events'?)"));
}

TEST(PipelineErrorsTest, WrongTypesSayWhatWasExpectedAndWhatWasFound) {
  const auto result = load_text(R"(pipeline: types
source:
  type: generator
  rate:
  count: 1.5
  channel: {a: 1}
  enabled: maybe
  mode: [burst]
  tags: a
  labels: [a]
  max_payload: 4MB/s
  timeouts: [1s, 10]
  interval: -5s
sinks:
  - type: console
    style: dark
)");
  EXPECT_THAT(
      printed(result),
      ElementsAre("p.yaml:4:3: error: rate: expected a number, got null",
                  "p.yaml:5:10: error: count: expected an integer, got 1.5",
                  "p.yaml:6:12: error: channel: expected a string, got a map",
                  "p.yaml:7:12: error: enabled: expected a boolean (true/false, yes/no, on/off), got \"maybe\"",
                  "p.yaml:8:9: error: mode: expected one of: steady, burst, random, got a list",
                  "p.yaml:9:9: error: tags: expected a list, got \"a\"",
                  "p.yaml:10:11: error: labels: expected a map, got a list",
                  std::string("p.yaml:11:16: error: max_payload: expected a size, got \"4MB/s\": ") + size_forms,
                  std::string("p.yaml:12:18: error: timeouts[1]: expected a duration, got 10: a number needs "
                              "a unit, e.g. \"30s\" or \"500ms\"; ") +
                      duration_forms,
                  std::string("p.yaml:13:13: error: interval: expected a duration, got \"-5s\": a duration "
                              "cannot be negative; ") +
                      duration_forms,
                  "p.yaml:16:12: error: style: expected a map, got \"dark\""));
}

TEST(PipelineErrorsTest, ValuesOutOfRangeNameTheBound) {
  const auto result = load_text(R"(pipeline: ranges
source:
  type: generator
  rate: 1001
  count: -1
  channel: ""
  interval: 500us
  max_payload: 5MiB
  tags: [a, b, c, d]
sinks:
  - type: console
    style: {width: 10}
  - type: file_writer
    path: x
    max_file_size: 1000
---
pipeline: more-ranges
source:
  type: generator
  rate: -0.5
  channel: abcdefghijklmnopq
  count: 99999999999999999999
filters:
  - type: match
    conditions: []
sinks: [{type: console}]
)");
  EXPECT_THAT(printed(result), ElementsAre("p.yaml:4:9: error: rate: 1001 is above the maximum 1000",
                                           "p.yaml:5:10: error: count: -1 is below the minimum 0",
                                           "p.yaml:6:12: error: channel: length 0 is below the minimum length 1",
                                           "p.yaml:7:13: error: interval: 500us is below the minimum 1ms",
                                           "p.yaml:8:16: error: max_payload: 5MiB is above the maximum 4MiB",
                                           "p.yaml:9:9: error: tags: 4 items is above the maximum 3",
                                           "p.yaml:12:20: error: style.width: 10 is below the minimum 20",
                                           "p.yaml:15:20: error: max_file_size: 1000 is below the minimum 1KiB",
                                           "p.yaml:20:9: error: rate: -0.5 is below the minimum 0",
                                           "p.yaml:21:12: error: channel: length 17 is above the maximum length 16",
                                           "p.yaml:22:10: error: count: 99999999999999999999 is out of range for an "
                                           "integer",
                                           "p.yaml:25:17: error: conditions: 0 items is below the minimum 1"));
}

TEST(PipelineErrorsTest, EnumerationValuesAreListedWithAHint) {
  const auto result = load_text(R"(pipeline: enums
source:
  type: generator
  mode: stedy
  priorities: [high, medium, Low]
filters:
  - type: premium
    min: 5
    currencies: [usd, eru]
sinks: [{type: console, format: 3}]
)");
  EXPECT_THAT(printed(result),
              ElementsAre("p.yaml:4:9: error: mode: \"stedy\" is not one of: steady, burst, random (did you mean "
                          "\"steady\"?)",
                          "p.yaml:5:22: error: priorities[1]: \"medium\" is not one of: low, high",
                          "p.yaml:5:30: error: priorities[2]: \"Low\" is not one of: low, high (did you mean \"low\"?)",
                          "p.yaml:9:23: error: currencies[1]: \"eru\" is not one of: usd, eur, gbp (did you mean "
                          "\"eur\"?)",
                          "p.yaml:10:33: error: format: 3 is not one of: json, text"));
}

TEST(PipelineErrorsTest, MissingRequiredKeysAreReportedAtTheMapThatLacksThem) {
  const auto result = load_text(R"(description: nothing else
---
pipeline: missing
source:
  rate: 5
filters:
  - type: match
    conditions:
      - {op: eq}
sinks:
  - path: x
  - type: file_writer
    append: false
)");
  EXPECT_THAT(printed(result),
              ElementsAre("p.yaml:1:1: error: missing required key 'pipeline' (the pipeline's name)",
                          "p.yaml:1:1: error: missing required key 'source' in the pipeline",
                          "p.yaml:1:1: error: missing required key 'sinks' in the pipeline",
                          "p.yaml:5:3: error: missing required key 'type' (the source plugin) in source",
                          "p.yaml:9:9: error: missing required key 'field' in conditions[0]",
                          "p.yaml:11:5: error: missing required key 'type' (the sink plugin) in sinks[0]",
                          "p.yaml:12:5: error: missing required key 'path' in sink 'file_writer' (sinks[1])"));
}

TEST(PipelineErrorsTest, UnknownPluginsAndPluginsOfTheWrongKind) {
  const auto result = load_text(R"(pipeline: plugins
source:
  type: generatr
filters:
  - type: kafka
  - type: file_writer
sinks:
  - type: match
  - type: consol
  - type: [console]
  - buffer: {when_full: later}
---
pipeline: wrong-source
source: {type: match, conditions: []}
sinks: [{type: generator}]
)");
  EXPECT_THAT(printed(result),
              ElementsAre("p.yaml:3:9: error: unknown source plugin 'generatr' (did you mean 'generator'?)",
                          "p.yaml:5:11: error: unknown filter plugin 'kafka' (available filter plugins: match, "
                          "premium)",
                          "p.yaml:6:11: error: 'file_writer' is a sink plugin, not a filter",
                          "p.yaml:8:11: error: 'match' is a filter plugin, not a sink",
                          "p.yaml:9:11: error: unknown sink plugin 'consol' (did you mean 'console'?)",
                          "p.yaml:10:11: error: type: expected a plugin name, got a list",
                          // The sink's buffer is the engine's: checked whatever the plugin.
                          "p.yaml:11:5: error: missing required key 'type' (the sink plugin) in sinks[3]",
                          "p.yaml:11:25: error: buffer.when_full: \"later\" is not one of: block, drop_oldest, "
                          "drop_newest",
                          "p.yaml:14:16: error: 'match' is a filter plugin, not a source",
                          "p.yaml:15:16: error: 'generator' is a source plugin, not a sink"));
}

TEST(PipelineErrorsTest, PipelineLevelShapeMistakes) {
  const auto result = load_text(R"(pipeline: my flow
description: [not, text]
source: generator
filters: {type: match}
sinks: []
buffer: {max_events: 0, when_full: drop, size: 5}
---
pipeline: [a]
source: {type: generator}
sinks:
  - console
---
pipeline: no-sinks
source: {type: generator}
sinks:
buffer: big
)");
  EXPECT_THAT(
      printed(result),
      ElementsAre("p.yaml:1:11: error: pipeline: invalid name \"my flow\": use letters, digits, '_', '.' and '-' (at "
                  "least one)",
                  "p.yaml:2:14: error: description: expected a string, got a list",
                  "p.yaml:3:9: error: source: expected a map with a 'type' key, got \"generator\"",
                  "p.yaml:4:10: error: filters: expected a list of filter stages, got a map",
                  "p.yaml:5:8: error: sinks: at least one sink is required",
                  "p.yaml:6:22: error: buffer.max_events: 0 is below the minimum 1",
                  "p.yaml:6:36: error: buffer.when_full: \"drop\" is not one of: block, drop_oldest, drop_newest",
                  "p.yaml:6:42: error: unknown key 'size' in buffer",
                  "p.yaml:8:11: error: pipeline: expected a name, got a list",
                  "p.yaml:11:5: error: sinks[0]: expected a map with a 'type' key, got \"console\"",
                  "p.yaml:15:1: error: sinks: at least one sink is required",
                  "p.yaml:16:9: error: buffer: expected a map (max_events, when_full), got \"big\""));
}

TEST(PipelineErrorsTest, DuplicateKeysAndDuplicatePipelineNames) {
  const auto result = load_text(R"(pipeline: twin
source:
  type: generator
  rate: 1
  rate: 2
sinks: [{type: console}]
sinks: [{type: console}]
---
pipeline: twin
source: {type: generator}
sinks: [{type: console}]
)");
  EXPECT_THAT(printed(result), ElementsAre("p.yaml:5:3: error: duplicate key 'rate' (first given on line 4)",
                                           "p.yaml:7:1: error: duplicate key 'sinks' (first given on line 6)",
                                           "p.yaml:9:11: error: duplicate pipeline name 'twin' (first defined at "
                                           "p.yaml:1:11)"));
}

TEST(PipelineErrorsTest, InterpolationErrorsAreReportedAtTheScalar) {
  const auto result = load_text(R"(pipeline: interp
source:
  type: generator
  channel: ${CHANNEL}
  tags: [a, "${BAD", ok]
  labels:
    x: ${9X}
  rate: ${RATE}
sinks:
  - type: console
    format: ${FORMAT}
)",
                                {{"RATE", "fast"}, {"FORMAT", "secret-value"}});
  // Values that come from the environment are never echoed: they may be secrets.
  EXPECT_THAT(printed(result),
              ElementsAre("p.yaml:4:12: error: environment variable CHANNEL is not set (write ${CHANNEL:-default} to "
                          "give a default)",
                          "p.yaml:5:13: error: unterminated \"${\" (write \"$${\" for a literal \"${\")",
                          "p.yaml:7:8: error: invalid variable name \"9X\" in \"${9X}\": use letters, digits and '_', "
                          "not starting with a digit",
                          "p.yaml:8:9: error: rate: expected a number, got the value of \"${RATE}\"",
                          "p.yaml:11:13: error: format: the value of \"${FORMAT}\" is not one of: json, text"));
}

TEST(PipelineErrorsTest, ValidateIssuesPointAtTheValueTheyName) {
  const auto result = load_text(R"(pipeline: checked
source: {type: generator}
filters:
  - type: match
    conditions:
      - field: premium
        op: lt
      - field: size
        op: gt
        value: big
      - {field: c, op: eq, value: 3}
sinks: [{type: console}]
)");
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(printed(result),
              ElementsAre("p.yaml:6:7: warning: conditions: more than 2 conditions slow down every event",
                          // No value written: the nearest written parent, the condition's map.
                          "p.yaml:6:9: error: conditions[0].value: 'lt' needs a numeric value",
                          "p.yaml:10:16: error: conditions[1].value: 'gt' needs a numeric value"));
}

TEST(PipelineErrorsTest, AnExceptionFromValidateIsAnErrorNotACrash) {
  const auto result = load_text(R"(pipeline: throws
source: {type: generator}
filters:
  - type: match
    conditions: [{field: __throw__, op: eq}]
sinks: [{type: console}]
)");
  EXPECT_THAT(printed(result), ElementsAre("p.yaml:4:5: error: plugin 'match' failed while checking its config: "
                                           "cannot check field __throw__"));
}

TEST(PipelineErrorsTest, InvalidPluginDefaultsAreBlamedOnThePlugin) {
  const auto result = load_text("pipeline: bad-default\nsource: {type: generator}\nsinks:\n  - type: broken\n");
  EXPECT_THAT(printed(result), ElementsAre("p.yaml:4:5: error: plugin 'broken' declares an invalid default for "
                                           "'every': expected a duration, got \"soon\""));
}

TEST(PipelineErrorsTest, EmptyInputHasNoPipeline) {
  EXPECT_THAT(printed(load_text("")), ElementsAre("p.yaml: error: no pipeline found: the file has no YAML document"));
  EXPECT_THAT(printed(load_text("# just a comment\n---\n---\n")),
              ElementsAre("p.yaml: error: no pipeline found: the file has no YAML document"));
}

TEST(PipelineErrorsTest, TextLargerThanOneMebibyteIsRefused) {
  const std::string text = "pipeline: big\n# " + std::string(1024 * 1024, 'x') + "\n";
  EXPECT_THAT(printed(load_text(text)),
              ElementsAre("p.yaml: error: file is larger than 1 MiB, the limit for pipeline definitions; refused"));
}

TEST(PipelineErrorsTest, SelfReferencingAliasesAndAliasBombsAreRefused) {
  EXPECT_THAT(printed(load_text(R"(pipeline: cycle
source:
  type: generator
  payload: &loop [1, *loop]
sinks: [{type: console}]
)")),
              ElementsAre("p.yaml:4:12: error: document nests deeper than 64 levels (an alias inside its own "
                          "anchor?); refused"));
  // Depth counts from the document: the payload list is level 2, so the 63rd '[' (column 74) is level 64.
  const std::string deep = "pipeline: deep\nsource:\n  type: generator\n  payload: " + std::string(100, '[') +
                           std::string(100, ']') + "\nsinks: [{type: console}]\n";
  EXPECT_THAT(printed(load_text(deep)),
              ElementsAre("p.yaml:4:74: error: document nests deeper than 64 levels (an alias inside its own "
                          "anchor?); refused"));
  std::string bomb =
      "pipeline: bomb\nsource:\n  type: generator\n  payload:\n    l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < 6; ++level) {
    const std::string previous = "*l" + std::to_string(level - 1);
    bomb += "    l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) bomb += (i == 0 ? "" : ", ") + previous;
    bomb += "]\n";
  }
  bomb += "sinks: [{type: console}]\n";
  EXPECT_THAT(printed(load_text(bomb)),
              ElementsAre("p.yaml:5:29: error: document has more than 100000 values (after expanding aliases); "
                          "refused"));
}

}  // namespace
}  // namespace flowmind::testing
