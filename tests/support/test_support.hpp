// Helpers shared by tests: temporary folders, child processes, a tiny HTTP client, polling.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace flowmind::testing {

// Paths of this build.
std::filesystem::path source_dir();
std::filesystem::path binary_dir();
std::filesystem::path plugin_dir();
std::filesystem::path flowmind_executable();

// A fresh directory removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // Writes `text` to path()/name and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& file);

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or timed out
  int signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs a program to completion (killed with SIGKILL after `timeout`), capturing stdout/stderr.
// `env` entries are added to (or override) the current environment.
ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          const std::map<std::string, std::string>& env = {});

// A child process running in the background; stdout and stderr go to files.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& out_file,
               const std::filesystem::path& err_file, const std::map<std::string, std::string>& env = {});
  ~ChildProcess();  // SIGKILL if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] int pid() const { return pid_; }
  void send_signal(int signal) const;
  // Waits for the exit; returns the exit code, or -1 (signal) / nullopt (still running at timeout).
  std::optional<int> wait(std::chrono::milliseconds timeout);
  [[nodiscard]] bool running();

 private:
  int pid_ = -1;
  std::optional<int> status_;
};

struct HttpResponse {
  int status = 0;  // 0 = no connection / no valid response
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

// One blocking HTTP/1.1 request to 127.0.0.1:port (Connection: close).
HttpResponse http_request(int port, const std::string& method, const std::string& target, const std::string& body = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(5));
// The same with extra headers. A Host or Content-Length among them replaces the default one (to
// pose as another site, or announce a body that is never sent); the answer is read even when the
// server answers (413) before taking the whole body.
HttpResponse http_request(int port, const std::string& method, const std::string& target, const std::string& body,
                          const std::map<std::string, std::string>& headers,
                          std::chrono::milliseconds timeout = std::chrono::seconds(5));
inline HttpResponse http_get(int port, const std::string& target) { return http_request(port, "GET", target); }

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

// Polls `condition` every 20 ms until it holds or `timeout` passes.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace flowmind::testing
