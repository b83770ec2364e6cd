// The nats_source config: checks beyond the schema and the parsed options.
#include <gtest/gtest.h>

#include "nats_source_options.hpp"
#include "plugin_test_context.hpp"

namespace flowmind::nats_source {
namespace {

using flowmind::testing::with_defaults;

Schema schema() {
  Schema s;
  describe_options(s);
  return s;
}

std::string issues(const nlohmann::json& values) {
  std::string out;
  for (const auto& issue : validate_options(with_defaults(schema(), values))) {
    out += issue.path + ": " + issue.message + "\n";
  }
  return out;
}

TEST(NatsSourceOptions, CoreSubjectsMayUseWildcards) {
  EXPECT_EQ(issues({{"subjects", {"uw.>", "uw.price.*"}}}), "");
  EXPECT_EQ(issues({{"subjects", {"uw.>"}}, {"queue_group", "relays"}}), "");
  EXPECT_NE(issues({{"subjects", nlohmann::json::array()}}).find("subjects: "), std::string::npos);
  EXPECT_NE(issues({{"subjects", {"uw.>.x"}}}).find("subjects/0"), std::string::npos);
  EXPECT_NE(issues({{"subjects", {"ok", "u w"}}}).find("subjects/1"), std::string::npos);
  EXPECT_NE(issues({{"subjects", {"uw.>"}}, {"queue_group", "a.b"}}).find("queue_group"), std::string::npos);
}

TEST(NatsSourceOptions, JetStreamNeedsStreamAndDurableAndOneSubject) {
  EXPECT_EQ(issues({{"subjects", {"uw.>"}}, {"jetstream", true}, {"stream", "UW"}, {"durable", "relay"}}), "");
  const auto missing = issues({{"subjects", {"uw.>"}}, {"jetstream", true}});
  EXPECT_NE(missing.find("stream: "), std::string::npos);
  EXPECT_NE(missing.find("durable: "), std::string::npos);
  EXPECT_NE(
      issues({{"subjects", {"a", "b"}}, {"jetstream", true}, {"stream", "UW"}, {"durable", "r"}}).find("one subject"),
      std::string::npos);
  EXPECT_NE(
      issues({{"subjects", {"uw.>"}}, {"jetstream", true}, {"stream", "UW"}, {"durable", "r"}, {"queue_group", "q"}})
          .find("queue_group"),
      std::string::npos);
  EXPECT_NE(issues({{"subjects", {"uw.>"}}, {"durable", "relay"}}).find("needs jetstream"), std::string::npos);
}

TEST(NatsSourceOptions, ParsesTheConsumerSettings) {
  const auto options = read_options(with_defaults(schema(), {{"subjects", {"uw.>"}},
                                                             {"jetstream", true},
                                                             {"stream", "UW"},
                                                             {"durable", "relay"},
                                                             {"deliver", "new"},
                                                             {"ack_wait", "2s"},
                                                             {"batch", 10}}));
  EXPECT_TRUE(options.jetstream);
  EXPECT_EQ(options.durable, "relay");
  EXPECT_EQ(options.deliver, DeliverPolicy::new_only);
  EXPECT_EQ(options.ack_wait, std::chrono::seconds(2));
  EXPECT_EQ(options.batch, 10);
  EXPECT_EQ(options.connection.servers, std::vector<std::string>{"nats://127.0.0.1:4222"});
}

}  // namespace
}  // namespace flowmind::nats_source
