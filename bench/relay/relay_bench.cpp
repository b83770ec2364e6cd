// Relay fan-out benchmark: plays the UW upstream, opens K clients on the relay under test, runs one step per
// upstream rate and prints a JSON line per step (deliveries/s, latency, relay CPU per delivered message).
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fanout_clients.hpp"
#include "relay_process.hpp"
#include "uw_upstream_server.hpp"

namespace flowmind::bench {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;

struct Options {
  std::string name;
  std::size_t clients = 100;
  std::vector<double> rates = {50};
  double warmup_s = 5;
  double duration_s = 20;
  double plateau = 0;
  std::string relay_url = "ws://127.0.0.1:{relay_port}/api/stream/ws/flow";
  std::uint16_t relay_port = 0;
  std::uint16_t upstream_port = 0;
  int relay_pid = 0;
  std::string relay_log = "relay.log";
  std::size_t connect_concurrency = 50;
  double in_flight_s = 2;
  bool busy_poll = false;
  double ready_timeout_s = 60;
  double drain_timeout_s = 30;
  std::string origin;
  std::string out_path;
  std::vector<std::string> command;
};

class BenchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

milliseconds seconds(double value) { return milliseconds(static_cast<long long>(value * 1000)); }

std::string substitute(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
      text.replace(at, key.size(), value);
    }
  }
  return text;
}

std::uint16_t free_port(net::io_context& io) {
  tcp::acceptor probe(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return probe.local_endpoint().port();
}

ClientTarget parse_url(const std::string& url, const std::string& origin) {
  constexpr std::string_view scheme = "ws://";
  if (!url.starts_with(scheme)) throw BenchError("--relay-url must be ws://HOST:PORT/PATH, got " + url);
  const auto rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  const auto authority = rest.substr(0, slash);
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos) throw BenchError("--relay-url needs a port: " + url);
  ClientTarget target;
  target.endpoint = tcp::endpoint(net::ip::make_address(authority.substr(0, colon)),
                                  static_cast<std::uint16_t>(std::stoi(authority.substr(colon + 1))));
  target.host = authority;
  target.target = slash == std::string::npos ? "/" : rest.substr(slash);
  target.origin = origin;
  return target;
}

// Runs the I/O on this thread until a condition holds; the hot path is a plain io_context::run(), the
// condition and the relay's liveness are checked by a timer every 20 ms.
class Driver {
 public:
  Driver(net::io_context& io, RelayProcess& relay, bool busy_poll)
      : io_(io), relay_(relay), timer_(io), busy_poll_(busy_poll) {}

  bool run_until(const std::function<bool()>& done, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool met = false;
    bool relay_died = false;
    std::function<void()> check = [&] {
      if (!relay_.alive()) {
        relay_died = true;
        return io_.stop();
      }
      if (done()) {
        met = true;
        return io_.stop();
      }
      if (std::chrono::steady_clock::now() >= deadline) return io_.stop();
      timer_.expires_after(milliseconds(20));
      timer_.async_wait([&](boost::system::error_code ec) {
        if (!ec) check();
      });
    };
    check();
    if (!met && !relay_died) {
      if (busy_poll_) {
        while (!io_.stopped()) io_.poll();
      } else {
        io_.run();
      }
    }
    io_.restart();
    timer_.cancel();
    io_.poll();  // lets the cancelled wait complete while `check` still exists
    io_.restart();
    if (relay_died) throw BenchError("the relay " + relay_.exit_reason() + " (see its log)");
    return met;
  }

  void run_for(milliseconds duration) {
    run_until([] { return false; }, duration);
  }

 private:
  net::io_context& io_;
  RelayProcess& relay_;
  net::steady_timer timer_;
  bool busy_poll_;
};

struct Snapshot {
  std::chrono::steady_clock::time_point at;
  double relay_cpu = 0;
  double self_cpu = 0;
  MachineTimes machine;
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  std::uint64_t sent = 0;
  std::uint64_t skipped = 0;
};

