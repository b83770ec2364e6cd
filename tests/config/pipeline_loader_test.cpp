// Pipelines that load: normalized values, defaults, interpolation, buffers, documents, definition JSON.
#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace flowmind::testing {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(PipelineLoaderTest, LoadsAPipelineWithDefaultsNormalized) {
  const auto result = load_text(R"(pipeline: flow-1.a_b
description: counts things
source:
  type: generator
  rate: 5
  count: 3
filters:
  - type: premium
    min: 1000
sinks:
  - type: file_writer
    path: out.jsonl
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  EXPECT_THAT(result.diagnostics, IsEmpty());
  ASSERT_EQ(result.pipelines.size(), 1U);
  const auto& spec = result.pipelines[0];
  EXPECT_EQ(spec.name, "flow-1.a_b");
  EXPECT_EQ(spec.location.file, "p.yaml");
  EXPECT_EQ(spec.location.line, 1);
  EXPECT_EQ(spec.location.column, 1);

  EXPECT_EQ(spec.source.type, "generator");
  EXPECT_EQ(spec.source.location.line, 4);
  EXPECT_EQ(spec.source.location.column, 3);
  EXPECT_EQ(spec.source.config.json(), json::parse(R"({"rate": 5, "count": 3, "channel": "test",
      "interval": 1000000000, "max_payload": 65536, "enabled": true, "mode": "steady"})"));
  EXPECT_TRUE(spec.source.config.at("rate").is_number_float());
  EXPECT_EQ(spec.source.config.duration("interval"), std::chrono::seconds(1));
  EXPECT_EQ(spec.source.config.size("max_payload"), 65536U);
  EXPECT_FALSE(spec.source.config.has("tags"));  // no default: absent

  ASSERT_EQ(spec.filters.size(), 1U);
  EXPECT_EQ(spec.filters[0].type, "premium");
  EXPECT_EQ(spec.filters[0].location.line, 8);
  EXPECT_EQ(spec.filters[0].location.column, 5);
  EXPECT_EQ(spec.filters[0].config.json(),
            json::parse(R"({"min": 1000, "currencies": ["usd"], "window": 300000000000})"));

  ASSERT_EQ(spec.sinks.size(), 1U);
  EXPECT_EQ(spec.sinks[0].type, "file_writer");
  EXPECT_EQ(spec.sinks[0].location.line, 11);
  EXPECT_EQ(spec.sinks[0].location.column, 5);
  EXPECT_EQ(spec.sinks[0].config.json(), json::parse(R"({"path": "out.jsonl", "max_file_size": 4194304,
      "flush_interval": 5000000000, "append": true})"));
  EXPECT_EQ(spec.sinks[0].buffer.max_events, 1024U);
  EXPECT_EQ(spec.sinks[0].buffer.when_full, WhenFull::block);
  EXPECT_EQ(spec.buffer.max_events, 1024U);
  EXPECT_EQ(spec.buffer.when_full, WhenFull::block);
}

