// The nats_sink against a real nats-server started by the test: core publishes of the wire
// envelope, JetStream acknowledgements and dedupe, and the buffer while the server restarts.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "nats_server_process.hpp"
#include "nats_sink.hpp"
#include "nats_sink_options.hpp"
#include "nats_test_client.hpp"
#include "plugin_test_context.hpp"
#include "test_support.hpp"

namespace flowmind::nats_sink {
namespace {

using namespace std::chrono_literals;
using flowmind::testing::NatsServerProcess;
using flowmind::testing::NatsTestClient;
using flowmind::testing::TestStageContext;
using flowmind::testing::wait_until;
using flowmind::testing::with_defaults;

constexpr std::chrono::milliseconds patience{30000};

Options sink_options(const NatsServerProcess& server, nlohmann::json values) {
  Schema schema;
  describe_options(schema);
  values["servers"] = {server.url()};
  values["reconnect_wait"] = "100ms";
  values["reconnect_jitter"] = "0s";
  const auto config = with_defaults(schema, values);
  EXPECT_TRUE(validate_options(config).empty());
  return read_options(config);
}

EventPtr event(const std::string& channel, int n, std::uint64_t sequence) {
  Event e(channel, R"({"n":)" + std::to_string(n) + "}");
  e.set_sequence(sequence);
  return std::make_shared<const Event>(std::move(e));
}

// The sink as the engine runs it: start, consume..., flush, stop.
struct StartedSink {
  TestStageContext ctx;
  NatsSink sink;
  explicit StartedSink(Options options) : sink(std::move(options)) { sink.start(ctx); }
  ~StartedSink() { sink.stop(); }
  std::uint64_t counter(const std::string& name) { return ctx.value(name); }
  bool connected() { return sink.status()["connection"]["state"] == "connected"; }
};

std::vector<int> numbers(const std::vector<flowmind::testing::ReceivedMessage>& messages) {
  std::vector<int> out;
  for (const auto& message : messages) out.push_back(nlohmann::json::parse(message.data)["data"]["n"].get<int>());
  return out;
}

TEST(NatsSinkSocket, CorePublishesTheWireEnvelopeOnTheChannelsSubject) {
  NatsServerProcess server({.jetstream = false});
  NatsTestClient client(server.url());
  client.subscribe("uw.>");
  StartedSink sink(sink_options(server, nlohmann::json::object()));
  ASSERT_TRUE(wait_until([&] { return sink.connected(); }, patience)) << sink.ctx.log_text();
  const auto flow = event("flow-alerts", 1, 1);
  const auto price = event("price:SPY", 2, 2);
  sink.sink.consume(flow);
  sink.sink.consume(price);
  ASSERT_TRUE(client.wait_received(2, patience)) << sink.ctx.log_text();
  const auto received = client.received();
  EXPECT_EQ(received[0].subject, "uw.flow-alerts");
  EXPECT_EQ(received[0].data, flow->wire());
  EXPECT_EQ(received[1].subject, "uw.price.SPY");
  EXPECT_EQ(received[1].data, price->wire());
  EXPECT_TRUE(received[0].message_id.empty());  // core NATS: no dedupe header
  EXPECT_EQ(sink.counter("nats_published"), 2U);
  const auto status = sink.sink.status();
  EXPECT_EQ(status["mode"], "core");
  EXPECT_EQ(status["buffer"]["size"], 0);
  EXPECT_FALSE(status["metrics"].empty());
}

TEST(NatsSinkSocket, JetStreamCreatesTheStreamAndTheServerDropsRepublishedDuplicates) {
  NatsServerProcess server;
  NatsTestClient client(server.url());
  const auto options = sink_options(
      server, {{"jetstream", true}, {"stream", "UW"}, {"create_stream", true}, {"duplicate_window", "10m"}});
  std::vector<EventPtr> events;
  for (int n = 0; n < 20; ++n) events.push_back(event(n % 2 == 0 ? "flow-alerts" : "news", n, 100 + n));
  {
    StartedSink first(options);
    for (const auto& e : events) first.sink.consume(e);
    ASSERT_TRUE(wait_until([&] { return first.counter("nats_acknowledged") == 20; }, patience))
        << first.sink.status().dump();
    first.sink.flush();
    EXPECT_EQ(first.counter("nats_duplicates"), 0U);
    EXPECT_EQ(first.sink.status()["stream_ready"], true);
  }
  EXPECT_EQ(client.stream_messages("UW"), 20);
  const auto stored = client.stream_contents("UW");
  ASSERT_EQ(stored.size(), 20U);
  EXPECT_EQ(stored[3].data, events[3]->wire());
  EXPECT_EQ(stored[3].subject, "uw.news");
  EXPECT_FALSE(stored[3].message_id.empty());

  // A publisher retrying the same events (same identity) within the window: acknowledged as
  // duplicates, nothing stored twice.
  StartedSink retry(options);
  for (const auto& e : events) retry.sink.consume(e);
  ASSERT_TRUE(wait_until([&] { return retry.counter("nats_acknowledged") == 20; }, patience));
  EXPECT_EQ(retry.counter("nats_duplicates"), 20U);
  EXPECT_EQ(client.stream_messages("UW"), 20);
}

TEST(NatsSinkSocket, EqualEventsFromFiltersAreEachStoredAndTheBufferDrains) {
  NatsServerProcess server;
  NatsTestClient client(server.url());
  StartedSink sink(sink_options(server, {{"jetstream", true}, {"stream", "UW"}, {"create_stream", true}}));
  // What filters emit: clones keeping their parent's sequence, and new events with sequence 0,
  // byte for byte equal (same channel, payload and millisecond).
  Event parent("news", R"({"n":1})");
  parent.set_sequence(7);
  const auto original = std::make_shared<const Event>(parent.clone());
  const auto copy_a = std::make_shared<const Event>(parent.clone());
  const auto copy_b = std::make_shared<const Event>(parent.clone());
  Event fresh("news", R"({"n":2})", parent.received_at());
  const auto new_a = std::make_shared<const Event>(fresh.clone());
  const auto new_b = std::make_shared<const Event>(fresh.clone());
  for (const auto& e : std::vector<EventPtr>{original, copy_a, copy_b, new_a, new_b}) sink.sink.consume(e);
  ASSERT_TRUE(wait_until([&] { return sink.counter("nats_acknowledged") == 5; }, patience))
      << sink.sink.status().dump();
  EXPECT_EQ(sink.counter("nats_duplicates"), 0U);
  EXPECT_EQ(client.stream_messages("UW"), 5);
  const auto stored = client.stream_contents("UW");
  std::set<std::string> ids;
  for (const auto& message : stored) ids.insert(message.message_id);
  EXPECT_EQ(ids.size(), 5U);
  // Every publish was answered and released its place: nothing stays in flight.
  const auto status = sink.sink.status();
  EXPECT_EQ(status["buffer"]["in_flight"], 0);
  EXPECT_EQ(status["buffer"]["size"], 0);
}

TEST(NatsSinkSocket, StopWithPublishesInFlightCountsThemUnconfirmedAndNoAnswerArrivesAfterwards) {
  NatsServerProcess server;
  StartedSink sink(sink_options(
      server, {{"jetstream", true}, {"stream", "UW"}, {"create_stream", true}, {"drain_timeout", "300ms"}}));
  sink.sink.consume(event("news", 0, 1));
  ASSERT_TRUE(wait_until([&] { return sink.counter("nats_acknowledged") == 1; }, patience)) << sink.ctx.log_text();
  // A hung server: the connection stays up, nothing is answered.
  server.pause();
  for (int n = 1; n < 4; ++n) sink.sink.consume(event("news", n, static_cast<std::uint64_t>(n + 1)));
  ASSERT_TRUE(wait_until([&] { return sink.counter("nats_published") == 4; }, patience)) << sink.ctx.log_text();
  sink.sink.stop();
  // Sent but never answered: they may be in the stream, so they are not counted as dropped.
  EXPECT_EQ(sink.counter("nats_unconfirmed"), 3U);
  EXPECT_EQ(sink.counter("nats_dropped"), 0U);
  EXPECT_EQ(sink.sink.status()["connection"]["state"], "stopped");
  // The server answers now; no answer may reach the stopped sink (a callback after stop() would
  // count it, and under ASan touch freed memory once the sink is gone).
  server.resume();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(sink.counter("nats_acknowledged"), 1U);
  EXPECT_EQ(sink.counter("nats_resent"), 0U);
}

TEST(NatsSinkSocket, JetStreamWithoutTheStreamWaitsInTheBufferUntilItExists) {
  NatsServerProcess server;
  NatsTestClient client(server.url());
  StartedSink sink(sink_options(server, {{"jetstream", true}, {"stream", "LATER"}, {"subject", "later.{channel}"}}));
  sink.sink.consume(event("news", 1, 1));
  ASSERT_TRUE(wait_until([&] { return sink.ctx.log_text().find("does not exist") != std::string::npos; }, patience));
  EXPECT_EQ(sink.sink.status()["buffer"]["size"], 1);
  client.add_stream("LATER", "later.>");
  ASSERT_TRUE(wait_until([&] { return sink.counter("nats_acknowledged") == 1; }, patience)) << sink.ctx.log_text();
  EXPECT_EQ(client.stream_messages("LATER"), 1);
}

TEST(NatsSinkSocket, BufferHoldsEventsWhileTheServerIsDownAndCountsDropsBeyondItsLimit) {
  NatsServerProcess server;
  StartedSink sink(sink_options(
      server,
      {{"jetstream", true}, {"stream", "UW"}, {"create_stream", true}, {"buffer_limit", 5}, {"ack_timeout", "1s"}}));
  sink.sink.consume(event("flow-alerts", 0, 1));
  sink.sink.consume(event("flow-alerts", 1, 2));
  ASSERT_TRUE(wait_until([&] { return sink.counter("nats_acknowledged") == 2; }, patience)) << sink.ctx.log_text();

  server.stop();
  ASSERT_TRUE(wait_until([&] { return !sink.connected(); }, patience));
  for (int n = 2; n < 10; ++n) sink.sink.consume(event("flow-alerts", n, static_cast<std::uint64_t>(n + 1)));
  // drop_oldest: the 5 newest wait (5..9), the 3 oldest of the outage (2, 3, 4) are dropped and counted.
  EXPECT_EQ(sink.counter("nats_dropped"), 3U);
  EXPECT_EQ(sink.sink.status()["buffer"]["size"], 5);

  server.start();
  ASSERT_TRUE(wait_until([&] { return sink.counter("nats_acknowledged") == 7; }, patience)) << sink.ctx.log_text();
  NatsTestClient client(server.url());
  EXPECT_EQ(numbers(client.stream_contents("UW")), (std::vector<int>{0, 1, 5, 6, 7, 8, 9}));
  const auto status = sink.sink.status();
  EXPECT_EQ(status["connection"]["reconnects"], 1);
  EXPECT_EQ(status["dropped"], 3);
}

TEST(NatsSinkSocket, BlockPolicyHoldsTheProducerUntilTheServerIsBack) {
  NatsServerProcess server({.jetstream = false});
  NatsTestClient observer(server.url());
  StartedSink sink(sink_options(server, {{"buffer_limit", 2}, {"when_full", "block"}}));
  ASSERT_TRUE(wait_until([&] { return sink.connected(); }, patience));
  server.stop();
  ASSERT_TRUE(wait_until([&] { return !sink.connected(); }, patience));
  sink.sink.consume(event("news", 0, 1));
  sink.sink.consume(event("news", 1, 2));
  std::atomic<bool> third_taken{false};
  std::thread producer([&] {
    sink.sink.consume(event("news", 2, 3));
    third_taken = true;
  });
  // The buffer is full and the server is down: nothing can make room.
  EXPECT_EQ(sink.sink.status()["buffer"]["size"], 2);
  EXPECT_FALSE(third_taken.load());
  server.start();
  ASSERT_TRUE(wait_until([&] { return third_taken.load(); }, patience)) << sink.ctx.log_text();
  producer.join();
  ASSERT_TRUE(wait_until([&] { return sink.counter("nats_published") == 3; }, patience));
  EXPECT_EQ(sink.counter("nats_dropped"), 0U);
}

TEST(NatsSinkSocket, TokenAuthenticationWorksAndTheTokenNeverShows) {
  const std::string token = "s3cret-nats-token";
  NatsServerProcess server({.jetstream = false, .extra_args = {"--auth", token}});
  NatsTestClient client(server.url(), token);
  client.subscribe("uw.>");
  StartedSink good(sink_options(server, {{"token", token}}));
  good.sink.consume(event("news", 1, 1));
  ASSERT_TRUE(client.wait_received(1, patience)) << good.ctx.log_text();

  StartedSink bad(sink_options(server, {{"token", "wrong-" + token}}));
  // The refused sink keeps retrying; whatever it reports about the refusal must not carry the token.
  wait_until([&] { return bad.sink.status()["connection"]["errors"].get<int>() > 0; }, 2s);
  EXPECT_FALSE(bad.connected());
  for (const auto* ctx : {&good.ctx, &bad.ctx}) EXPECT_EQ(ctx->log_text().find(token), std::string::npos);
  EXPECT_EQ(bad.sink.status().dump().find(token), std::string::npos);
}

}  // namespace
}  // namespace flowmind::nats_sink
