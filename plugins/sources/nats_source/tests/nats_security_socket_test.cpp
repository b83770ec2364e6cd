// The nats plugins against a real nats-server that requires TLS or a user and password: events
// flow sink -> server -> source when the client trusts the server's CA and sends the right secret,
// a client without them is refused and says why, and no secret shows in status or logs.
#include <gtest/gtest.h>

#include <set>

#include "nats_plugin_harness.hpp"
#include "nats_server_process.hpp"
#include "nats_sink.hpp"
#include "nats_sink_options.hpp"
#include "nats_source.hpp"
#include "nats_source_options.hpp"
#include "nats_test_client.hpp"
#include "plugin_test_context.hpp"
#include "test_certificates.hpp"
#include "test_support.hpp"

namespace flowmind::nats_source {
namespace {

using namespace std::chrono_literals;
using flowmind::testing::NatsServerProcess;
using flowmind::testing::RunningSource;
using flowmind::testing::TempDir;
using flowmind::testing::TestStageContext;
using flowmind::testing::wait_until;
using flowmind::testing::with_defaults;

constexpr std::chrono::milliseconds patience{30000};

nlohmann::json connection_values(const std::string& url, nlohmann::json values) {
  if (!values.contains("servers")) values["servers"] = {url};
  values["reconnect_wait"] = "100ms";
  values["reconnect_jitter"] = "0s";
  values["connect_timeout"] = "2s";
  return values;
}

std::unique_ptr<Source> make_source(const std::string& url, nlohmann::json values) {
  Schema schema;
  describe_options(schema);
  values["subjects"] = {"uw.>"};
  const auto config = with_defaults(schema, connection_values(url, std::move(values)));
  EXPECT_EQ(validate_options(config).size(), 0U);
  return std::make_unique<NatsSource>(read_options(config));
}

nats_sink::Options sink_options(const std::string& url, nlohmann::json values) {
  Schema schema;
  nats_sink::describe_options(schema);
  const auto config = with_defaults(schema, connection_values(url, std::move(values)));
  EXPECT_EQ(nats_sink::validate_options(config).size(), 0U);
  return nats_sink::read_options(config);
}

struct StartedSink {
  TestStageContext ctx;
  nats_sink::NatsSink sink;
  explicit StartedSink(nats_sink::Options options) : sink(std::move(options)) { sink.start(ctx); }
  ~StartedSink() { sink.stop(); }
  nlohmann::json connection() { return sink.status()["connection"]; }
  bool connected() { return connection()["state"] == "connected"; }
};

std::shared_ptr<const Event> event(int n) {
  Event e("news", R"({"n":)" + std::to_string(n) + "}");
  e.set_sequence(static_cast<std::uint64_t>(n + 1));
  return std::make_shared<const Event>(std::move(e));
}

// Core subscriptions reach the server a moment after the source reports them: the sink publishes
// until the source has one event, which must be one of those the sink published.
bool flows(StartedSink& sink, RunningSource& source) {
  std::set<std::string> sent;
  int n = 0;
  const bool arrived = wait_until(
      [&] {
        const auto e = event(n++);
        sent.insert(e->wire());
        sink.sink.consume(e);
        return source.ctx().wait_events(1, 100ms);
      },
      patience);
  return arrived && sent.count(source.ctx().wires().front()) == 1;
}

// Every secret of the test, checked against everything the plugins report.
void expect_no_secret(const std::string& text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) EXPECT_EQ(text.find(secret), std::string::npos) << "secret shown in: " << text;
}

TEST(NatsSecuritySocket, SinkToSourceOverTlsThroughATlsOnlyServer) {
  TempDir dir;
  const auto certs = flowmind::testing::make_test_certificates(dir.path());
  NatsServerProcess server({.jetstream = false, .tls_cert = certs.server_cert, .tls_key = certs.server_key});
  // The server takes TLS only: a client that does not trust its CA gets no connection.
  EXPECT_THROW(flowmind::testing::NatsTestClient client(server.url()), std::runtime_error);

  // Both ways to turn TLS on: a tls:// URL with the expected host name, and ca_file alone.
  RunningSource source(make_source(server.tls_url(), {{"ca_file", certs.ca.string()}, {"tls_hostname", "localhost"}}));
  StartedSink sink(sink_options(server.url(), {{"ca_file", certs.ca.string()}}));
  ASSERT_TRUE(wait_until([&] { return sink.connected() && source.status()["subscribed"] == true; }, patience))
      << sink.ctx.log_text() << source.ctx().log_text();
  ASSERT_TRUE(flows(sink, source)) << sink.ctx.log_text() << source.ctx().log_text();
  EXPECT_EQ(nlohmann::json::parse(source.ctx().wires().front())["channel"], "news");
  EXPECT_EQ(source.status()["connection"]["state"], "connected");
  EXPECT_EQ(source.status()["connection"]["last_error"], "");
  EXPECT_EQ(sink.connection()["state"], "connected");
  EXPECT_EQ(sink.connection()["errors"], 0);
}

TEST(NatsSecuritySocket, AClientThatCannotVerifyTheServerIsRefusedAndSaysWhy) {
  TempDir dir;
  const auto certs = flowmind::testing::make_test_certificates(dir.path());
  const std::string password = "tls-Pa55word-7f3e";
  const auto password_file = dir.write("password", password + "\n");
  NatsServerProcess server({.jetstream = false,
                            .tls_cert = certs.server_cert,
                            .tls_key = certs.server_key,
                            .user = "flowmind",
                            .password = password});
  const nlohmann::json login = {{"user", "flowmind"}, {"password_file", password_file.string()}};
  struct Case {
    std::string name;
    nlohmann::json values;
    std::string reason;  // what the error must say
  };
  const std::vector<Case> cases = {
      {"TLS without ca_file (system CAs only)", {{"tls", true}}, "unable to get local issuer certificate"},
      {"another CA", {{"ca_file", certs.other_ca.string()}}, "unable to get local issuer certificate"},
      {"the right CA, a wrong tls_hostname",
       {{"ca_file", certs.ca.string()}, {"tls_hostname", "nats.example.com"}},
       "hostname mismatch"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto values = c.values;
    values.update(login);
    StartedSink sink(sink_options(server.url(), values));
    ASSERT_TRUE(wait_until([&] { return !sink.connection()["last_error"].get<std::string>().empty(); }, patience))
        << sink.ctx.log_text();
    const auto connection = sink.connection();
    EXPECT_NE(connection["state"], "connected");
    EXPECT_EQ(connection["connects"], 0);
    const auto error = connection["last_error"].get<std::string>();
    EXPECT_NE(error.find("SSL"), std::string::npos) << error;
    EXPECT_NE(error.find(c.reason), std::string::npos) << error;
    EXPECT_NE(sink.ctx.log_text().find(c.reason), std::string::npos) << sink.ctx.log_text();
    expect_no_secret(sink.sink.status().dump() + sink.ctx.log_text(), {password});
  }
}

TEST(NatsSecuritySocket, UserAndPasswordFromAFileAreAcceptedAWrongPasswordIsRefusedAndNeitherShows) {
  TempDir dir;
  const std::string password = "Corr3ct-Horse-9b1d";
  const std::string wrong = "Wr0ng-Battery-44ac";
  const auto password_file = dir.write("password", password + "\n");
  const auto wrong_file = dir.write("wrong", wrong + "\n");
  NatsServerProcess server({.jetstream = false, .user = "flowmind", .password = password});
  const nlohmann::json good = {{"user", "flowmind"}, {"password_file", password_file.string()}};
  const nlohmann::json bad = {{"user", "flowmind"}, {"password_file", wrong_file.string()}};

  RunningSource source(make_source(server.url(), good));
  StartedSink sink(sink_options(server.url(), good));
  ASSERT_TRUE(wait_until([&] { return sink.connected() && source.status()["subscribed"] == true; }, patience))
      << sink.ctx.log_text() << source.ctx().log_text();
  ASSERT_TRUE(flows(sink, source)) << sink.ctx.log_text() << source.ctx().log_text();

  StartedSink refused_sink(sink_options(server.url(), bad));
  RunningSource refused_source(make_source(server.url(), bad));
  ASSERT_TRUE(wait_until([&] { return !refused_sink.connection()["last_error"].get<std::string>().empty(); }, patience))
      << refused_sink.ctx.log_text();
  EXPECT_NE(refused_sink.connection()["state"], "connected");
  EXPECT_NE(refused_sink.connection()["last_error"].get<std::string>().find("Authorization Violation"),
            std::string::npos)
      << refused_sink.connection().dump();
  // The refused source fails run() (the engine restarts it) and logs why.
  ASSERT_TRUE(wait_until([&] { return !refused_source.failure().empty(); }, patience))
      << refused_source.ctx().log_text();
  EXPECT_NE(refused_source.ctx().log_text().find("Authorization Violation"), std::string::npos)
      << refused_source.ctx().log_text();
  EXPECT_TRUE(refused_source.ctx().wires().empty());

  std::string reported;
  for (auto* s : {&sink, &refused_sink}) reported += s->sink.status().dump() + s->ctx.log_text();
  for (auto* s : {&source, &refused_source}) reported += s->status().dump() + s->ctx().log_text() + s->failure();
  expect_no_secret(reported, {password, wrong});
}

}  // namespace
}  // namespace flowmind::nats_source
