// The NATS connection options both nats plugins share: servers, credentials, TLS and reconnects.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"

namespace flowmind::nats {

// Validated and resolved: secrets read from their files, durations in milliseconds.
struct ConnectionOptions {
  std::vector<std::string> servers;
  std::string token;  // secret
  std::string user;
  std::string password;  // secret
  std::string credentials_file;
  bool tls = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string tls_hostname;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds reconnect_wait{1000};
  std::chrono::milliseconds reconnect_jitter{100};
  int reconnect_attempts = 0;  // 0 = forever
  std::chrono::milliseconds ping_interval{10000};
  std::string name;

  // The secrets (token, password) that must never reach logs, status or errors.
  [[nodiscard]] std::vector<std::string> secrets() const;
};

// Adds the shared rows to a plugin's schema.
void describe_connection_options(Schema& schema);
// Checks the schema cannot express: URL schemes, exclusive and paired keys.
std::vector<ConfigIssue> validate_connection_options(const Config& config);
// Reads the options and the secret files; throws PluginError when a file cannot be read.
ConnectionOptions read_connection_options(const Config& config);

}  // namespace flowmind::nats
