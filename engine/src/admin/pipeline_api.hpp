// The admin API's pipeline management and reload routes, apart from the HTTP server that carries them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "admin/admin_server.hpp"
#include "config/plugin_catalog.hpp"
#include "runtime/reloader.hpp"
#include "runtime/runtime.hpp"

namespace flowmind {

// Routes (bodies are YAML or JSON, one pipeline, validated like a file named "request"):
//   GET    /reload                  reload count and last result
//   POST   /reload                  re-read the files (200, or 422 with the errors)
//   POST   /pipelines               create (201; 400 with errors and their line/column; 409 exists)
//   GET    /pipelines/{name}        definition (secrets redacted), origin, state, stage counters
//   PUT    /pipelines/{name}        replace (same handover as a reload)
//   DELETE /pipelines/{name}        drain and stop
//   POST   /pipelines/{name}/restart
class PipelineApi {
 public:
  // `reloader` may be null (no files to reload: /reload answers 404).
  PipelineApi(Runtime& runtime, const PluginCatalog& catalog, std::shared_ptr<Reloader> reloader);

  // nullopt: not one of these routes (the server answers it, or 404).
  std::optional<AdminResult> handle(const AdminRequest& request);

 private:
  AdminResult reload(const AdminRequest& request);
  AdminResult create(const AdminRequest& request);
  AdminResult show(const std::string& name) const;
  AdminResult replace(const std::string& name, const AdminRequest& request);
  AdminResult remove(const std::string& name);
  AdminResult restart(const std::string& name);
  // Validates a body holding one pipeline; the error result when it does not.
  std::optional<PipelineSpec> parse(const std::string& body, AdminResult& error) const;
  AdminResult applied(const ApplyResult& result, const std::string& name, int success_status) const;

  Runtime& runtime_;
  const PluginCatalog& catalog_;
  std::shared_ptr<Reloader> reloader_;
};

// "/pipelines/{name}" -> name; "/pipelines/{name}/{action}" -> name and action.
struct PipelinePath {
  std::string name;
  std::string action;  // empty for the pipeline itself
};
std::optional<PipelinePath> parse_pipeline_path(const std::string& path);

}  // namespace flowmind
