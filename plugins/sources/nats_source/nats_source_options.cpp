// The nats_source config: schema table, checks beyond it, and the parsed options.
#include "nats_source_options.hpp"

#include "nats_common/subject.hpp"

namespace flowmind::nats_source {

void describe_options(Schema& schema) {
  schema.option("subjects", OptionType::list, "Subjects to subscribe to; wildcards allowed (uw.>, uw.price.*)")
      .items(OptionType::string)
      .required();
  schema.option("queue_group", OptionType::string, "Core NATS: engines in one queue group share the messages").def("");
  schema.option("jetstream", OptionType::boolean, "Consume a JetStream stream through a durable pull consumer")
      .def(false);
  schema.option("stream", OptionType::string, "JetStream stream holding the subjects (with jetstream)").def("");
  schema.option("durable", OptionType::string, "Durable consumer name; engines with the same name share the work")
      .def("");
  schema
      .option("deliver", OptionType::enumeration, "Where a new durable consumer starts: every stored event, new, last")
      .values({"all", "new", "last"})
      .def("all");
  schema.option("ack_wait", OptionType::duration, "An event not acknowledged this long is delivered again")
      .def("30s")
      .range("100ms", "1h");
  schema.option("max_ack_pending", OptionType::integer, "Events delivered but not yet acknowledged at most")
      .def(1000)
      .range(1, 1'000'000);
  schema.option("batch", OptionType::integer, "Events fetched per pull request").def(64).range(1, 10000);
  schema
      .option("queue_limit", OptionType::integer,
              "Core NATS: messages waiting for the pipeline; when full the new drop")
      .def(10000)
      .range(1, 10'000'000);
  nats::describe_connection_options(schema);
}

std::vector<ConfigIssue> validate_options(const Config& config) {
  auto issues = nats::validate_connection_options(config);
  const auto error = [&](std::string path, std::string message) {
    issues.push_back({std::move(path), std::move(message), ConfigIssue::Severity::error});
  };
  const bool jetstream = config.has("jetstream") && config.boolean("jetstream");
  if (config.has("subjects")) {
    const auto& subjects = config.at("subjects");
    if (subjects.empty()) error("subjects", "at least one subject is needed");
    if (jetstream && subjects.size() > 1) {
      error("subjects", "a JetStream consumer filters on one subject: use a wildcard (uw.>) or one pipeline each");
    }
    for (std::size_t i = 0; i < subjects.size(); ++i) {
      if (!subjects[i].is_string()) continue;
      const auto problem = nats::subject_problem(subjects[i].get<std::string>(), true);
      if (!problem.empty()) error("subjects/" + std::to_string(i), problem);
    }
  }
  const auto name_problem = [](const std::string& name) {
    return name.find_first_of(".*> \t\r\n/\\") != std::string::npos;
  };
  if (jetstream) {
    if (!config.has("stream") || config.string("stream").empty()) error("stream", "jetstream: true needs the stream");
    if (!config.has("durable") || config.string("durable").empty()) {
      error("durable", "jetstream: true needs a durable consumer name (it is what resumes after a restart)");
    }
    if (config.has("queue_group") && !config.string("queue_group").empty()) {
      error("queue_group", "with JetStream, engines share the work through the same durable, not a queue group");
    }
  } else {
    for (const char* key : {"stream", "durable"}) {
      if (config.has(key) && !config.string(key).empty()) error(key, std::string(key) + " needs jetstream: true");
    }
  }
  for (const char* key : {"stream", "durable", "queue_group"}) {
    if (config.has(key) && name_problem(config.string(key))) {
      error(key, "a name has no '.', '*', '>', '/', '\\' or white space");
    }
  }
  return issues;
}

Options read_options(const Config& config) {
  Options options;
  options.connection = nats::read_connection_options(config);
  for (const auto& subject : config.at("subjects")) options.subjects.push_back(subject.get<std::string>());
  options.queue_group = config.string("queue_group");
  options.jetstream = config.boolean("jetstream");
  options.stream = config.string("stream");
  options.durable = config.string("durable");
  const auto deliver = config.string("deliver");
  options.deliver = deliver == "new"    ? DeliverPolicy::new_only
                    : deliver == "last" ? DeliverPolicy::last
                                        : DeliverPolicy::all;
  options.ack_wait = config.duration("ack_wait");
  options.max_ack_pending = static_cast<int>(config.integer("max_ack_pending"));
  options.batch = static_cast<int>(config.integer("batch"));
  options.queue_limit = static_cast<std::size_t>(config.integer("queue_limit"));
  return options;
}

}  // namespace flowmind::nats_source
