// The nats_sink config: checks beyond the schema and the parsed options.
#include <gtest/gtest.h>

#include "nats_sink_options.hpp"
#include "plugin_test_context.hpp"

namespace flowmind::nats_sink {
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

TEST(NatsSinkOptions, DefaultsAreCoreNatsOnUwSubjects) {
  EXPECT_EQ(issues(nlohmann::json::object()), "");
  const auto options = read_options(with_defaults(schema(), nlohmann::json::object()));
  EXPECT_EQ(options.subject, "uw.{channel}");
  EXPECT_FALSE(options.jetstream);
  EXPECT_EQ(options.when_full, PublishBuffer::WhenFull::drop_oldest);
  EXPECT_EQ(options.buffer_limit, 10000U);
  EXPECT_EQ(options.stream_subjects, std::vector<std::string>{"uw.>"});
}

TEST(NatsSinkOptions, SubjectTemplateMustRenderToALiteralSubject) {
  EXPECT_EQ(issues({{"subject", "feeds.uw.{channel}"}}), "");
  EXPECT_NE(issues({{"subject", "uw.*.{channel}"}}).find("subject: "), std::string::npos);
  EXPECT_NE(issues({{"subject", "uw..{channel}"}}).find("empty token"), std::string::npos);
  EXPECT_NE(issues({{"subject", "uw {channel}"}}).find("white space"), std::string::npos);
}

TEST(NatsSinkOptions, JetStreamNeedsAStreamAndCreateNeedsJetStream) {
  EXPECT_NE(issues({{"jetstream", true}}).find("stream: "), std::string::npos);
  EXPECT_EQ(issues({{"jetstream", true}, {"stream", "UW"}}), "");
  EXPECT_NE(issues({{"create_stream", true}}).find("create_stream"), std::string::npos);
  EXPECT_NE(issues({{"jetstream", true}, {"stream", "U.W"}}).find("stream: "), std::string::npos);
  EXPECT_NE(issues({{"jetstream", true}, {"stream", "UW"}, {"create_stream", true}, {"subject", "{channel}.uw"}})
                .find("stream_subjects"),
            std::string::npos);
  EXPECT_EQ(issues({{"jetstream", true},
                    {"stream", "UW"},
                    {"create_stream", true},
                    {"subject", "{channel}.uw"},
                    {"stream_subjects", {"*.uw", "*.*.uw"}}}),
            "");
  EXPECT_NE(issues({{"jetstream", true}, {"stream", "UW"}, {"create_stream", true}, {"stream_subjects", {"a..b"}}})
                .find("stream_subjects/0"),
            std::string::npos);
}

TEST(NatsSinkOptions, StreamSubjectsAreDerivedFromTheTemplate) {
  EXPECT_EQ(derived_stream_subjects("uw.{channel}"), std::vector<std::string>{"uw.>"});
  EXPECT_EQ(derived_stream_subjects("{channel}"), std::vector<std::string>{">"});
  EXPECT_EQ(derived_stream_subjects("all.events"), std::vector<std::string>{"all.events"});
  EXPECT_TRUE(derived_stream_subjects("uw.{channel}.x").empty());
  EXPECT_TRUE(derived_stream_subjects("uw-{channel}").empty());
}

TEST(NatsSinkOptions, ParsesPoliciesAndLimits) {
  const auto options = read_options(with_defaults(schema(), {{"when_full", "block"},
                                                             {"buffer_limit", 5},
                                                             {"max_in_flight", 3},
                                                             {"stream_max_bytes", 0},
                                                             {"ack_timeout", "250ms"},
                                                             {"stream_storage", "memory"}}));
  EXPECT_EQ(options.when_full, PublishBuffer::WhenFull::block);
  EXPECT_EQ(options.buffer_limit, 5U);
  EXPECT_EQ(options.max_in_flight, 3U);
  EXPECT_EQ(options.stream_max_bytes, -1);
  EXPECT_EQ(options.ack_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(options.stream_storage, StreamStorage::memory);
}

}  // namespace
}  // namespace flowmind::nats_sink
