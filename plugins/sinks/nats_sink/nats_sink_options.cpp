// The nats_sink config: schema table, checks beyond it, and the parsed options.
#include "nats_sink_options.hpp"

#include <algorithm>

#include "nats_common/subject.hpp"

namespace flowmind::nats_sink {
namespace {

constexpr std::string_view kPlaceholder = "{channel}";

std::chrono::milliseconds millis(const Config& config, const std::string& key) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(config.duration(key));
}

}  // namespace

std::vector<std::string> derived_stream_subjects(const std::string& subject_template) {
  const auto at = subject_template.find(kPlaceholder);
  if (at == std::string::npos) return {subject_template};
  if (at + kPlaceholder.size() != subject_template.size()) return {};
  const auto prefix = subject_template.substr(0, at);
  if (!prefix.empty() && prefix.back() != '.') return {};
  return {prefix + ">"};
}

void describe_options(Schema& schema) {
  schema.option("subject", OptionType::string, "Subject template; {channel} is the channel made subject-safe")
      .def("uw.{channel}");
  schema.option("jetstream", OptionType::boolean, "Publish to a JetStream stream with acknowledgements and dedupe IDs")
      .def(false);
  schema.option("stream", OptionType::string, "JetStream stream that stores the subjects (with jetstream)").def("");
  schema.option("create_stream", OptionType::boolean, "Create the stream when it does not exist (else wait for it)")
      .def(false);
  schema.option("stream_subjects", OptionType::list, "Subjects of a created stream")
      .items(OptionType::string)
      .def(nlohmann::json::array())
      .default_doc("the template with {channel} as >");
  schema.option("stream_storage", OptionType::enumeration, "Storage of a created stream")
      .values({"file", "memory"})
      .def("file");
  schema.option("stream_max_age", OptionType::duration, "Age after which a created stream discards events, 0s = never")
      .def("24h")
      .range("0s", "3650d");
  schema.option("stream_max_bytes", OptionType::size, "Size above which a created stream discards its oldest, 0 = none")
      .def("1GiB");
  schema.option("duplicate_window", OptionType::duration, "How long a created stream remembers message IDs (dedupe)")
      .def("2m")
      .range("100ms", "7d");
  schema.option("max_in_flight", OptionType::integer, "JetStream publishes awaiting their acknowledgement at most")
      .def(256)
      .range(1, 65536);
  schema.option("ack_timeout", OptionType::duration, "A publish not acknowledged this long is sent again")
      .def("5s")
      .range("10ms", "5m");
  schema.option("buffer_limit", OptionType::integer, "Events held while the server is away or acks are pending")
      .def(10000)
      .range(1, 10'000'000);
  schema.option("when_full", OptionType::enumeration, "The buffer is full: drop its oldest event, the new one, or wait")
      .values({"drop_oldest", "drop_newest", "block"})
      .def("drop_oldest");
  schema.option("drain_timeout", OptionType::duration, "At shutdown, how long to keep delivering the buffer")
      .def("5s")
      .range("0s", "10m");
  nats::describe_connection_options(schema);
}

std::vector<ConfigIssue> validate_options(const Config& config) {
  auto issues = nats::validate_connection_options(config);
  const auto error = [&](std::string path, std::string message) {
    issues.push_back({std::move(path), std::move(message), ConfigIssue::Severity::error});
  };
  if (config.has("subject")) {
    const auto subject = config.string("subject");
    // A sample channel with every mapped form: the rendered subject must be a valid, literal subject.
    const auto problem = nats::subject_problem(nats::render_subject(subject, "price:SPY"), false);
    if (!problem.empty()) error("subject", problem);
  }
  const bool jetstream = config.has("jetstream") && config.boolean("jetstream");
  if (jetstream && (!config.has("stream") || config.string("stream").empty())) {
    error("stream", "jetstream: true needs the stream's name");
  }
  if (config.has("stream")) {
    const auto stream = config.string("stream");
    if (stream.find_first_of(".*> \t\r\n/\\") != std::string::npos) {
      error("stream", "a stream name has no '.', '*', '>', '/', '\\' or white space");
    }
  }
  if (config.has("create_stream") && config.boolean("create_stream")) {
    if (!jetstream) error("create_stream", "create_stream needs jetstream: true");
    const auto& given = config.has("stream_subjects") ? config.at("stream_subjects") : nlohmann::json::array();
    for (std::size_t i = 0; i < given.size(); ++i) {
      if (!given[i].is_string()) continue;
      const auto problem = nats::subject_problem(given[i].get<std::string>(), true);
      if (!problem.empty()) error("stream_subjects/" + std::to_string(i), problem);
    }
    if (given.empty() && config.has("subject") && derived_stream_subjects(config.string("subject")).empty()) {
      error("stream_subjects", "the subject template has text after {channel}: list the stream's subjects");
    }
  }
  return issues;
}

Options read_options(const Config& config) {
  Options options;
  options.connection = nats::read_connection_options(config);
  options.subject = config.string("subject");
  options.jetstream = config.boolean("jetstream");
  options.stream = config.string("stream");
  options.create_stream = config.boolean("create_stream");
  for (const auto& subject : config.at("stream_subjects"))
    options.stream_subjects.push_back(subject.get<std::string>());
  if (options.stream_subjects.empty()) options.stream_subjects = derived_stream_subjects(options.subject);
  options.stream_storage = config.string("stream_storage") == "memory" ? StreamStorage::memory : StreamStorage::file;
  options.stream_max_age = config.duration("stream_max_age");
  const auto max_bytes = config.size("stream_max_bytes");
  options.stream_max_bytes = max_bytes == 0 ? -1 : static_cast<std::int64_t>(max_bytes);
  options.duplicate_window = config.duration("duplicate_window");
  options.max_in_flight = static_cast<std::size_t>(config.integer("max_in_flight"));
  options.ack_timeout = millis(config, "ack_timeout");
  options.buffer_limit = static_cast<std::size_t>(config.integer("buffer_limit"));
  const auto when_full = config.string("when_full");
  options.when_full = when_full == "block"         ? PublishBuffer::WhenFull::block
                      : when_full == "drop_newest" ? PublishBuffer::WhenFull::drop_newest
                                                   : PublishBuffer::WhenFull::drop_oldest;
  options.drain_timeout = millis(config, "drain_timeout");
  options.retry_delay = std::min(options.connection.reconnect_wait, std::chrono::milliseconds(500));
  return options;
}

}  // namespace flowmind::nats_sink
