// The nats_source config: schema table, checks beyond it, and the parsed options.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"
#include "nats_common/connection_options.hpp"

namespace flowmind::nats_source {

enum class DeliverPolicy { all, new_only, last };

struct Options {
  nats::ConnectionOptions connection;
  std::vector<std::string> subjects;
  std::string queue_group;
  bool jetstream = false;
  std::string stream;
  std::string durable;
  DeliverPolicy deliver = DeliverPolicy::all;
  std::chrono::nanoseconds ack_wait{std::chrono::seconds(30)};
  int max_ack_pending = 1000;
  int batch = 64;
  std::size_t queue_limit = 10000;
};

void describe_options(Schema& schema);
std::vector<ConfigIssue> validate_options(const Config& config);
// Throws PluginError when a secret or TLS file cannot be read.
Options read_options(const Config& config);

}  // namespace flowmind::nats_source
