// Scale-out across processes: uw-sim -> ingest `flowmind run` (uw_websocket -> nats_sink) ->
// nats-server -> relay `flowmind run` (nats_source -> browser_relay) -> a WebSocket client.
// Covers order, a relay restart with JetStream, a NATS server outage, and a relay queue group.
#include <signal.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <sstream>

#include "nats_server_process.hpp"
#include "relay_test_client.hpp"
#include "test_support.hpp"
#include "uw_sim_process.hpp"

namespace flowmind::nats_source {
namespace {

using namespace std::chrono_literals;
using flowmind::browser_relay::testing::RelayTestClient;
using flowmind::testing::ChildProcess;
using flowmind::testing::flowmind_executable;
using flowmind::testing::free_port;
using flowmind::testing::http_get;
using flowmind::testing::NatsServerProcess;
using flowmind::testing::read_file;
using flowmind::testing::TempDir;
using flowmind::testing::UwSimProcess;
using flowmind::testing::wait_until;

constexpr std::chrono::milliseconds patience{60000};

UwSimProcess::Options quiet_sim() {
  UwSimProcess::Options options;
  options.extra_args = {"--rate", "flow-alerts=0", "--rate", "off_lit_trades=0",
                        "--rate", "price=0",       "--rate", "news=0"};
  return options;
}

std::string ingest_yaml(const UwSimProcess& sim, const NatsServerProcess& nats, bool jetstream, int buffer_limit) {
  std::string yaml =
      "pipeline: ingest\n"
      "source:\n"
      "  type: uw_websocket\n"
      "  url: ws://127.0.0.1:" +
      std::to_string(sim.port()) +
      "/socket\n"
      "  token: ${UW_API_TOKEN}\n"
      "  channels: [flow-alerts]\n"
      "  reconnect_initial: 100ms\n"
      "sinks:\n"
      "  - type: nats_sink\n"
      "    servers: [\"" +
      nats.url() +
      "\"]\n"
      "    reconnect_wait: 100ms\n"
      "    ack_timeout: 1s\n"
      "    buffer_limit: " +
      std::to_string(buffer_limit) + "\n";
  if (jetstream) yaml += "    jetstream: true\n    stream: UW\n    create_stream: true\n";
  return yaml;
}

std::string relay_yaml(const NatsServerProcess& nats, int relay_port, const std::string& consumer) {
  std::string yaml =
      "pipeline: relay\n"
      "source:\n"
      "  type: nats_source\n"
      "  servers: [\"" +
      nats.url() +
      "\"]\n"
      "  subjects: [uw.>]\n"
      "  reconnect_wait: 100ms\n";
  yaml +=
      consumer.empty() ? "  queue_group: relays\n" : "  jetstream: true\n  stream: UW\n  durable: " + consumer + "\n";
  yaml +=
      "sinks:\n"
      "  - type: browser_relay\n"
      "    listen: 127.0.0.1:" +
      std::to_string(relay_port) +
      "\n"
      "    path: /api/stream/ws/flow\n"
      "    backlog: 100\n";
  return yaml;
}

// One `flowmind run` child; stop() ends it the way an operator does (SIGTERM), start() brings it back.
class Engine {
 public:
  Engine(const TempDir& dir, std::string name, std::filesystem::path file)
      : dir_(dir), name_(std::move(name)), file_(std::move(file)) {
    start();
  }
  ~Engine() { stop(); }
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void start() {
    admin_ = free_port();
    ++runs_;
    const auto base = dir_.path() / (name_ + "-" + std::to_string(runs_));
    child_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{flowmind_executable().string(), "--log-level", "debug", "run", "--admin-listen",
                                 "127.0.0.1:" + std::to_string(admin_), file_.string()},
        base.string() + "-stdout.txt", base.string() + "-stderr.txt",
        std::map<std::string, std::string>{{"UW_API_TOKEN", "scaleout-e2e-token"}});
  }
  void stop() {
    if (!child_ || !child_->running()) return;
    child_->send_signal(SIGTERM);
    if (!child_->wait(30s)) {
      child_->send_signal(SIGKILL);
      child_->wait(10s);
    }
  }
  [[nodiscard]] int admin() const { return admin_; }
  [[nodiscard]] std::string log() const {
    std::string text;
    for (int run = 1; run <= runs_; ++run) {
      text += read_file(dir_.path() / (name_ + "-" + std::to_string(run) + "-stderr.txt"));
    }
    return text;
  }
  // The stage's status from the admin API ("source" or "sink[0]"); null until it answers.
  [[nodiscard]] nlohmann::json stage(const std::string& which) const {
    const auto response = http_get(admin_, "/pipelines");
    if (response.status != 200) return nullptr;
    const auto all = nlohmann::json::parse(response.body, nullptr, false);
    if (all.is_discarded()) return nullptr;
    for (const auto& pipeline : all.value("pipelines", nlohmann::json::array())) {
      for (const auto& entry : pipeline.value("stages", nlohmann::json::array())) {
        if (entry.value("stage", "") == which) return entry.value("status", nlohmann::json());
      }
    }
    return nullptr;
  }

