// Runs one test case: fresh filter instances from the validated pipeline, fed the case's inputs in order.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline_spec.hpp"
#include "config/plugin_catalog.hpp"
#include "pipeline_test/test_spec.hpp"

namespace flowmind::pipeline_test {

struct InputOutcome {
  std::vector<nlohmann::json> outputs;  // event_view() of each event out of the last filter, in order
  std::vector<std::string> drops;       // "filter[3] (whale) dropped 1 event"
  std::vector<std::string> errors;      // "filter[1] (sentiment) failed on 1 event: ..."
};

struct CaseRun {
  std::string setup_error;  // a filter could not be created or started: nothing was fed
  std::vector<InputOutcome> inputs;
  std::vector<std::string> log;  // warnings and errors the filters logged
};

// The filters are created from their validated configs and started in order (as `flowmind run`
// does, relative paths resolving from the current directory), fed every input through the
// runtime's FilterChain, then stopped. Sources and sinks are never created.
[[nodiscard]] CaseRun run_case(const PipelineSpec& pipeline, const PluginCatalog& catalog, const TestCase& test_case);

}  // namespace flowmind::pipeline_test
