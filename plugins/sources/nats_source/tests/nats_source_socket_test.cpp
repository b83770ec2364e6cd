// The nats_source in-process against a real nats-server started by the test: envelopes back to
// events, queue groups, JetStream durable consumers that resume, share, and ack only what the
// pipeline accepted.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "nats_plugin_harness.hpp"
#include "nats_server_process.hpp"
#include "nats_source.hpp"
#include "nats_source_options.hpp"
#include "nats_test_client.hpp"
#include "plugin_test_context.hpp"
#include "test_support.hpp"

namespace flowmind::nats_source {
namespace {

using namespace std::chrono_literals;
using flowmind::testing::NatsServerProcess;
using flowmind::testing::NatsTestClient;
using flowmind::testing::RunningSource;
using flowmind::testing::wait_until;
using flowmind::testing::with_defaults;

constexpr std::chrono::milliseconds patience{30000};

std::unique_ptr<Source> make_source(const NatsServerProcess& server, nlohmann::json values) {
  Schema schema;
  describe_options(schema);
  values["servers"] = {server.url()};
  values["reconnect_wait"] = "100ms";
  values["reconnect_jitter"] = "0s";
  const auto config = with_defaults(schema, values);
  EXPECT_EQ(validate_options(config).size(), 0U);
  return std::make_unique<NatsSource>(read_options(config));
}

nlohmann::json jetstream(const std::string& durable) {
  return {{"subjects", {"uw.>"}}, {"jetstream", true}, {"stream", "UW"}, {"durable", durable}};
}

std::string envelope(const std::string& channel, int n) {
  Event event(channel, R"({"n":)" + std::to_string(n) + "}");
  if (n % 3 == 0) event.annotate("premium", n * 1000);
  return event.wire();
}

std::vector<int> numbers(const std::vector<std::string>& wires) {
  std::vector<int> out;
  for (const auto& wire : wires) out.push_back(nlohmann::json::parse(wire)["data"]["n"].get<int>());
  return out;
}

bool subscribed(const RunningSource& source) { return source.status()["subscribed"] == true; }

TEST(NatsSourceSocket, CoreWildcardSubscriptionRebuildsTheEventsExactly) {
  NatsServerProcess server({.jetstream = false});
  NatsTestClient publisher(server.url());
  RunningSource source(make_source(server, {{"subjects", {"uw.price.*", "uw.news"}}}));
  ASSERT_TRUE(wait_until([&] { return subscribed(source) && source.status()["connection"]["state"] == "connected"; },
                         patience));
  // Subscriptions reach the server with the client's next flush: poll until one message arrives.
  const auto first = envelope("price:SPY", 0);
  ASSERT_TRUE(wait_until(
      [&] {
        publisher.publish("uw.price.SPY", first);
        return source.ctx().wait_events(1, 100ms);
      },
      patience));
  // A probe sent in one round may arrive after the next round's: a marker behind them all (one
  // connection keeps its order) tells when the last one is in.
  const auto marker = envelope("price:SPY", 99);
  publisher.publish("uw.price.SPY", marker);
  ASSERT_TRUE(wait_until([&] { return source.ctx().wires().back() == marker; }, patience));
  const auto before = source.ctx().wires().size();
  const std::vector<std::string> sent = {envelope("price:QQQ", 1), envelope("news", 2), envelope("flow-alerts", 3)};
  publisher.publish("uw.price.QQQ", sent[0]);
  publisher.publish("uw.news", sent[1]);
  publisher.publish("uw.flow-alerts", sent[2]);  // not subscribed
  publisher.publish("uw.news", "not an envelope");
  ASSERT_TRUE(wait_until([&] { return source.ctx().value("nats_malformed") == 1; }, patience));
  const auto wires = source.ctx().wires();
  ASSERT_EQ(wires.size(), before + 2);
  EXPECT_EQ(wires[before], sent[0]);  // channel, timestamp, raw data and annotations byte for byte
  EXPECT_EQ(wires[before + 1], sent[1]);
  EXPECT_EQ(source.status()["mode"], "core");
}

TEST(NatsSourceSocket, AQueueGroupSharesTheMessagesBetweenEngines) {
  NatsServerProcess server({.jetstream = false});
  NatsTestClient publisher(server.url());
  RunningSource a(make_source(server, {{"subjects", {"uw.>"}}, {"queue_group", "relays"}}), "a");
  RunningSource b(make_source(server, {{"subjects", {"uw.>"}}, {"queue_group", "relays"}}), "b");
  ASSERT_TRUE(wait_until([&] { return subscribed(a) && subscribed(b); }, patience));
  // Let both subscriptions reach the server: a probe each member could take, until both took one.
  int n = 0;
  ASSERT_TRUE(wait_until(
      [&] {
        publisher.publish("uw.news", envelope("news", n++));
        return !a.ctx().wires().empty() && !b.ctx().wires().empty();
      },
      patience));
  // Every probe published counts: the last ones can still be on their way to a member.
  const auto probes = static_cast<std::size_t>(n);
  for (int i = 0; i < 200; ++i) publisher.publish("uw.news", envelope("news", 1000 + i));
  ASSERT_TRUE(wait_until([&] { return a.ctx().wires().size() + b.ctx().wires().size() >= probes + 200; }, patience));
  std::set<int> seen;
  for (RunningSource* source : {&a, &b}) {
    for (const auto value : numbers(source->ctx().wires())) {
      EXPECT_TRUE(seen.insert(value).second) << "delivered twice: " << value;
    }
  }
  EXPECT_EQ(seen.size(), probes + 200);
}

TEST(NatsSourceSocket, DurableConsumerResumesAfterARestartWithoutLossOrDuplicates) {
  NatsServerProcess server;
  NatsTestClient client(server.url());
  client.add_stream("UW", "uw.>");
  for (int n = 0; n < 5; ++n) client.publish("uw.flow-alerts", envelope("flow-alerts", n));
  {
    RunningSource first(make_source(server, jetstream("relay")));
    ASSERT_TRUE(first.ctx().wait_events(5, patience)) << first.ctx().log_text();
    ASSERT_TRUE(wait_until([&] { return client.consumer("UW", "relay").ack_floor == 5; }, patience));
    EXPECT_EQ(first.ctx().value("nats_acknowledged"), 5U);
  }
  // The engine is gone; events keep arriving in the stream.
  for (int n = 5; n < 10; ++n) client.publish("uw.flow-alerts", envelope("flow-alerts", n));
  EXPECT_TRUE(client.consumer("UW", "relay").exists);  // stopping did not delete the durable
  RunningSource second(make_source(server, jetstream("relay")));
  ASSERT_TRUE(second.ctx().wait_events(5, patience)) << second.ctx().log_text();
  ASSERT_TRUE(wait_until([&] { return client.consumer("UW", "relay").ack_floor == 10; }, patience));
  EXPECT_EQ(numbers(second.ctx().wires()), (std::vector<int>{5, 6, 7, 8, 9}));
  EXPECT_EQ(second.ctx().value("nats_redelivered"), 0U);
}

TEST(NatsSourceSocket, AnEventThePipelineDidNotTakeIsNotAcknowledgedAndComesAgain) {
  NatsServerProcess server;
  NatsTestClient client(server.url());
  client.add_stream("UW", "uw.>");
  client.publish("uw.news", envelope("news", 1));
  {
    RunningSource full(make_source(server, jetstream("relay")));
    full.ctx().hold(true);  // the pipeline's input is full (block policy): emit() waits
    ASSERT_TRUE(full.ctx().wait_emit_calls(1, patience)) << full.ctx().log_text();
    const auto state = client.consumer("UW", "relay");
    EXPECT_EQ(state.ack_floor, 0U);
    EXPECT_EQ(state.ack_pending, 1);
    // Stopped while emit() waits: emit() returns false, the event is given back (nak).
  }
  EXPECT_EQ(client.consumer("UW", "relay").ack_floor, 0U);
  RunningSource next(make_source(server, jetstream("relay")));
  ASSERT_TRUE(next.ctx().wait_events(1, patience)) << next.ctx().log_text();
  EXPECT_EQ(numbers(next.ctx().wires()), std::vector<int>{1});
  ASSERT_TRUE(wait_until([&] { return client.consumer("UW", "relay").ack_floor == 1; }, patience));
  EXPECT_EQ(next.ctx().value("nats_redelivered"), 1U);
}

TEST(NatsSourceSocket, ABatchHeldLongerThanAckWaitIsEmittedOnce) {
  NatsServerProcess server;
  NatsTestClient client(server.url());
  client.add_stream("UW", "uw.>");
  for (int n = 0; n < 3; ++n) client.publish("uw.news", envelope("news", n));
  auto options = jetstream("slow");
  options["ack_wait"] = "1s";
  RunningSource source(make_source(server, options));
  source.ctx().hold(true);  // the pipeline is full: the first emit() waits past ack_wait
  ASSERT_TRUE(source.ctx().wait_emit_calls(1, patience)) << source.ctx().log_text();
  std::this_thread::sleep_for(2500ms);
  source.ctx().hold(false);
  ASSERT_TRUE(wait_until([&] { return client.consumer("UW", "slow").ack_floor == 3; }, patience))
      << source.ctx().log_text();
  // Room for any redelivery the late acknowledgements did not prevent: none may be emitted again.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(numbers(source.ctx().wires()), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(source.ctx().value("nats_emitted"), 3U);
}

TEST(NatsSourceSocket, EnginesSharingADurableSplitTheStreamWithoutDuplicates) {
  NatsServerProcess server;
  NatsTestClient client(server.url());
  client.add_stream("UW", "uw.>");
  RunningSource a(make_source(server, jetstream("relays")), "a");
  RunningSource b(make_source(server, jetstream("relays")), "b");
  ASSERT_TRUE(wait_until([&] { return subscribed(a) && subscribed(b); }, patience));
  for (int n = 0; n < 300; ++n) client.publish("uw.flow-alerts", envelope("flow-alerts", n));
  ASSERT_TRUE(wait_until([&] { return client.consumer("UW", "relays").ack_floor == 300; }, patience));
  const auto from_a = numbers(a.ctx().wires());
  const auto from_b = numbers(b.ctx().wires());
  std::set<int> seen(from_a.begin(), from_a.end());
  seen.insert(from_b.begin(), from_b.end());
  EXPECT_EQ(seen.size(), 300U);
  EXPECT_EQ(from_a.size() + from_b.size(), 300U);
  EXPECT_GT(from_a.size(), 0U);
  EXPECT_GT(from_b.size(), 0U);
}

TEST(NatsSourceSocket, ResumesConsumingAfterTheServerRestarts) {
  NatsServerProcess server;
  {
    NatsTestClient client(server.url());
    client.add_stream("UW", "uw.>");
  }
  RunningSource source(make_source(server, jetstream("relay")));
  ASSERT_TRUE(wait_until([&] { return subscribed(source); }, patience));
  server.stop();
  ASSERT_TRUE(wait_until([&] { return source.status()["connection"]["state"] != "connected"; }, patience));
  server.start();
  NatsTestClient client(server.url());
  client.publish("uw.news", envelope("news", 7));
  ASSERT_TRUE(source.ctx().wait_events(1, patience)) << source.ctx().log_text();
  EXPECT_EQ(numbers(source.ctx().wires()), std::vector<int>{7});
  EXPECT_EQ(source.status()["connection"]["reconnects"], 1);
}

// Reconnect attempts used up: run() fails (so the engine restarts the source with its backoff)
// instead of waiting forever (core) or spinning (JetStream) on a connection that never returns.
TEST(NatsSourceSocket, AClosedConnectionFailsRunForBothModes) {
  for (const bool use_jetstream : {false, true}) {
    SCOPED_TRACE(use_jetstream ? "jetstream" : "core");
    NatsServerProcess server;
    NatsTestClient client(server.url());
    if (use_jetstream) client.add_stream("UW", "uw.>");
    auto options = use_jetstream ? jetstream("gives-up") : nlohmann::json{{"subjects", {"uw.>"}}};
    options["reconnect_attempts"] = 1;
    RunningSource source(make_source(server, options));
    ASSERT_TRUE(wait_until([&] { return subscribed(source); }, patience)) << source.ctx().log_text();
    server.stop();
    ASSERT_TRUE(wait_until([&] { return !source.failure().empty(); }, patience)) << source.ctx().log_text();
    EXPECT_NE(source.failure().find("closed"), std::string::npos) << source.failure();
    source.stop();  // returns: run() has ended
  }
}

}  // namespace
}  // namespace flowmind::nats_source
