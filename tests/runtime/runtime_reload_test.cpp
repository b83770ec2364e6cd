// Changing the running set: reload diffs (add, remove, change, unchanged), API changes, keep-alive, taps.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "config/pipeline_loader.hpp"
#include "runtime/runtime.hpp"
#include "test_plugins.hpp"
#include "test_support.hpp"

namespace flowmind::testing {
namespace {

using Names = std::vector<std::string>;

// Counts the instances a source type created and how many of them are running right now.
struct Instances {
  std::shared_ptr<Tally> created = std::make_shared<Tally>();
  std::shared_ptr<std::atomic<int>> running = std::make_shared<std::atomic<int>>(0);
};

Instances add_counted_source(TestCatalog& catalog, const std::string& type) {
  Instances instances;
  catalog.add_source(type, [instances](const Config&) {
    instances.created->add();
    return std::make_unique<FnSource>([running = instances.running](SourceContext& ctx) {
      running->fetch_add(1);
      for (int i = 0; ctx.emit(numbered(i)); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      running->fetch_sub(1);
    });
  });
  return instances;
}

// A pipeline whose definition (what a reload compares) is its source type and a version number.
PipelineSpec versioned(const std::string& name, const std::string& source, int version,
                       const std::string& sink = "rec") {
  auto spec = pipeline(name, source, {}, {stage(sink)});
  spec.definition = {{"pipeline", name}, {"source", {{"type", source}}}, {"version", version}};
  return spec;
}

bool listed(const Runtime& runtime, const std::string& name) {
  for (const auto& status : runtime.pipelines_status()) {
    if (status.at("name") == name) return true;
  }
  return false;
}

class RuntimeReloadTest : public ::testing::Test {
 protected:
  TestCatalog catalog_;
  Instances a_ = add_counted_source(catalog_, "src_a");
  Instances b_ = add_counted_source(catalog_, "src_b");
  Instances c_ = add_counted_source(catalog_, "src_c");
  std::shared_ptr<SinkRecord> record_ = add_recording_sink(catalog_, "rec", false);
};

TEST_F(RuntimeReloadTest, AddedStartRemovedStopChangedAreReplacedUnchangedAreNotTouched) {
  Runtime runtime(test_options(), catalog_);
  std::vector<PipelineSpec> initial;
  initial.push_back(versioned("a", "src_a", 1));
  initial.push_back(versioned("b", "src_b", 1));
  runtime.start(std::move(initial));
  ASSERT_TRUE(wait_until([&] { return a_.running->load() == 1 && b_.running->load() == 1; }, patience));

  std::vector<PipelineSpec> wanted;
  wanted.push_back(versioned("a", "src_a", 1));  // unchanged
  wanted.push_back(versioned("b", "src_b", 2));  // changed
  wanted.push_back(versioned("c", "src_c", 1));  // added
  const auto result = runtime.apply_files(std::move(wanted));
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.added, Names{"c"});
  EXPECT_EQ(result.changed, Names{"b"});
  EXPECT_EQ(result.unchanged, Names{"a"});
  EXPECT_TRUE(result.removed.empty());
  EXPECT_TRUE(result.failed.empty());

  // a kept its one instance; b has a second one and the first one ends; c runs.
  EXPECT_EQ(a_.created->value(), 1);
  EXPECT_EQ(b_.created->value(), 2);
  EXPECT_EQ(c_.created->value(), 1);
  ASSERT_TRUE(wait_until([&] { return b_.running->load() == 1 && c_.running->load() == 1; }, patience));
  EXPECT_EQ(a_.running->load(), 1);
  EXPECT_EQ(state_of(runtime, "a"), "running");
  EXPECT_EQ(state_of(runtime, "b"), "running");
  EXPECT_EQ(runtime.spec("b")->definition.at("version"), 2);
  EXPECT_EQ(pipeline_status(runtime, "c").at("origin"), "file");

  std::vector<PipelineSpec> fewer;
  fewer.push_back(versioned("a", "src_a", 1));
  const auto removal = runtime.apply_files(std::move(fewer));
  ASSERT_TRUE(removal.ok);
  EXPECT_EQ(removal.removed, (Names{"b", "c"}));
  EXPECT_EQ(removal.unchanged, Names{"a"});
  EXPECT_FALSE(listed(runtime, "b"));
  EXPECT_FALSE(listed(runtime, "c"));
  ASSERT_TRUE(wait_until([&] { return b_.running->load() == 0 && c_.running->load() == 0; }, patience));
  EXPECT_EQ(a_.running->load(), 1);
  EXPECT_EQ(a_.created->value(), 1);
  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
}

TEST_F(RuntimeReloadTest, AFilePipelineNamedLikeAnApiPipelineRefusesTheWholeReload) {
  Runtime runtime(test_options(), catalog_);
  std::vector<PipelineSpec> initial;
  initial.push_back(versioned("a", "src_a", 1));
  runtime.start(std::move(initial));
  ASSERT_TRUE(runtime.create(versioned("api-made", "src_b", 1)).ok);
  EXPECT_EQ(pipeline_status(runtime, "api-made").at("origin"), "api");

  std::vector<PipelineSpec> wanted;
  wanted.push_back(versioned("a", "src_a", 2));
  wanted.push_back(versioned("api-made", "src_c", 1));
  const auto result = runtime.apply_files(std::move(wanted));
  EXPECT_FALSE(result.ok);
  ASSERT_EQ(result.errors.size(), 1U);
  EXPECT_NE(result.errors[0].find("api-made"), std::string::npos) << result.errors[0];
  // Nothing changed: a is still version 1 with its one instance, api-made is still src_b.
  EXPECT_EQ(runtime.spec("a")->definition.at("version"), 1);
  EXPECT_EQ(a_.created->value(), 1);
  EXPECT_EQ(c_.created->value(), 0);

  // A reload without it keeps the API pipeline: it is not the files'.
  std::vector<PipelineSpec> only_a;
  only_a.push_back(versioned("a", "src_a", 1));
  const auto kept = runtime.apply_files(std::move(only_a));
  ASSERT_TRUE(kept.ok);
  EXPECT_TRUE(kept.removed.empty());
  EXPECT_TRUE(listed(runtime, "api-made"));
  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);
}

TEST_F(RuntimeReloadTest, ApiCreateReplaceRestartAndRemove) {
  Runtime runtime(test_options(), catalog_);
  ASSERT_TRUE(runtime.create(versioned("p", "src_a", 1)).ok);
  ASSERT_TRUE(wait_until([&] { return a_.running->load() == 1; }, patience));
  const auto again = runtime.create(versioned("p", "src_b", 1));
  EXPECT_FALSE(again.ok);
  EXPECT_EQ(b_.created->value(), 0);

  const auto same = runtime.replace(versioned("p", "src_a", 1));
  EXPECT_EQ(same.unchanged, Names{"p"});
  EXPECT_EQ(a_.created->value(), 1);
  const auto replaced = runtime.replace(versioned("p", "src_b", 1));
  EXPECT_EQ(replaced.changed, Names{"p"});
  ASSERT_TRUE(wait_until([&] { return a_.running->load() == 0 && b_.running->load() == 1; }, patience));

  const auto restarted = runtime.restart("p");
  EXPECT_EQ(restarted.changed, Names{"p"});
  EXPECT_EQ(b_.created->value(), 2);
  ASSERT_TRUE(wait_until([&] { return b_.running->load() == 1; }, patience));

  EXPECT_FALSE(runtime.replace(versioned("nope", "src_a", 1)).ok);
  EXPECT_FALSE(runtime.restart("nope").ok);
  EXPECT_FALSE(runtime.remove("nope").ok);
  const auto removed = runtime.remove("p");
  EXPECT_EQ(removed.removed, Names{"p"});
  ASSERT_TRUE(wait_until([&] { return b_.running->load() == 0; }, patience));
  EXPECT_FALSE(listed(runtime, "p"));
  // Without keep-alive, a runtime whose pipelines are all gone is done.
  EXPECT_EQ(runtime.wait(), 0);
}

TEST_F(RuntimeReloadTest, KeepAliveWaitsForTheStopRequestEvenWithNothingRunning) {
  Runtime runtime(test_options(), catalog_);
  runtime.set_keep_alive(true);
  std::atomic<bool> returned{false};
  std::thread waiter([&] {
    runtime.wait();
    returned = true;
  });
  ASSERT_TRUE(runtime.create(versioned("p", "src_a", 1)).ok);
  ASSERT_TRUE(runtime.remove("p").ok);
  ASSERT_TRUE(wait_until([&] { return a_.running->load() == 0; }, patience));
  // Polled for a while: it must still be waiting (it can only return after the stop below).
  EXPECT_FALSE(wait_until([&] { return returned.load(); }, std::chrono::milliseconds(300)));
  runtime.request_stop();
  waiter.join();
  EXPECT_TRUE(returned.load());
}

TEST_F(RuntimeReloadTest, AReplacementThatCannotStartIsReportedAndTheOldOneStops) {
  catalog_.add_source("broken", [](const Config&) -> std::unique_ptr<Source> { throw PluginError("no way"); });
  Runtime runtime(test_options(), catalog_);
  std::vector<PipelineSpec> initial;
  initial.push_back(versioned("p", "src_a", 1));
  runtime.start(std::move(initial));
  std::vector<PipelineSpec> wanted;
  wanted.push_back(versioned("p", "broken", 1));
  const auto result = runtime.apply_files(std::move(wanted));
  ASSERT_TRUE(result.ok);
  EXPECT_EQ(result.changed, Names{"p"});
  EXPECT_EQ(result.failed, Names{"p"});
  EXPECT_EQ(state_of(runtime, "p"), "failed");
  ASSERT_TRUE(wait_until([&] { return a_.running->load() == 0; }, patience));
  EXPECT_EQ(runtime.wait(), 1);
}

TEST(RuntimeTapTest, EachStageTapSeesExactlyThatStagesOutput) {
  TestCatalog catalog;
  catalog.add_source("numbers", [](const Config&) { return endless_source(std::chrono::milliseconds(1)); });
  catalog.add_filter("even", [](const Config&) {
    return std::make_unique<FnFilter>([](Event& event, Emitter&, StageContext&) {
      return number_of(event) % 2 == 0 ? Filter::Verdict::keep : Filter::Verdict::drop;
    });
  });
  auto record = add_recording_sink(catalog, "rec", false);
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("tapped", "numbers", {"even"}, {stage("rec")})});

  std::string error;
  auto source_tap = runtime.attach_tap("tapped", 0, 100000, {}, error);
  ASSERT_TRUE(source_tap.tap) << error;
  auto sink_tap = runtime.attach_tap("tapped", 1, 100000, {}, error);
  ASSERT_TRUE(sink_tap.tap) << error;
  EXPECT_FALSE(runtime.attach_tap("tapped", 2, 10, {}, error).tap);
  EXPECT_NE(error.find("no stage 2"), std::string::npos) << error;
  EXPECT_FALSE(runtime.attach_tap("nope", 0, 10, {}, error).tap);
  EXPECT_EQ(error, "no such pipeline: nope");

  std::vector<std::string> at_source;
  std::vector<std::string> at_sinks;
  ASSERT_TRUE(wait_until(
      [&] {
        for (auto& line : source_tap.tap->take()) at_source.push_back(std::move(line));
        for (auto& line : sink_tap.tap->take()) at_sinks.push_back(std::move(line));
        return at_sinks.size() >= 50;
      },
      patience));
  source_tap.detach();
  sink_tap.detach();
  runtime.request_stop();
  EXPECT_EQ(runtime.wait(), 0);

  // The source stage: consecutive numbers. The sink stage: the same wire text the sink got.
  const auto first = nlohmann::json::parse(at_source.front())["data"]["i"].get<int>();
  for (std::size_t i = 0; i < at_source.size(); ++i) {
    ASSERT_EQ(nlohmann::json::parse(at_source[i])["data"]["i"], first + static_cast<int>(i));
  }
  const auto consumed = record->snapshot();
  std::size_t start = 0;
  while (start < consumed.size() && consumed[start]->wire() != at_sinks.front()) ++start;
  ASSERT_LT(start, consumed.size());
  for (std::size_t i = 0; i < at_sinks.size(); ++i) {
    ASSERT_LT(start + i, consumed.size());
    EXPECT_EQ(at_sinks[i], consumed[start + i]->wire());
    EXPECT_EQ(nlohmann::json::parse(at_sinks[i])["data"]["i"].get<int>() % 2, 0);
  }
  EXPECT_EQ(source_tap.tap->dropped(), 0U);
}

