// What operators see: pipelines_status() JSON and metrics_text() Prometheus exposition.
#include <cctype>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/runtime.hpp"
#include "test_plugins.hpp"
#include "test_support.hpp"

namespace flowmind::testing {
namespace {

// A running pipeline with known counters: 10 events, the filter drops the 5 odd ones and
// counts the even ones in a custom counter; the sink consumed 5.
struct StatusSetup {
  TestCatalog catalog;
  std::shared_ptr<Tally> emitted = std::make_shared<Tally>();
  std::shared_ptr<SinkRecord> record;

  StatusSetup() {
    catalog.add_source("emit10", [emitted = emitted](const Config&) { return emit_then_wait_source(10, emitted); });
    catalog.add_filter("odd_out", [](const Config&) {
      return std::make_unique<FnFilter>(
          [](Event& event, Emitter&, StageContext& ctx) {
            if (number_of(event) % 2 == 1) return Filter::Verdict::drop;
            ctx.counter("evens_seen").fetch_add(1);
            return Filter::Verdict::keep;
          },
          nlohmann::json{{"mode", "odd_out"}});
    });
    record = add_recording_sink(catalog, "rec");
  }

  void start(Runtime& runtime) {
    runtime.start({pipeline("status-demo", "emit10", {"odd_out"}, {stage("rec", {16, WhenFull::drop_newest})},
                            {32, WhenFull::drop_oldest})});
    ASSERT_TRUE(emitted->wait_for(10));
    ASSERT_TRUE(record->wait_for_events(5));
    // The last event (odd, dropped) may still be on its way; the sink's out counter moves
    // just after consume() returned.
    ASSERT_TRUE(wait_until(
        [&] {
          return stage_counter(runtime, "status-demo", "filter[0]", "in") == 10 &&
                 stage_counter(runtime, "status-demo", "sink[0]", "out") == 5;
        },
        patience));
  }
};

TEST(RuntimeStatusTest, StatusJsonDescribesEveryStageWithItsCounters) {
  StatusSetup setup;
  Runtime runtime(test_options(), setup.catalog);
  ASSERT_NO_FATAL_FAILURE(setup.start(runtime));

  const auto status = pipeline_status(runtime, "status-demo");
  EXPECT_EQ(status.at("state"), "running");
  EXPECT_EQ(status.at("source_restarts"), 0);
  EXPECT_TRUE(status.at("uptime_seconds").is_number());
  EXPECT_GE(status.at("uptime_seconds").get<double>(), 0.0);
  EXPECT_FALSE(status.contains("error"));
  const auto& stages = status.at("stages");
  ASSERT_EQ(stages.size(), 3U);

  EXPECT_EQ(stages[0], (nlohmann::json{{"stage", "source"},
                                       {"type", "emit10"},
                                       {"in", 0},
                                       {"out", 10},
                                       {"dropped", 0},
                                       {"failed", 0},
                                       {"queue", {{"max_events", 32}, {"when_full", "drop_oldest"}, {"size", 0}}},
                                       {"counters", nlohmann::json::object()},
                                       {"status", nullptr}}));
  EXPECT_EQ(stages[1], (nlohmann::json{{"stage", "filter[0]"},
                                       {"type", "odd_out"},
                                       {"in", 10},
                                       {"out", 5},
                                       {"filtered", 5},
                                       {"dropped", 0},
                                       {"failed", 0},
                                       {"counters", {{"evens_seen", 5}}},
                                       {"status", {{"mode", "odd_out"}}}}));
  EXPECT_EQ(stages[2], (nlohmann::json{{"stage", "sink[0]"},
                                       {"type", "rec"},
                                       {"in", 5},
                                       {"out", 5},
                                       {"dropped", 0},
                                       {"failed", 0},
                                       {"queue", {{"max_events", 16}, {"when_full", "drop_newest"}, {"size", 0}}},
                                       {"counters", nlohmann::json::object()},
                                       {"status", {{"recorded", 5}}}}));
  EXPECT_TRUE(runtime.not_running().empty());
}

TEST(RuntimeStatusTest, AFailedPipelineShowsItsErrorAndItsStages) {
  TestCatalog catalog;
  add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("broken", "no_such_source", {}, {stage("rec", {8, WhenFull::block})})});
  EXPECT_EQ(runtime.wait(), 1);

  const auto status = pipeline_status(runtime, "broken");
  EXPECT_EQ(status.at("state"), "failed");
  EXPECT_EQ(status.at("error"), "source: unknown plugin type 'no_such_source'");
  ASSERT_EQ(status.at("stages").size(), 2U);
  EXPECT_EQ(status.at("stages")[1].at("queue").at("max_events"), 8);
  EXPECT_EQ(status.at("stages")[1].at("status"), nullptr);
  EXPECT_EQ(runtime.not_running(), std::vector<std::string>{"broken"});
}

