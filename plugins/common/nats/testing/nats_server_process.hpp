// Starts a real nats-server (Debian's nats-server, JetStream on) as a child process for a test.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace flowmind::testing {

class NatsServerProcess {
 public:
  struct Options {
    bool jetstream = true;
    std::vector<std::string> extra_args{};  // e.g. {"--auth", "s3cret"}
    // With both set, TLS only (--tls): a client that does not speak TLS is refused.
    std::filesystem::path tls_cert{};
    std::filesystem::path tls_key{};
    // Mutual TLS (--tlsverify): only clients whose certificate this CA signed are let in.
    std::filesystem::path tls_client_ca{};
    // User/password authentication (--user/--pass) when user is set.
    std::string user{};
    std::string password{};
  };

  // Starts `nats-server -a 127.0.0.1 -p <free port> [-js -sd <own temp dir>] [TLS] [user]` and waits up to 30 s
  // until it accepts connections; throws std::runtime_error with its log when it does not.
  NatsServerProcess();
  explicit NatsServerProcess(Options options);
  ~NatsServerProcess();  // SIGTERM, then SIGKILL after 5 s
  NatsServerProcess(const NatsServerProcess&) = delete;
  NatsServerProcess& operator=(const NatsServerProcess&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::string tls_url() const { return "tls://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] bool running();
  // Stops the server (SIGTERM, waits); start() brings it back on the same port with the same
  // JetStream store, as an operator restarting it would.
  void stop();
  void start();
  // SIGSTOP / SIGCONT: a server that keeps its connections but answers nothing (a hung host).
  void pause();
  void resume();
  [[nodiscard]] std::string log_text() const;

  // Where the nats-server binary is (PATH, /usr/sbin, /usr/bin); empty when not installed.
  static std::filesystem::path executable();

 private:
  Options options_;
  TempDir dir_;
  int port_ = 0;
  int starts_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace flowmind::testing