TEST(RuntimeTapTest, AFullTapLosesEventsForItselfOnlyAndCountsThem) {
  TestCatalog catalog;
  catalog.add_source("numbers", [](const Config&) { return counting_source(500); });
  auto record = add_recording_sink(catalog, "rec", false);
  auto gate = std::make_shared<Gate>();
  catalog.add_filter("hold", [gate](const Config&) {
    return std::make_unique<FnFilter>([gate](Event&, Emitter&, StageContext&) {
      gate->wait();
      return Filter::Verdict::keep;
    });
  });
  Runtime runtime(test_options(), catalog);
  runtime.start({pipeline("lossy", "numbers", {"hold"}, {stage("rec")})});
  std::string error;
  auto tap = runtime.attach_tap("lossy", 1, 10, {}, error);
  ASSERT_TRUE(tap.tap) << error;
  gate->open();
  EXPECT_EQ(runtime.wait(), 0);
  // Nobody took from the tap: it kept 10 and lost the rest; the sink got all 500.
  EXPECT_EQ(record->size(), 500U);
  EXPECT_EQ(tap.tap->take().size(), 10U);
  EXPECT_EQ(tap.tap->dropped(), 490U);
  EXPECT_TRUE(tap.tap->ended());
}

TEST(EnvironmentReferencesTest, TheLoaderRecordsWhereEnvironmentValuesAre) {
  TestCatalog catalog;
  catalog.add_source("numbers", [](const Config&) { return counting_source(1); });
  add_recording_sink(catalog, "rec");
  const auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "SECRET") return "s3cr3t";
    return std::nullopt;
  };
  // The test catalog's plugins accept any options.
  const auto loaded = load_pipelines_from_string(
      "pipeline: p\nsource:\n  type: numbers\n  token: ${SECRET}\n  note: plain\nsinks:\n  - type: rec\n    where: "
      "a-${SECRET:-x}-b\n",
      "inline.yaml", catalog, env);
  ASSERT_TRUE(loaded.ok()) << (loaded.diagnostics.empty() ? "" : loaded.diagnostics[0].format());
  const auto& spec = loaded.pipelines.at(0);
  EXPECT_EQ(spec.definition["source"]["token"], "s3cr3t");
  EXPECT_EQ(spec.environment_references,
            nlohmann::json({{"/source/token", "${SECRET}"}, {"/sinks/0/where", "a-${SECRET:-x}-b"}}));
}

}  // namespace
}  // namespace flowmind::testing
