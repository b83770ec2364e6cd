// The uw_websocket config: the schema table, the checks beyond it, and the parsed options.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"

namespace flowmind::uw_websocket {

inline constexpr const char* default_url = "wss://api.unusualwhales.com/socket";

struct Options {
  std::string url;  // as configured, never with the token
  std::string token;
  std::vector<std::string> channels;  // in order, duplicates removed
  std::string ca_file;
  std::size_t receive_limit = 4U << 20U;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds ack_timeout{10000};
  int join_retries = 2;
  std::chrono::milliseconds ping_after{30000};
  std::chrono::milliseconds pong_timeout{10000};
  std::chrono::milliseconds reconnect_initial{5000};
  std::chrono::milliseconds reconnect_max{60000};
  double reconnect_jitter = 0.2;
  int reconnect_attempts = 0;  // 0 = forever
  std::size_t queue_limit = 10000;

  // The options that shape the shared connection (the first pipeline's win).
  [[nodiscard]] std::string connection_fingerprint() const;
};

void describe_options(Schema& schema);
std::vector<ConfigIssue> validate_options(const Config& config);
// From a config validated by the engine (schema defaults applied).
Options read_options(const Config& config);

}  // namespace flowmind::uw_websocket
