// Entry points of config loading: paths to files, files to YAML documents, documents to pipelines.
#include "config/pipeline_loader.hpp"

#include <yaml-cpp/yaml.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <set>
#include <system_error>

#include "config/pipeline_document.hpp"
#include "config/reporter.hpp"
#include "config/yaml_tree.hpp"

namespace flowmind {
namespace {

namespace fs = std::filesystem;

// Pipeline files are small; anything bigger is a mistake (or an attack on the parser).
constexpr std::size_t max_pipeline_bytes = 1024 * 1024;

class Loader {
 public:
  Loader(const PluginCatalog& catalog, const EnvLookup& env) : catalog_(catalog), env_(env) {}

  void path(const fs::path& path) {
    std::error_code error;
    const auto status = fs::status(path, error);
    if (status.type() == fs::file_type::not_found) {
      fail(path.string(), "cannot read: " + std::make_error_code(std::errc::no_such_file_or_directory).message());
    } else if (error) {
      fail(path.string(), "cannot read: " + error.message());
    } else if (fs::is_directory(status)) {
      directory(path);
    } else if (fs::is_regular_file(status)) {
      file(path);
    } else {
      fail(path.string(), "cannot read: not a regular file or directory");
    }
  }

  void text(std::string_view yaml, const std::string& label) {
    Reporter report(label);
    try {
      parse(yaml, report);
    } catch (const std::exception& error) {
      // A bug or resource exhaustion, never bad input: still a finding, not a crash.
      report.error({}, std::string("unexpected failure while loading: ") + error.what());
    }
    auto found = report.take();
    diagnostics_.insert(diagnostics_.end(), std::make_move_iterator(found.begin()),
                        std::make_move_iterator(found.end()));
  }

  LoadResult finish() {
    LoadResult result;
    result.diagnostics = std::move(diagnostics_);
    if (result.ok()) result.pipelines = std::move(pipelines_);
    return result;
  }

  void fail(const std::string& file, std::string message) {
    diagnostics_.push_back(Diagnostic{Diagnostic::Severity::error, SourceLocation{file, 0, 0}, std::move(message)});
  }

 private:
  void directory(const fs::path& dir) {
    std::error_code error;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
      const auto name = it->path().filename().string();
      const auto extension = it->path().extension().string();
      if (name.empty() || name.front() == '.' || (extension != ".yaml" && extension != ".yml")) continue;
      std::error_code type_error;
      if (!it->is_regular_file(type_error)) continue;
      files.push_back(it->path());
    }
    if (error) {
      fail(dir.string(), "cannot read directory: " + error.message());
      return;
    }
    if (files.empty()) {
      fail(dir.string(), "no pipeline found: the directory has no *.yaml or *.yml files");
      return;
    }
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
    for (const auto& file_path : files) file(file_path);
  }

  void file(const fs::path& file_path) {
    // The same file named twice (directly and through its directory) is loaded once.
    std::error_code error;
    const auto identity = fs::weakly_canonical(file_path, error);
    if (!error && !loaded_.insert(identity).second) return;

    const std::string label = file_path.string();
    std::ifstream in(file_path, std::ios::binary);
    if (!in) {
      fail(label, std::string("cannot read: ") + std::strerror(errno));
      return;
    }
    std::string content(max_pipeline_bytes + 1, '\0');
    in.read(content.data(), static_cast<std::streamsize>(content.size()));
    if (in.bad()) {
      fail(label, std::string("cannot read: ") + std::strerror(errno));
      return;
    }
    content.resize(static_cast<std::size_t>(in.gcount()));
    text(content, label);
  }

  void parse(std::string_view yaml, Reporter& report) {
    if (yaml.size() > max_pipeline_bytes) {
      report.error({}, "file is larger than 1 MiB, the limit for pipeline definitions; refused");
      return;
    }
    std::vector<YAML::Node> documents;
    try {
      documents = YAML::LoadAll(std::string(yaml));
    } catch (const YAML::Exception& error) {
      Position at;
      if (!error.mark.is_null()) at = {error.mark.line + 1, error.mark.column + 1};
      report.error(at, "invalid YAML: " + error.msg);
      return;
    }
    std::size_t pipelines = 0;
    PipelineDocument loader(catalog_, report, names_);
    for (const auto& document : documents) {
      if (document.IsNull()) continue;  // "---" with nothing after it
      ++pipelines;
      auto tree = build_tree(document, env_, report);
      if (!tree) continue;
      if (auto spec = loader.load(*tree)) pipelines_.push_back(std::move(*spec));
    }
    if (pipelines == 0) report.error({}, "no pipeline found: the file has no YAML document");
  }

  const PluginCatalog& catalog_;
  const EnvLookup& env_;
  PipelineNames names_;
  std::set<fs::path> loaded_;
  std::vector<PipelineSpec> pipelines_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace

LoadResult load_pipelines(const std::vector<std::filesystem::path>& paths, const PluginCatalog& catalog,
                          const EnvLookup& env) {
  Loader loader(catalog, env);
  if (paths.empty()) loader.fail({}, "no pipeline files given");
  for (const auto& path : paths) loader.path(path);
  return loader.finish();
}

LoadResult load_pipelines_from_string(std::string_view yaml, const std::string& file_label,
                                      const PluginCatalog& catalog, const EnvLookup& env) {
  Loader loader(catalog, env);
  loader.text(yaml, file_label);
  return loader.finish();
}

}  // namespace flowmind