 private:
  const TempDir& dir_;
  std::string name_;
  std::filesystem::path file_;
  int admin_ = 0;
  int runs_ = 0;
  std::unique_ptr<ChildProcess> child_;
};

bool joined(const UwSimProcess& sim, const std::string& channel) {
  const auto log = sim.log();  // kept: a range-for over a temporary's member would dangle
  for (const auto& connection : log.at("connections")) {
    if (connection.value("status", 0) != 101) continue;
    for (const auto& active : connection["active_channels"]) {
      if (active == channel) return true;
    }
  }
  return false;
}

bool serving(int port) { return http_get(port, "/api/stream/health").status == 200; }

nlohmann::json alert(int n) { return {{"id", "fa-" + std::to_string(n)}, {"n", n}, {"ticker", "SPY"}}; }

void emit_alerts(const UwSimProcess& sim, int from, int to) {
  for (int n = from; n < to; ++n) ASSERT_EQ(sim.emit("flow-alerts", alert(n)), 1);
}

// Reads until the alert numbered `last` arrives (or nothing comes in time); returns the numbers seen.
std::vector<int> read_until(RelayTestClient& browser, int last) {
  std::vector<int> seen;
  while (true) {
    const auto message = browser.read_json(patience);
    if (!message) return seen;
    EXPECT_EQ((*message)["channel"], "flow-alerts");
    const int n = (*message)["data"]["n"].get<int>();
    EXPECT_EQ((*message)["data"], alert(n));
    seen.push_back(n);
    if (n == last) return seen;
  }
}

// The value of the first sample whose line starts with `prefix` in Prometheus text; nullopt if none.
std::optional<double> metric_value(const std::string& metrics, const std::string& prefix) {
  std::istringstream lines(metrics);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) return std::nullopt;
    return std::stod(line.substr(space + 1));
  }
  return std::nullopt;
}

std::vector<int> range(int from, int to) {
  std::vector<int> out;
  for (int n = from; n < to; ++n) out.push_back(n);
  return out;
}

TEST(ScaleoutE2e, SimulatorEventsReachTheRelaysBrowserInOrderAndARelayRestartResumesExactly) {
  NatsServerProcess nats;
  UwSimProcess sim(quiet_sim());
  TempDir dir;
  const int relay_port = free_port();
  Engine ingest(dir, "ingest", dir.write("ingest.yaml", ingest_yaml(sim, nats, true, 10000)));
  Engine relay(dir, "relay", dir.write("relay.yaml", relay_yaml(nats, relay_port, "relay")));
  ASSERT_TRUE(wait_until([&] { return joined(sim, "flow-alerts"); }, patience)) << ingest.log() << sim.log().dump();
  ASSERT_TRUE(wait_until([&] { return serving(relay_port); }, patience)) << relay.log();
  {
    RelayTestClient browser(relay_port, "/api/stream/ws/flow");
    ASSERT_TRUE(browser.connect()) << browser.error();
    emit_alerts(sim, 0, 10);
    EXPECT_EQ(read_until(browser, 9), range(0, 10)) << relay.log() << ingest.log();
  }

  relay.stop();
  emit_alerts(sim, 10, 20);  // stored by JetStream while no relay runs
  relay.start();
  ASSERT_TRUE(wait_until([&] { return serving(relay_port); }, patience)) << relay.log();
  RelayTestClient browser(relay_port, "/api/stream/ws/flow");
  ASSERT_TRUE(browser.connect()) << browser.error();
  emit_alerts(sim, 20, 21);
  // The restarted relay resumes where its durable consumer left off: nothing lost, nothing twice.
  EXPECT_EQ(read_until(browser, 20), range(10, 21)) << relay.log();
  EXPECT_EQ(relay.log().find("scaleout-e2e-token"), std::string::npos);
  EXPECT_EQ(ingest.log().find("scaleout-e2e-token"), std::string::npos);
}

