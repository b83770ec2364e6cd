// The nats_sink config: schema table, checks beyond it, and the parsed options.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"
#include "nats_common/connection_options.hpp"
#include "publish_buffer.hpp"

namespace flowmind::nats_sink {

enum class StreamStorage { file, memory };

struct Options {
  nats::ConnectionOptions connection;
  std::string subject = "uw.{channel}";
  bool jetstream = false;
  std::string stream;
  bool create_stream = false;
  std::vector<std::string> stream_subjects;  // resolved: given, or derived from the subject template
  StreamStorage stream_storage = StreamStorage::file;
  std::chrono::nanoseconds stream_max_age{std::chrono::hours(24)};
  std::int64_t stream_max_bytes = -1;  // -1 = unlimited
  std::chrono::nanoseconds duplicate_window{std::chrono::minutes(2)};
  std::size_t max_in_flight = 256;
  std::chrono::milliseconds ack_timeout{5000};
  std::size_t buffer_limit = 10000;
  PublishBuffer::WhenFull when_full = PublishBuffer::WhenFull::drop_oldest;
  std::chrono::milliseconds drain_timeout{5000};
  std::chrono::milliseconds retry_delay{500};
};

void describe_options(Schema& schema);
std::vector<ConfigIssue> validate_options(const Config& config);
// Throws PluginError when a secret or TLS file cannot be read.
Options read_options(const Config& config);

// "uw.{channel}" -> "uw.>": the stream subjects that cover every subject of the template, or empty
// when the template has text after "{channel}" (then stream_subjects must be given).
std::vector<std::string> derived_stream_subjects(const std::string& subject_template);

}  // namespace flowmind::nats_sink
