// Runs one test case through the runtime's FilterChain with fresh filters and records what comes out.
#include "pipeline_test/case_runner.hpp"

#include <exception>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "pipeline_test/expectations.hpp"
#include "pipeline_test/test_stage_context.hpp"
#include "runtime/filter_chain.hpp"

namespace flowmind::pipeline_test {
namespace {

struct SetupError {
  std::string message;
};

std::string describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

// One filter stage: what FilterChain and the filter's context point to, kept at a fixed address.
struct Stage {
  Stage(const std::string& pipeline, std::string stage_name, std::string plugin, std::vector<std::string>& log,
        boost::asio::io_context& io)
      : name(std::move(stage_name)),
        type(std::move(plugin)),
        logger(name + " (" + type + ")", log),
        context(pipeline, name, metrics, logger, io) {}

  std::string name;
  std::string type;
  StageMetrics metrics;
  CapturingLogger logger;
  TestStageContext context;
};

class FilterHarness {
 public:
  FilterHarness(const PipelineSpec& pipeline, const PluginCatalog& catalog, std::vector<std::string>& log) {
    try {
      create_and_start(pipeline, catalog, log);
    } catch (...) {
      chain_.stop_all();  // the destructor will not run: stop the filters already started
      throw;
    }
  }

  ~FilterHarness() { chain_.stop_all(); }
  FilterHarness(const FilterHarness&) = delete;
  FilterHarness& operator=(const FilterHarness&) = delete;

  InputOutcome feed(Event event, std::vector<std::string>& log) {
    std::vector<std::uint64_t> filtered_before;
    std::vector<std::uint64_t> failed_before;
    for (const auto& stage : stages_) {
      filtered_before.push_back(stage->metrics.filtered.load());
      failed_before.push_back(stage->metrics.failed.load());
    }
    const std::size_t log_before = log.size();
    std::vector<Event> out;
    chain_.run(std::move(event), out);
    // Work a filter posted to the io_context runs before the next input, as it would in a pipeline.
    io_.restart();
    io_.poll();

    InputOutcome outcome;
    for (const auto& produced : out) outcome.outputs.push_back(event_view(produced));
    for (std::size_t i = 0; i < stages_.size(); ++i) {
      const auto& stage = *stages_[i];
      const std::string label = stage.name + " (" + stage.type + ")";
      if (const auto dropped = stage.metrics.filtered.load() - filtered_before[i]; dropped > 0) {
        outcome.drops.push_back(label + " dropped " + std::to_string(dropped) + (dropped == 1 ? " event" : " events"));
      }
      if (const auto failed = stage.metrics.failed.load() - failed_before[i]; failed > 0) {
        std::string message = label + " failed on " + std::to_string(failed) + (failed == 1 ? " event" : " events");
        // The chain logs the exception through the stage's logger (rate limited: maybe not again).
        for (std::size_t m = log.size(); m > log_before; --m) {
          if (log[m - 1].rfind(label + ": error: ", 0) == 0) {
            message += ": " + log[m - 1].substr(label.size() + 9);
            break;
          }
        }
        outcome.errors.push_back(std::move(message));
      }
    }
    return outcome;
  }

 private:
  void create_and_start(const PipelineSpec& pipeline, const PluginCatalog& catalog, std::vector<std::string>& log) {
    for (std::size_t i = 0; i < pipeline.filters.size(); ++i) {
      const auto& spec = pipeline.filters[i];
      auto& stage = *stages_.emplace_back(
          std::make_unique<Stage>(pipeline.name, "filter[" + std::to_string(i) + "]", spec.type, log, io_));
      const std::string label = stage.name + " (" + stage.type + ")";
      const Factory* factory = catalog.find(spec.type);
      if (factory == nullptr) throw SetupError{"cannot create " + label + ": the plugin is not loaded"};
      std::unique_ptr<Filter> filter;
      try {
        filter = factory->create_filter(spec.config);
      } catch (...) {
        throw SetupError{"cannot create " + label + ": " + describe(std::current_exception())};
      }
      if (!filter) throw SetupError{"cannot create " + label + ": the plugin returned nothing"};
      try {
        filter->start(stage.context);
      } catch (...) {
        throw SetupError{"cannot start " + label + ": " + describe(std::current_exception())};
      }
      // Added once started, so the chain stops exactly the filters that were started.
      chain_.add(std::move(filter), stage.metrics, stage.logger);
    }
  }

  boost::asio::io_context io_;  // never run on its own thread: polled after each input
  std::vector<std::unique_ptr<Stage>> stages_;
  FilterChain chain_;  // declared last: stopped and destroyed before the stages it points into
};

}  // namespace

CaseRun run_case(const PipelineSpec& pipeline, const PluginCatalog& catalog, const TestCase& test_case) {
  CaseRun run;
  try {
    FilterHarness harness(pipeline, catalog, run.log);
    std::uint64_t sequence = 0;
    for (const auto& input : test_case.inputs) {
      Event event(input.channel, input.raw_payload, input.timestamp);
      event.set_sequence(++sequence);
      for (const auto& [key, value] : input.annotations.items()) event.annotate(key, value);
      run.inputs.push_back(harness.feed(std::move(event), run.log));
    }
  } catch (const SetupError& error) {
    run.setup_error = error.message;
  }
  return run;
}

}  // namespace flowmind::pipeline_test