Snapshot take_snapshot(RelayProcess& relay, const FanoutClients& clients, const UwUpstreamServer& upstream) {
  Snapshot snap;
  snap.at = std::chrono::steady_clock::now();
  snap.relay_cpu = relay.cpu_seconds().value_or(0);
  snap.self_cpu = self_cpu_seconds();
  snap.machine = machine_times().value_or(MachineTimes{});
  snap.messages = clients.totals().messages;
  snap.bytes = clients.totals().bytes;
  snap.sent = upstream.next_seq();
  snap.skipped = upstream.skipped();
  return snap;
}

double round_to(double value, int decimals) {
  double scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  return static_cast<double>(static_cast<long long>(value * scale + (value >= 0 ? 0.5 : -0.5))) / scale;
}

int run(const Options& options) {
  ::signal(SIGPIPE, SIG_IGN);
  net::io_context io(1);
  UwUpstreamServer upstream(io, options.upstream_port);
  const auto relay_port = options.relay_port != 0 ? options.relay_port : free_port(io);
  const auto url = substitute(options.relay_url, {{"{relay_port}", std::to_string(relay_port)}});
  const auto target = parse_url(url, substitute(options.origin, {{"{relay_port}", std::to_string(relay_port)}}));
  const auto upstream_url = "ws://127.0.0.1:" + std::to_string(upstream.port()) + "/socket";
  const std::vector<std::pair<std::string, std::string>> values = {{"{upstream_port}", std::to_string(upstream.port())},
                                                                   {"{upstream_url}", upstream_url},
                                                                   {"{relay_port}", std::to_string(relay_port)},
                                                                   {"{path}", target.target}};
  ::setenv("RELAY_BENCH_UPSTREAM_PORT", std::to_string(upstream.port()).c_str(), 1);
  ::setenv("RELAY_BENCH_UPSTREAM_URL", upstream_url.c_str(), 1);
  ::setenv("RELAY_BENCH_RELAY_PORT", std::to_string(relay_port).c_str(), 1);
  ::setenv("RELAY_BENCH_PATH", target.target.c_str(), 1);

  std::unique_ptr<RelayProcess> relay;
  if (options.relay_pid > 0) {
    relay = std::make_unique<RelayProcess>(static_cast<pid_t>(options.relay_pid));
  } else {
    std::vector<std::string> argv;
    for (const auto& arg : options.command) argv.push_back(substitute(arg, values));
    relay = std::make_unique<RelayProcess>(argv, options.relay_log);
  }
  std::cerr << "relay " << options.name << ": pid " << relay->pid() << ", upstream " << upstream_url << ", clients "
            << url << '\n';
  Driver driver(io, *relay, options.busy_poll);

  if (!driver.run_until([&] { return upstream.joined() > 0; }, seconds(options.ready_timeout_s))) {
    throw BenchError("the relay did not join flow-alerts on the upstream within the ready timeout");
  }
  FanoutClients clients(io, target);
  clients.connect(options.clients, options.connect_concurrency,
                  std::chrono::steady_clock::now() + seconds(options.ready_timeout_s));
  driver.run_until([&] { return clients.open() + clients.failed() == options.clients; },
                   seconds(options.ready_timeout_s + 5));
  if (clients.open() != options.clients) {
    throw BenchError(std::to_string(clients.open()) + " of " + std::to_string(options.clients) +
                     " clients connected; first error: " + clients.first_error());
  }
  std::cerr << "relay " << options.name << ": " << clients.open() << " clients connected\n";
  // Closed loop: no new event while the slowest client is more than in_flight_s worth of events behind.
  double current_rate = options.rates.front();
  upstream.set_gate([&] {
    const auto limit = std::max<std::uint64_t>(50, static_cast<std::uint64_t>(current_rate * options.in_flight_s));
    return upstream.next_seq() - clients.slowest_next_seq() < limit;
  });
  driver.run_for(milliseconds(1000));  // lets the relay finish registering the last clients

  std::ofstream out;
  if (!options.out_path.empty()) out.open(options.out_path, std::ios::app);
  double best = 0;
  for (std::size_t step = 0; step < options.rates.size(); ++step) {
    const double rate = options.rates[step];
    current_rate = rate;
    const auto open_at_start = clients.open();
    const auto first_seq = upstream.next_seq();
    clients.begin_step(first_seq);
    upstream.start_sending(rate);
    driver.run_for(seconds(options.warmup_s));
    clients.latency().reset();
    clients.set_recording(true);
    const auto before = take_snapshot(*relay, clients, upstream);
    driver.run_for(seconds(options.duration_s));
    const auto after = take_snapshot(*relay, clients, upstream);
    clients.set_recording(false);
    const auto rss = relay->rss_kib();
    upstream.stop_sending();
    const auto sent_in_step = upstream.next_seq() - first_seq;
    const bool drained = sent_in_step == 0 ||
                         driver.run_until([&] { return clients.caught_up(upstream.next_seq() - 1) == clients.open(); },
                                          seconds(options.drain_timeout_s));

    const double window = std::chrono::duration<double>(after.at - before.at).count();
    const auto delivered = static_cast<double>(after.messages - before.messages);
    const double relay_cpu = after.relay_cpu - before.relay_cpu;
    const double self_cpu = after.self_cpu - before.self_cpu;
    const double others = (after.machine.busy - before.machine.busy) - relay_cpu - self_cpu;
    const double sent_per_s = static_cast<double>(after.sent - before.sent) / window;
    const auto expected = static_cast<std::uint64_t>(open_at_start) * sent_in_step;
    const auto received = clients.step_received();
    const auto missing = expected > received ? expected - received : 0;
    auto& latency = clients.latency();
    const auto ms = [](std::uint64_t micros) { return round_to(static_cast<double>(micros) / 1000.0, 2); };

    nlohmann::ordered_json line;
    line["relay"] = options.name;
    line["run"] = ::getpid();
    line["clients"] = open_at_start;
    line["rate"] = rate;
    line["window_s"] = round_to(window, 2);
    line["sent_per_s"] = round_to(sent_per_s, 1);
    line["expected_per_s"] = round_to(sent_per_s * static_cast<double>(open_at_start), 0);
    line["delivered_per_s"] = round_to(delivered / window, 0);
    line["relay_cpu_pct"] = round_to(100 * relay_cpu / window, 1);
    line["relay_cpu_us_per_msg"] = delivered > 0 ? round_to(relay_cpu * 1e6 / delivered, 2) : 0.0;
    line["p50_ms"] = ms(latency.percentile(0.50));
    line["p90_ms"] = ms(latency.percentile(0.90));
    line["p99_ms"] = ms(latency.percentile(0.99));
    line["p999_ms"] = ms(latency.percentile(0.999));
    line["max_ms"] = ms(latency.max());
    line["missing"] = missing;
    line["missing_pct"] =
        expected > 0 ? round_to(100.0 * static_cast<double>(missing) / static_cast<double>(expected), 3) : 0.0;
    line["drained"] = drained;
    line["out_of_order"] = clients.totals().out_of_order;
    line["unstamped"] = clients.totals().unstamped;
    line["closed"] = clients.totals().closed;
    line["upstream_skipped"] = after.skipped - before.skipped;
    line["avg_message_bytes"] =
        delivered > 0 ? round_to(static_cast<double>(after.bytes - before.bytes) / delivered, 0) : 0.0;
    line["relay_rss_mib"] = rss ? round_to(static_cast<double>(*rss) / 1024.0, 1) : 0.0;
    line["harness_cpu_pct"] = round_to(100 * self_cpu / window, 1);
    line["others_cpu_pct"] = round_to(100 * std::max(others, 0.0) / window, 1);
    line["steal_pct"] = round_to(100 * (after.machine.steal - before.machine.steal) / window, 1);
    line["load1"] = round_to(load_average(), 2);
    line["busy_poll"] = options.busy_poll;
    const auto text = line.dump();
    std::cout << text << std::endl;
    if (out) out << text << std::endl;

    const double delivered_per_s = delivered / window;
    const bool flat = step > 0 && delivered_per_s < best * (1 + options.plateau);
    best = std::max(best, delivered_per_s);
    if (options.plateau > 0 && flat) {
      std::cerr << "relay " << options.name << ": deliveries/s stopped growing at rate " << rate << '\n';
      break;
    }
    driver.run_for(milliseconds(500));
  }
  relay->stop();
  return 0;
}

}  // namespace
}  // namespace flowmind::bench