TEST(ScaleoutE2e, TheIngestBufferDeliversWhatItHeldWhileNatsWasDownAndCountsWhatItDropped) {
  NatsServerProcess nats;
  UwSimProcess sim(quiet_sim());
  TempDir dir;
  const int relay_port = free_port();
  Engine ingest(dir, "ingest", dir.write("ingest.yaml", ingest_yaml(sim, nats, true, 3)));
  Engine relay(dir, "relay", dir.write("relay.yaml", relay_yaml(nats, relay_port, "relay")));
  ASSERT_TRUE(wait_until([&] { return joined(sim, "flow-alerts"); }, patience)) << ingest.log() << sim.log().dump();
  ASSERT_TRUE(wait_until([&] { return serving(relay_port); }, patience)) << relay.log();
  RelayTestClient browser(relay_port, "/api/stream/ws/flow");
  ASSERT_TRUE(browser.connect()) << browser.error();
  emit_alerts(sim, 0, 3);
  EXPECT_EQ(read_until(browser, 2), range(0, 3)) << relay.log() << ingest.log();
  // The relay can have them before the sink has the acknowledgements: an unanswered publish would
  // be resent after the outage and take a place of the buffer counted below.
  ASSERT_TRUE(wait_until([&] { return ingest.stage("sink[0]")["acknowledged"] == 3; }, patience))
      << ingest.stage("sink[0]").dump();

  nats.stop();
  ASSERT_TRUE(wait_until(
      [&] {
        const auto sink = ingest.stage("sink[0]");
        return sink.is_object() && sink["connection"]["state"] != "connected";
      },
      patience))
      << ingest.log();
  emit_alerts(sim, 3, 8);  // 5 events, buffer_limit 3: 3 and 4 are dropped (drop_oldest)
  ASSERT_TRUE(wait_until([&] { return ingest.stage("sink[0]")["buffer"]["size"] == 3; }, patience))
      << ingest.stage("sink[0]").dump();
  EXPECT_EQ(ingest.stage("sink[0]")["dropped"], 2);

  nats.start();
  EXPECT_EQ(read_until(browser, 7), (std::vector<int>{5, 6, 7})) << relay.log() << ingest.log();
  const auto metrics = http_get(ingest.admin(), "/metrics").body;
  EXPECT_EQ(metric_value(metrics, "flowmind_nats_dropped_total{pipeline=\"ingest\""), 2.0) << metrics;
}

TEST(ScaleoutE2e, TwoRelayEnginesInOneQueueGroupShareTheLoad) {
  NatsServerProcess nats({.jetstream = false});
  UwSimProcess sim(quiet_sim());
  TempDir dir;
  const int port_a = free_port();
  const int port_b = free_port();
  Engine ingest(dir, "ingest", dir.write("ingest.yaml", ingest_yaml(sim, nats, false, 10000)));
  Engine relay_a(dir, "relay-a", dir.write("relay-a.yaml", relay_yaml(nats, port_a, "")));
  Engine relay_b(dir, "relay-b", dir.write("relay-b.yaml", relay_yaml(nats, port_b, "")));
  ASSERT_TRUE(wait_until([&] { return joined(sim, "flow-alerts"); }, patience)) << ingest.log() << sim.log().dump();
  ASSERT_TRUE(wait_until([&] { return serving(port_a) && serving(port_b); }, patience));
  RelayTestClient browser_a(port_a, "/api/stream/ws/flow");
  RelayTestClient browser_b(port_b, "/api/stream/ws/flow");
  ASSERT_TRUE(browser_a.connect() && browser_b.connect());
  const auto emitted = [](const Engine& engine) {
    const auto source = engine.stage("source");
    return source.is_object() ? source.value("emitted", 0) : 0;
  };
  // Probes until each engine has taken one: both subscriptions are then in place at the server.
  int n = 0;
  ASSERT_TRUE(wait_until(
      [&] {
        if (emitted(relay_a) > 0 && emitted(relay_b) > 0) return true;
        emit_alerts(sim, n, n + 1);
        ++n;
        return false;
      },
      patience))
      << relay_a.log() << relay_b.log();
  const int probes = n;
  emit_alerts(sim, probes, probes + 100);
  const int total = probes + 100;
  ASSERT_TRUE(wait_until([&] { return emitted(relay_a) + emitted(relay_b) >= total; }, patience));
  EXPECT_EQ(emitted(relay_a) + emitted(relay_b), total);  // each event went to exactly one engine

  // Each browser got exactly what its engine took, in order; together every event once.
  std::set<int> seen;
  for (auto* browser : {&browser_a, &browser_b}) {
    const auto count = browser == &browser_a ? emitted(relay_a) : emitted(relay_b);
    const auto messages = browser->read_many(static_cast<std::size_t>(count), patience);
    ASSERT_EQ(messages.size(), static_cast<std::size_t>(count));
    int previous = -1;
    for (const auto& message : messages) {
      const int value = message["data"]["n"].get<int>();
      EXPECT_GT(value, previous);
      previous = value;
      EXPECT_TRUE(seen.insert(value).second) << value;
    }
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(total));
}

}  // namespace
}  // namespace flowmind::nats_source
