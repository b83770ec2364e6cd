// Starts the UW simulator (uw-sim) as a child process for a test and talks to its control API.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace flowmind::testing {

// binary_dir()/"bin"/"uw-sim"
std::filesystem::path uw_sim_executable();

class UwSimProcess {
 public:
  struct Options {
    // Every member has an initializer so designated initializers ({.tls = true}) compile warning-free.
    bool tls = false;
    std::vector<std::string> extra_args{};  // e.g. {"--token", "t1", "--rate", "flow-alerts=0"}
    std::map<std::string, std::string> env{};
  };

  // Starts `uw-sim --listen 127.0.0.1:0` (+ --tls --cert-dir <own temp dir>) and waits up to 20 s for
  // the listening line; throws std::runtime_error with the simulator's stderr when it does not come.
  UwSimProcess();
  explicit UwSimProcess(Options options);
  ~UwSimProcess();  // SIGTERM, then SIGKILL after 5 s
  UwSimProcess(const UwSimProcess&) = delete;
  UwSimProcess& operator=(const UwSimProcess&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] bool tls() const { return options_.tls; }
  [[nodiscard]] std::string ws_url(const std::string& token = "test-token") const;   // ws://127.0.0.1:P/socket?token=
  [[nodiscard]] std::string wss_url(const std::string& token = "test-token") const;  // TLS only
  [[nodiscard]] std::string http_url() const;
  [[nodiscard]] std::string https_url() const;          // TLS only
  [[nodiscard]] std::filesystem::path ca_file() const;  // TLS only: cert-dir/ca.pem
  [[nodiscard]] std::filesystem::path cert_dir() const;

  // The control API (/_sim/...); each throws std::runtime_error unless the simulator answers 200.
  [[nodiscard]] nlohmann::json log() const;
  [[nodiscard]] nlohmann::json stats() const;
  [[nodiscard]] nlohmann::json faults() const;
  void fault(const nlohmann::json& spec) const;
  int emit(const std::string& channel, const nlohmann::json& payload) const;  // returns how many got it
  void reset() const;

  [[nodiscard]] std::string stderr_text() const;
  [[nodiscard]] std::string stdout_text() const;
  // Sends SIGTERM and waits; returns the exit code (nullopt if it did not exit within `timeout`).
  std::optional<int> stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  nlohmann::json control(const std::string& method, const std::string& path, const std::string& body) const;

  Options options_;
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

}  // namespace flowmind::testing