int main(int argc, char** argv) {
  using flowmind::bench::Options;
  Options options;
  CLI::App app{"Relay fan-out benchmark: UW upstream + K WebSocket clients around the relay under test"};
  app.add_option("--name", options.name, "Label of the relay in the output")->required();
  app.add_option("-k,--clients", options.clients, "WebSocket clients to open")->capture_default_str();
  app.add_option("-r,--rates", options.rates, "Upstream events/s, one measured step each (comma-separated)")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--warmup", options.warmup_s, "Seconds at each rate before measuring")->capture_default_str();
  app.add_option("--duration", options.duration_s, "Measurement window per rate, seconds")->capture_default_str();
  app.add_option("--plateau", options.plateau,
                 "Stop the steps when deliveries/s grew by less than this fraction over the best so far (0 = run all)")
      ->capture_default_str();
  app.add_option("--relay-url", options.relay_url, "Where the clients connect; {relay_port} is substituted")
      ->capture_default_str();
  app.add_option("--relay-port", options.relay_port, "Port for the relay (0 = a free one)")->capture_default_str();
  app.add_option("--upstream-port", options.upstream_port, "Port of the UW upstream (0 = a free one)")
      ->capture_default_str();
  app.add_option("--relay-pid", options.relay_pid, "Measure this already running relay instead of starting one");
  app.add_option("--relay-log", options.relay_log, "The started relay's stdout and stderr")->capture_default_str();
  app.add_option("--connect-concurrency", options.connect_concurrency, "Upgrades in flight at once")
      ->capture_default_str();
  app.add_option("--in-flight", options.in_flight_s,
                 "Skip an event while the slowest client is this many seconds of events behind (closes the loop)")
      ->capture_default_str();
  app.add_flag("--busy-poll", options.busy_poll,
               "Never sleep in epoll_wait: the relay's sends then wake no one, as with remote clients (diagnostic)");
  app.add_option("--ready-timeout", options.ready_timeout_s, "Seconds for the relay to join and accept the clients")
      ->capture_default_str();
  app.add_option("--drain-timeout", options.drain_timeout_s, "Seconds to wait for the last events after a step")
      ->capture_default_str();
  app.add_option("--origin", options.origin,
                 "Origin header of the clients (none by default); {relay_port} is substituted");
  app.add_option("--out", options.out_path, "Also append the JSON lines to this file");
  app.add_option("command", options.command,
                 "Relay command, after --; {upstream_port} {upstream_url} {relay_port} {path} are substituted and "
                 "exported as RELAY_BENCH_UPSTREAM_PORT, RELAY_BENCH_UPSTREAM_URL, RELAY_BENCH_RELAY_PORT, "
                 "RELAY_BENCH_PATH");
  CLI11_PARSE(app, argc, argv);
  if (options.relay_pid <= 0 && options.command.empty()) {
    std::cerr << "give the relay command after --, or --relay-pid\n";
    return 2;
  }
  try {
    return flowmind::bench::run(options);
  } catch (const std::exception& error) {
    std::cerr << "relay " << options.name << ": " << error.what() << '\n';
    return 1;
  }
}
