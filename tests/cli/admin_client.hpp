// Helpers of the reload, pipeline API and tap tests: a flowmind child with its admin API, and
// requests with headers (the admin token).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace flowmind::testing {

inline constexpr std::chrono::milliseconds patience{30000};

// One request with extra headers (the admin token, a foreign Host or Origin), as the tests say it.
inline HttpResponse request_with_headers(int port, const std::string& method, const std::string& target,
                                         const std::string& body, const std::map<std::string, std::string>& headers) {
  return http_request(port, method, target, body, headers, std::chrono::seconds(10));
}

// `flowmind run` on the given files with its admin API on a free port (or `listen_host`).
class FlowmindRun {
 public:
  struct Options {
    std::vector<std::string> extra_args{};
    std::map<std::string, std::string> env{};
    std::string listen_host = "127.0.0.1";
  };
  FlowmindRun(const TempDir& dir, const std::vector<std::filesystem::path>& paths, Options options);
  FlowmindRun(const TempDir& dir, const std::vector<std::filesystem::path>& paths)
      : FlowmindRun(dir, paths, Options{}) {}

  [[nodiscard]] int admin() const { return admin_; }
  [[nodiscard]] std::string log() const { return read_file(err_); }
  [[nodiscard]] std::string out() const { return read_file(out_); }
  [[nodiscard]] ChildProcess& child() { return *child_; }
  // True once /health answers.
  bool wait_ready() const;

  // GET /pipelines as an array; GET /reload as JSON; one pipeline's entry (null when absent).
  [[nodiscard]] nlohmann::json pipelines() const;
  [[nodiscard]] nlohmann::json reload_status() const;
  [[nodiscard]] nlohmann::json pipeline(const std::string& name) const;
  // Sends SIGTERM and waits for the exit code.
  int stop();

 private:
  int admin_;
  std::filesystem::path out_;
  std::filesystem::path err_;
  std::unique_ptr<ChildProcess> child_;
};

std::vector<std::string> lines_of(const std::string& text);

}  // namespace flowmind::testing
