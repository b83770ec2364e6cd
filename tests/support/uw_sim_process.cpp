// Starts the UW simulator (uw-sim) as a child process for a test and talks to its control API.
#include "uw_sim_process.hpp"

#include <signal.h>

#include <stdexcept>

namespace flowmind::testing {
namespace {
const std::string kListening = "uw-sim listening on 127.0.0.1:";
}  // namespace

std::filesystem::path uw_sim_executable() { return binary_dir() / "bin" / "uw-sim"; }

UwSimProcess::UwSimProcess() : UwSimProcess(Options{}) {}

UwSimProcess::UwSimProcess(Options options) : options_(std::move(options)) {
  std::vector<std::string> argv = {uw_sim_executable().string(), "--listen", "127.0.0.1:0"};
  if (options_.tls) {
    argv.insert(argv.end(), {"--tls", "--cert-dir", cert_dir().string()});
  }
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  process_ = std::make_unique<ChildProcess>(argv, dir_.path() / "stdout.txt", dir_.path() / "stderr.txt", options_.env);
  const bool ready = wait_until(
      [&] {
        const auto out = stdout_text();
        const auto at = out.find(kListening);
        if (at != std::string::npos && out.find('\n', at) != std::string::npos) {
          port_ = std::stoi(out.substr(at + kListening.size()));
          return true;
        }
        return !process_->running();
      },
      std::chrono::seconds(20));
  if (!ready || port_ == 0) {
    const auto err = stderr_text();
    process_->send_signal(SIGKILL);
    process_->wait(std::chrono::seconds(5));
    throw std::runtime_error("uw-sim did not start: " + err);
  }
}

UwSimProcess::~UwSimProcess() {
  if (process_ && process_->running()) {
    process_->send_signal(SIGTERM);
    if (!process_->wait(std::chrono::seconds(5))) {
      process_->send_signal(SIGKILL);
      process_->wait(std::chrono::seconds(5));
    }
  }
}

std::optional<int> UwSimProcess::stop(std::chrono::milliseconds timeout) {
  if (process_->running()) process_->send_signal(SIGTERM);
  return process_->wait(timeout);
}

std::string UwSimProcess::ws_url(const std::string& token) const {
  return "ws://127.0.0.1:" + std::to_string(port_) + "/socket?token=" + token;
}

std::string UwSimProcess::wss_url(const std::string& token) const {
  if (!options_.tls) throw std::logic_error("wss_url() needs a simulator started with tls = true");
  return "wss://127.0.0.1:" + std::to_string(port_) + "/socket?token=" + token;
}

std::string UwSimProcess::http_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string UwSimProcess::https_url() const {
  if (!options_.tls) throw std::logic_error("https_url() needs a simulator started with tls = true");
  return "https://127.0.0.1:" + std::to_string(port_);
}

std::filesystem::path UwSimProcess::cert_dir() const { return dir_.path() / "certs"; }

std::filesystem::path UwSimProcess::ca_file() const {
  if (!options_.tls) throw std::logic_error("ca_file() needs a simulator started with tls = true");
  return cert_dir() / "ca.pem";
}

nlohmann::json UwSimProcess::control(const std::string& method, const std::string& path,
                                     const std::string& body) const {
  const auto response = http_request(port_, method, path, body);
  if (response.status != 200) {
    throw std::runtime_error("uw-sim " + method + " " + path + " answered " + std::to_string(response.status) + ": " +
                             response.body);
  }
  return nlohmann::json::parse(response.body);
}

nlohmann::json UwSimProcess::log() const { return control("GET", "/_sim/log", {}); }
nlohmann::json UwSimProcess::stats() const { return control("GET", "/_sim/stats", {}); }
nlohmann::json UwSimProcess::faults() const { return control("GET", "/_sim/faults", {}); }
void UwSimProcess::fault(const nlohmann::json& spec) const { control("POST", "/_sim/fault", spec.dump()); }
void UwSimProcess::reset() const { control("POST", "/_sim/reset", {}); }

int UwSimProcess::emit(const std::string& channel, const nlohmann::json& payload) const {
  const auto answer = control("POST", "/_sim/emit", nlohmann::json{{"channel", channel}, {"payload", payload}}.dump());
  return answer.at("delivered").get<int>();
}

std::string UwSimProcess::stderr_text() const { return read_file(dir_.path() / "stderr.txt"); }
std::string UwSimProcess::stdout_text() const { return read_file(dir_.path() / "stdout.txt"); }

}  // namespace flowmind::testing