// Every sample line: name{label="value",...} number, with escaped label values. (Hand-written:
// std::regex trips GCC 12's -Wmaybe-uninitialized under the sanitizer build.)
bool is_sample_line(const std::string& line) {
  std::size_t at = 0;
  const auto name = [&] {
    const auto begin = at;
    while (at < line.size() && (std::islower(static_cast<unsigned char>(line[at])) != 0 || line[at] == '_')) ++at;
    return at > begin;
  };
  const auto expect = [&](char c) { return at < line.size() && line[at++] == c; };
  if (!name() || !expect('{')) return false;
  for (;;) {
    if (!name() || !expect('=') || !expect('"')) return false;
    for (;;) {
      if (at >= line.size()) return false;
      const char c = line[at++];
      if (c == '"') break;
      if (c == '\\') {
        if (at >= line.size() || (line[at] != '\\' && line[at] != '"' && line[at] != 'n')) return false;
        ++at;
      }
    }
    if (at < line.size() && line[at] == ',') {
      ++at;
      continue;
    }
    if (!expect('}')) return false;
    break;
  }
  if (!expect(' ') || at >= line.size()) return false;
  for (; at < line.size(); ++at) {
    if (std::isdigit(static_cast<unsigned char>(line[at])) == 0) return false;
  }
  return true;
}

TEST(RuntimeStatusTest, SampleLineCheckerRejectsMalformedLines) {
  EXPECT_TRUE(is_sample_line(R"(a_b{x="1",y="q\"\\\n"} 3)"));
  EXPECT_FALSE(is_sample_line(R"(a_b{x="1"} )"));
  EXPECT_FALSE(is_sample_line(R"(a_b{x="a"b"} 1)"));
  EXPECT_FALSE(is_sample_line(R"(a_b{x="a\b"} 1)"));
  EXPECT_FALSE(is_sample_line(R"(a_b{x="1"} 1.5)"));
}

TEST(RuntimeStatusTest, MetricsTextHasEveryFamilyWithLabels) {
  StatusSetup setup;
  Runtime runtime(test_options(), setup.catalog);
  ASSERT_NO_FATAL_FAILURE(setup.start(runtime));

  const auto text = runtime.metrics_text();
  const std::string p = R"(pipeline="status-demo")";
  for (const std::string& expected : std::vector<std::string>{
           "flowmind_pipeline_up{" + p + "} 1",
           "flowmind_pipeline_source_restarts_total{" + p + "} 0",
           "flowmind_stage_events_out_total{" + p + R"(,stage="source",type="emit10"} 10)",
           "flowmind_stage_events_dropped_total{" + p + R"(,stage="source",type="emit10"} 0)",
           "flowmind_stage_events_in_total{" + p + R"(,stage="filter[0]",type="odd_out"} 10)",
           "flowmind_stage_events_out_total{" + p + R"(,stage="filter[0]",type="odd_out"} 5)",
           "flowmind_stage_events_filtered_total{" + p + R"(,stage="filter[0]",type="odd_out"} 5)",
           "flowmind_stage_events_failed_total{" + p + R"(,stage="filter[0]",type="odd_out"} 0)",
           "flowmind_stage_events_in_total{" + p + R"(,stage="sink[0]",type="rec"} 5)",
           "flowmind_stage_custom_total{" + p + R"(,stage="filter[0]",type="odd_out",counter="evens_seen"} 5)",
           "flowmind_queue_events{" + p + R"(,stage="source"} 0)",
           "flowmind_queue_capacity{" + p + R"(,stage="source"} 32)",
           "flowmind_queue_capacity{" + p + R"(,stage="sink[0]"} 16)",
       }) {
    EXPECT_NE(text.find(expected + "\n"), std::string::npos) << "missing: " << expected << "\n" << text;
  }
  EXPECT_EQ(text.find(R"(flowmind_stage_events_filtered_total{pipeline="status-demo",stage="source")"),
            std::string::npos);

  // Each family announced exactly once, before its samples, with the right type.
  const std::map<std::string, std::string> families = {
      {"flowmind_pipeline_up", "gauge"},
      {"flowmind_pipeline_source_restarts_total", "counter"},
      {"flowmind_stage_events_in_total", "counter"},
      {"flowmind_stage_events_out_total", "counter"},
      {"flowmind_stage_events_filtered_total", "counter"},
      {"flowmind_stage_events_dropped_total", "counter"},
      {"flowmind_stage_events_failed_total", "counter"},
      {"flowmind_stage_custom_total", "counter"},
      {"flowmind_queue_events", "gauge"},
      {"flowmind_queue_capacity", "gauge"},
  };
  std::map<std::string, int> typed;
  std::map<std::string, int> helped;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream fields(line.substr(7));
      std::string name;
      std::string type;
      fields >> name >> type;
      ++typed[name];
      EXPECT_EQ(families.at(name), type) << name;
    } else if (line.rfind("# HELP ", 0) == 0) {
      ++helped[line.substr(7, line.find(' ', 7) - 7)];
    } else {
      EXPECT_TRUE(is_sample_line(line)) << line;
      const auto name = line.substr(0, line.find('{'));
      EXPECT_EQ(typed[name], 1) << "sample before its # TYPE: " << line;
    }
  }
  for (const auto& [name, type] : families) {
    EXPECT_EQ(typed[name], 1) << name;
    EXPECT_EQ(helped[name], 1) << name;
  }
}

TEST(RuntimeStatusTest, MetricsEscapeLabelValues) {
  TestCatalog catalog;
  add_recording_sink(catalog, "rec");
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("say \"hi\"\\now\nthen", "no_such_source", {}, {stage("rec")})});
  EXPECT_EQ(runtime.wait(), 1);

  const auto text = runtime.metrics_text();
  EXPECT_NE(text.find(R"(flowmind_pipeline_up{pipeline="say \"hi\"\\now\nthen"} 0)"), std::string::npos) << text;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind('#', 0) != 0) {
      EXPECT_TRUE(is_sample_line(line)) << line;
    }
  }
}

}  // namespace
}  // namespace flowmind::testing
