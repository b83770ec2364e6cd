// The admin API's pipeline management and reload routes, apart from the HTTP server that carries them.
#include "admin/pipeline_api.hpp"

#include <utility>

#include "admin/redact.hpp"
#include "config/pipeline_loader.hpp"
#include "log/logging.hpp"

namespace flowmind {
namespace {

AdminResult error_result(int status, const std::string& message) {
  return {status, {{"error", message}, {"status", status}}};
}

nlohmann::json names(const std::vector<std::string>& list) { return list; }

}  // namespace

std::optional<PipelinePath> parse_pipeline_path(const std::string& path) {
  const std::string prefix = "/pipelines/";
  if (path.size() <= prefix.size() || path.rfind(prefix, 0) != 0) return std::nullopt;
  const auto rest = path.substr(prefix.size());
  const auto slash = rest.find('/');
  PipelinePath parsed;
  parsed.name = rest.substr(0, slash);
  if (slash != std::string::npos) {
    parsed.action = rest.substr(slash + 1);
    if (parsed.action.empty() || parsed.action.find('/') != std::string::npos) return std::nullopt;
  }
  if (parsed.name.empty()) return std::nullopt;
  return parsed;
}

PipelineApi::PipelineApi(Runtime& runtime, const PluginCatalog& catalog, std::shared_ptr<Reloader> reloader)
    : runtime_(runtime), catalog_(catalog), reloader_(std::move(reloader)) {}

std::optional<AdminResult> PipelineApi::handle(const AdminRequest& request) {
  const auto& method = request.method;
  if (request.path == "/reload") {
    if (method != "GET" && method != "HEAD" && method != "POST") {
      return error_result(405, "use GET or POST for /reload");
    }
    return reload(request);
  }
  if (request.path == "/pipelines") {
    if (method == "POST") return create(request);
    return std::nullopt;  // GET: the server's list
  }
  const auto target = parse_pipeline_path(request.path);
  if (!target) return std::nullopt;
  if (target->action.empty()) {
    if (method == "GET" || method == "HEAD") return show(target->name);
    if (method == "PUT") return replace(target->name, request);
    if (method == "DELETE") return remove(target->name);
    return error_result(405, "use GET, PUT or DELETE for " + request.path);
  }
  if (target->action == "restart") {
    if (method != "POST") return error_result(405, "use POST for " + request.path);
    return restart(target->name);
  }
  return std::nullopt;
}

AdminResult PipelineApi::reload(const AdminRequest& request) {
  if (reloader_ == nullptr) return error_result(404, "no pipeline files to reload in this process");
  if (request.method != "POST") return {200, reloader_->status()};
  auto result = reloader_->reload("api");
  const int status = result["ok"].get<bool>() ? 200 : 422;
  return {status, std::move(result)};
}

std::optional<PipelineSpec> PipelineApi::parse(const std::string& body, AdminResult& error) const {
  auto loaded = load_pipelines_from_string(body, "request", catalog_);
  if (!loaded.ok()) {
    auto errors = nlohmann::json::array();
    for (const auto& diagnostic : loaded.diagnostics) {
      if (diagnostic.severity == Diagnostic::Severity::error) errors.push_back(diagnostic_json(diagnostic));
    }
    error = {400, {{"error", "the pipeline is not valid"}, {"status", 400}, {"errors", std::move(errors)}}};
    return std::nullopt;
  }
  if (loaded.pipelines.size() != 1) {
    error = error_result(
        400, "the body must hold exactly one pipeline, it holds " + std::to_string(loaded.pipelines.size()));
    return std::nullopt;
  }
  return std::move(loaded.pipelines.front());
}

AdminResult PipelineApi::applied(const ApplyResult& result, const std::string& name, int success_status) const {
  nlohmann::json body = {{"added", names(result.added)},
                         {"removed", names(result.removed)},
                         {"changed", names(result.changed)},
                         {"unchanged", names(result.unchanged)},
                         {"failed", names(result.failed)}};
  if (const auto status = runtime_.pipeline_status(name)) body["pipeline"] = *status;
  return {success_status, std::move(body)};
}

AdminResult PipelineApi::create(const AdminRequest& request) {
  AdminResult error;
  auto spec = parse(request.body, error);
  if (!spec) return error;
  const auto name = spec->name;
  const auto result = runtime_.create(std::move(*spec));
  if (!result.ok) return error_result(409, result.errors.empty() ? "refused" : result.errors.front());
  engine_log().info("admin API: pipeline '{}' created{}", name, result.failed.empty() ? "" : " (failed to start)");
  return applied(result, name, 201);
}

AdminResult PipelineApi::show(const std::string& name) const {
  const auto spec = runtime_.spec(name);
  const auto status = runtime_.pipeline_status(name);
  if (!spec || !status) return error_result(404, "no such pipeline: " + name);
  auto body = *status;
  body["definition"] = redact_definition(spec->definition, spec->environment_references);
  return {200, std::move(body)};
}

AdminResult PipelineApi::replace(const std::string& name, const AdminRequest& request) {
  AdminResult error;
  auto spec = parse(request.body, error);
  if (!spec) return error;
  if (spec->name != name) {
    return error_result(400, "the body defines pipeline '" + spec->name + "', the path names '" + name + "'");
  }
  const auto result = runtime_.replace(std::move(*spec));
  if (!result.ok) return error_result(404, result.errors.empty() ? "refused" : result.errors.front());
  engine_log().info("admin API: pipeline '{}' {}", name, result.changed.empty() ? "unchanged" : "replaced");
  return applied(result, name, 200);
}

AdminResult PipelineApi::remove(const std::string& name) {
  const auto result = runtime_.remove(name);
  if (!result.ok) return error_result(404, result.errors.empty() ? "refused" : result.errors.front());
  engine_log().info("admin API: pipeline '{}' removed (draining)", name);
  return applied(result, name, 200);
}

AdminResult PipelineApi::restart(const std::string& name) {
  const auto result = runtime_.restart(name);
  if (!result.ok) return error_result(404, result.errors.empty() ? "refused" : result.errors.front());
  engine_log().info("admin API: pipeline '{}' restarted", name);
  return applied(result, name, 200);
}

}  // namespace flowmind
