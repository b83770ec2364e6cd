// Starts a real nats-server as a child process for a test; stop()/start() restart it in place.
#include "nats_server_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace flowmind::testing {

std::filesystem::path NatsServerProcess::executable() {
  std::vector<std::filesystem::path> candidates;
  if (const char* path = std::getenv("PATH")) {
    std::istringstream folders(path);
    for (std::string folder; std::getline(folders, folder, ':');) {
      if (!folder.empty()) candidates.emplace_back(std::filesystem::path(folder) / "nats-server");
    }
  }
  candidates.emplace_back("/usr/sbin/nats-server");
  candidates.emplace_back("/usr/bin/nats-server");
  for (const auto& candidate : candidates) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

NatsServerProcess::NatsServerProcess() : NatsServerProcess(Options{}) {}

NatsServerProcess::NatsServerProcess(Options options) : options_(std::move(options)), port_(free_port()) { start(); }

NatsServerProcess::~NatsServerProcess() {
  if (process_ && process_->running()) stop();
}

bool NatsServerProcess::running() { return process_ && process_->running(); }

void NatsServerProcess::pause() {
  if (process_) process_->send_signal(SIGSTOP);
}

void NatsServerProcess::resume() {
  if (process_) process_->send_signal(SIGCONT);
}

void NatsServerProcess::start() {
  const auto binary = executable();
  if (binary.empty()) throw std::runtime_error("nats-server is not installed (tools/install-deps.sh)");
  std::vector<std::string> argv = {binary.string(), "-a", "127.0.0.1", "-p", std::to_string(port_)};
  if (options_.jetstream) argv.insert(argv.end(), {"-js", "-sd", (dir_.path() / "store").string()});
  if (!options_.tls_cert.empty()) {
    argv.insert(argv.end(), {"--tls", "--tlscert", options_.tls_cert.string(), "--tlskey", options_.tls_key.string()});
  }
  if (!options_.tls_client_ca.empty()) {
    argv.insert(argv.end(), {"--tlsverify", "--tlscacert", options_.tls_client_ca.string()});
  }
  if (!options_.user.empty()) argv.insert(argv.end(), {"--user", options_.user, "--pass", options_.password});
  argv.insert(argv.end(), options_.extra_args.begin(), options_.extra_args.end());
  ++starts_;
  const auto log = dir_.path() / ("server-" + std::to_string(starts_) + ".log");
  process_ = std::make_unique<ChildProcess>(argv, dir_.path() / "stdout.txt", log);
  const bool ready =
      wait_until([&] { return read_file(log).find("Server is ready") != std::string::npos || !process_->running(); },
                 std::chrono::seconds(30));
  if (!ready || !process_->running()) {
    const auto text = read_file(log);
    process_->send_signal(SIGKILL);
    process_->wait(std::chrono::seconds(5));
    throw std::runtime_error("nats-server did not start: " + text);
  }
}

void NatsServerProcess::stop() {
  if (!process_ || !process_->running()) return;
  process_->send_signal(SIGCONT);  // a paused server acts on SIGTERM only once it runs again
  process_->send_signal(SIGTERM);
  if (!process_->wait(std::chrono::seconds(10))) {
    process_->send_signal(SIGKILL);
    process_->wait(std::chrono::seconds(5));
  }
}

std::string NatsServerProcess::log_text() const {
  std::string text;
  for (int n = 1; n <= starts_; ++n) text += read_file(dir_.path() / ("server-" + std::to_string(n) + ".log"));
  return text;
}

}  // namespace flowmind::testing