TEST(PipelineLoaderTest, ConvertsEveryOptionType) {
  const auto result = load_text(R"(pipeline: types
source:
  type: generator
  rate: 2.5
  count: 0x10
  channel: "42"
  interval: 1m30s
  max_payload: 1.5MiB
  enabled: off
  mode: burst
  tags: [a, "b", 3]
  priorities: [high, low]
  timeouts: [1s, 250ms]
  payload: {n: 1, f: 1.5, s: "x", b: true, z: null, l: [1, two], q: "7", o: 0o17, h: 0xff, e: 1e3,
            big: 99999999999999999999, yes_word: yes, t: !!str 12}
  labels:
    team: flow
    level: 3
sinks:
  - type: console
    style:
      width: 100
  - type: webhook
    url: https://example.org/hook
    headers: {X-Team: flow}
    retries: 3
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  const auto& spec = result.pipelines.at(0);
  EXPECT_EQ(spec.source.config.json(), json::parse(R"({
      "rate": 2.5, "count": 16, "channel": "42", "interval": 90000000000, "max_payload": 1572864,
      "enabled": false, "mode": "burst", "tags": ["a", "b", "3"], "priorities": ["high", "low"],
      "timeouts": [1000000000, 250000000],
      "payload": {"n": 1, "f": 1.5, "s": "x", "b": true, "z": null, "l": [1, "two"], "q": "7", "o": 15,
                  "h": 255, "e": 1000.0, "big": "99999999999999999999", "yes_word": "yes", "t": "12"},
      "labels": {"team": "flow", "level": 3}})"));
  EXPECT_TRUE(spec.source.config.at("payload").at("e").is_number_float());
  EXPECT_TRUE(spec.source.config.at("payload").at("n").is_number_integer());
  EXPECT_EQ(spec.sinks.at(0).config.json(),
            json::parse(R"({"format": "json", "style": {"color": false, "width": 100}})"));
  // A schema that allows unknown keys passes them on, read generically.
  EXPECT_EQ(spec.sinks.at(1).config.json(),
            json::parse(R"({"url": "https://example.org/hook", "headers": {"X-Team": "flow"}, "retries": 3})"));
}

TEST(PipelineLoaderTest, TypedOptionsAcceptQuotedTextAndIntegralFloats) {
  const auto result = load_text(R"(pipeline: lenient
source:
  type: generator
  rate: "7"
  count: 1e3
  enabled: "Yes"
  interval: "2s"
  max_payload: 2048
  timeouts: [0, "1.5s"]
sinks: [{type: console}]
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  const auto& config = result.pipelines.at(0).source.config;
  EXPECT_EQ(config.number("rate"), 7.0);
  EXPECT_EQ(config.integer("count"), 1000);
  EXPECT_TRUE(config.boolean("enabled"));
  EXPECT_EQ(config.duration("interval"), std::chrono::seconds(2));
  EXPECT_EQ(config.size("max_payload"), 2048U);
  EXPECT_EQ(config.at("timeouts"), json::parse("[0, 1500000000]"));
}

TEST(PipelineLoaderTest, ListOfMapsGetsFieldDefaults) {
  const auto result = load_text(R"(pipeline: matching
source: {type: generator}
filters:
  - type: match
    mode: any
    conditions:
      - {field: side, op: eq, value: ask}
      - field: premium
        op: gt
        value: 1000
        weight: 2
sinks: [{type: console}]
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  EXPECT_EQ(result.pipelines.at(0).filters.at(0).config.json(), json::parse(R"({"mode": "any", "conditions": [
      {"field": "side", "op": "eq", "value": "ask", "weight": 1.0},
      {"field": "premium", "op": "gt", "value": 1000, "weight": 2.0}]})"));
}

TEST(PipelineLoaderTest, ValidatedConfigDrivesTheRealPlugin) {
  const auto result = load_text(R"(pipeline: real
source: {type: generator}
filters:
  - type: match
    conditions: [{field: premium, op: gt, value: 1000}]
sinks: [{type: console}]
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  const auto& stage = result.pipelines.at(0).filters.at(0);
  const auto filter = test_catalog().find(stage.type)->create_filter(stage.config);
  struct NoEmit final : Emitter {
    void emit(Event /*event*/) override {}
  } out;
  auto big = Event::from_json("flow", {{"premium", 5000}});
  auto small = Event::from_json("flow", {{"premium", 10}});
  EXPECT_EQ(filter->process(big, out), Filter::Verdict::keep);
  EXPECT_EQ(filter->process(small, out), Filter::Verdict::drop);
}

TEST(PipelineLoaderTest, InterpolatesEveryScalarValueBeforeConversion) {
  const auto result = load_text(R"(pipeline: ${NAME:-env-flow}
source:
  type: ${SOURCE_TYPE}
  rate: ${RATE:-10}
  channel: "${CHANNEL}"
  tags:
    - ${TAG_A}
    - "x-${TAG_B:-b}"
    - $${LITERAL}
  payload:
    token: ${EMPTY:-}
    n: ${N}
    ${KEY}: keys are not interpolated
sinks:
  - type: file_writer
    path: ${DIR:-/tmp}/out.jsonl
)",
                                {{"SOURCE_TYPE", "generator"},
                                 {"RATE", "25"},
                                 {"CHANNEL", "flow-alerts"},
                                 {"TAG_A", "alpha"},
                                 {"N", "7"},
                                 {"KEY", "never"}});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  const auto& spec = result.pipelines.at(0);
  EXPECT_EQ(spec.name, "env-flow");
  EXPECT_EQ(spec.source.config.number("rate"), 25.0);
  EXPECT_EQ(spec.source.config.string("channel"), "flow-alerts");
  EXPECT_EQ(spec.source.config.at("tags"), json::parse(R"(["alpha", "x-b", "${LITERAL}"])"));
  EXPECT_EQ(spec.source.config.at("payload"),
            json::parse(R"({"token": "", "n": 7, "${KEY}": "keys are not interpolated"})"));
  EXPECT_EQ(spec.sinks.at(0).config.string("path"), "/tmp/out.jsonl");
}

TEST(PipelineLoaderTest, DefinitionHoldsThePipelineAfterInterpolation) {
  const auto result = load_text(R"(pipeline: defined
description: "for the admin API"
buffer: {max_events: 10}
source:
  type: generator
  interval: ${INTERVAL:-2s}
  rate: ${RATE}
sinks:
  - type: file_writer
    path: out.jsonl
    buffer:
      when_full: drop_newest
)",
                                {{"RATE", "3"}});
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  EXPECT_EQ(result.pipelines.at(0).definition, json::parse(R"({
      "pipeline": "defined", "description": "for the admin API", "buffer": {"max_events": 10},
      "source": {"type": "generator", "interval": "2s", "rate": 3},
      "sinks": [{"type": "file_writer", "path": "out.jsonl", "buffer": {"when_full": "drop_newest"}}]})"));
}

TEST(PipelineLoaderTest, ParsesPipelineAndSinkBuffers) {
  const auto result = load_text(R"(pipeline: buffered
buffer:
  max_events: 64
  when_full: drop_oldest
source: {type: generator}
sinks:
  - type: console
    buffer: {max_events: 8, when_full: drop_newest}
  - type: console
    buffer: {when_full: drop_oldest}
  - type: console
    buffer: {max_events: "${SIZE:-16}"}
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  const auto& spec = result.pipelines.at(0);
  EXPECT_EQ(spec.buffer.max_events, 64U);
  EXPECT_EQ(spec.buffer.when_full, WhenFull::drop_oldest);
  ASSERT_EQ(spec.sinks.size(), 3U);
  EXPECT_EQ(spec.sinks[0].buffer.max_events, 8U);
  EXPECT_EQ(spec.sinks[0].buffer.when_full, WhenFull::drop_newest);
  EXPECT_EQ(spec.sinks[1].buffer.max_events, 1024U);
  EXPECT_EQ(spec.sinks[1].buffer.when_full, WhenFull::drop_oldest);
  EXPECT_EQ(spec.sinks[2].buffer.max_events, 16U);
  EXPECT_EQ(spec.sinks[2].buffer.when_full, WhenFull::block);
  // The engine's buffer key never reaches the plugin.
  EXPECT_FALSE(spec.sinks[0].config.json().contains("buffer"));
}

TEST(PipelineLoaderTest, ParsesOnDemandAndItsLinger) {
  const auto result = load_text(R"(pipeline: lazy
on_demand: yes
on_demand_linger: 1m30s
source: {type: generator}
sinks: [{type: console}]
---
pipeline: eager
source: {type: generator}
sinks: [{type: console}]
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  ASSERT_EQ(result.pipelines.size(), 2U);
  EXPECT_TRUE(result.pipelines[0].on_demand);
  EXPECT_EQ(result.pipelines[0].on_demand_linger, std::chrono::seconds(90));
  EXPECT_FALSE(result.pipelines[1].on_demand);
  EXPECT_EQ(result.pipelines[1].on_demand_linger, std::chrono::seconds(30));
}

TEST(PipelineLoaderTest, LoadsEveryDocumentOfAFileAndSkipsEmptyOnes) {
  const auto result = load_text(R"(---
pipeline: first
source: {type: generator}
sinks: [{type: console}]
---
---
# only a comment
---
pipeline: second
source: {type: generator}
sinks: [{type: console}]
...
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  ASSERT_EQ(result.pipelines.size(), 2U);
  EXPECT_EQ(result.pipelines[0].name, "first");
  EXPECT_EQ(result.pipelines[0].location.line, 2);
  EXPECT_EQ(result.pipelines[1].name, "second");
  EXPECT_EQ(result.pipelines[1].location.line, 9);
  EXPECT_EQ(result.pipelines[1].location.column, 1);
}

TEST(PipelineLoaderTest, EmptyFiltersListAndCommentedOutFiltersAreAllowed) {
  const auto result = load_text(R"(pipeline: a
source: {type: generator}
filters: []
sinks: [{type: console}]
---
pipeline: b
source: {type: generator}
filters:
#  - type: premium
sinks: [{type: console}]
)");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(printed(result));
  ASSERT_EQ(result.pipelines.size(), 2U);
  EXPECT_THAT(result.pipelines[0].filters, IsEmpty());
  EXPECT_THAT(result.pipelines[1].filters, IsEmpty());
}

TEST(PipelineLoaderTest, ValidateWarningsAreReportedAtTheirPathButDoNotFail) {
  const auto result = load_text(R"(pipeline: warned
source: {type: generator}
filters:
  - type: match
    conditions:
      - {field: a, op: eq, value: 1}
      - {field: b, op: eq, value: 2}
      - {field: c, op: eq, value: 3}
sinks: [{type: console}]
)");
  EXPECT_TRUE(result.ok());
  EXPECT_THAT(printed(result),
              ElementsAre("p.yaml:6:7: warning: conditions: more than 2 conditions slow down every event"));
  EXPECT_EQ(result.pipelines.size(), 1U);
}

}  // namespace
}  // namespace flowmind::testing
