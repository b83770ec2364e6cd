// The uw_websocket config: the schema table, the checks beyond it, and the parsed options.
#include "uw_options.hpp"

#include <algorithm>
#include <set>

#include "uw_channels.hpp"
#include "uw_net/url.hpp"

namespace flowmind::uw_websocket {
namespace {

std::chrono::milliseconds millis(const Config& config, const std::string& key) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(config.duration(key));
}

bool has_token_parameter(const std::string& target) {
  const auto query = target.find('?');
  if (query == std::string::npos) return false;
  // Built with append, not operator+: GCC 12 at -O3 reports a false -Wrestrict on "&" + substr().
  std::string params = "&";
  params.append(target, query + 1, std::string::npos);
  return params.find("&token=") != std::string::npos;
}

}  // namespace

std::string Options::connection_fingerprint() const {
  return ca_file + "|" + std::to_string(receive_limit) + "|" + std::to_string(connect_timeout.count()) + "|" +
         std::to_string(ack_timeout.count()) + "|" + std::to_string(join_retries) + "|" +
         std::to_string(ping_after.count()) + "|" + std::to_string(pong_timeout.count()) + "|" +
         std::to_string(reconnect_initial.count()) + "|" + std::to_string(reconnect_max.count()) + "|" +
         std::to_string(reconnect_jitter) + "|" + std::to_string(reconnect_attempts);
}

void describe_options(Schema& schema) {
  schema.option("url", OptionType::string, "UW WebSocket URL (wss://; ws:// only for loopback hosts such as uw-sim)")
      .def(default_url);
  schema.option("token", OptionType::string, "UW API token, sent as ?token=; write ${UW_API_TOKEN}, never the token")
      .required();
  schema.option("channels", OptionType::list, "Channels to join, e.g. [flow-alerts, price:SPY, gex:QQQ]")
      .items(OptionType::string)
      .required();
  schema.option("ca_file", OptionType::string, "PEM file of the CAs to trust instead of the system store").def("");
  schema.option("receive_limit", OptionType::size, "Largest accepted frame; a bigger one drops the connection")
      .def("4MiB")
      .range("1KiB", "1GiB");
  schema
      .option("connect_timeout", OptionType::duration,
              "Limit for each step of a connection: TCP connect, TLS handshake, WebSocket upgrade")
      .def("10s")
      .range("10ms", "5m");
  schema.option("ack_timeout", OptionType::duration, "How long to wait for a join's acknowledgement")
      .def("10s")
      .range("10ms", "5m");
  schema.option("join_retries", OptionType::integer, "Joins sent again after an unacknowledged one")
      .def(2)
      .range(0, 100);
  schema.option("ping_after", OptionType::duration, "Send a ping after this long without any frame")
      .def("30s")
      .range("10ms", "1h");
  schema.option("pong_timeout", OptionType::duration, "Drop and reconnect when nothing arrives this long after a ping")
      .def("10s")
      .range("10ms", "1h");
  schema.option("reconnect_initial", OptionType::duration, "First reconnect delay, doubled per failed attempt")
      .def("5s")
      .range("1ms", "1h");
  schema.option("reconnect_max", OptionType::duration, "Longest reconnect delay").def("60s").range("1ms", "24h");
  schema.option("reconnect_jitter", OptionType::number, "Random share (0..1) taken off each reconnect delay")
      .def(0.2)
      .range(0, 1);
  schema.option("reconnect_attempts", OptionType::integer, "Failed reconnects in a row before giving up, 0 = forever")
      .def(0)
      .min(0);
  schema.option("queue_limit", OptionType::integer, "Messages buffered for this pipeline; when full the oldest drop")
      .def(10000)
      .range(1, 10'000'000);
}

std::vector<ConfigIssue> validate_options(const Config& config) {
  std::vector<ConfigIssue> issues;
  const auto error = [&](std::string path, std::string message) {
    issues.push_back({std::move(path), std::move(message), ConfigIssue::Severity::error});
  };
  const auto warning = [&](std::string path, std::string message) {
    issues.push_back({std::move(path), std::move(message), ConfigIssue::Severity::warning});
  };

  if (config.has("url")) {
    std::string reason;
    const auto url = uw_net::parse_url(config.string("url"), reason);
    if (!url) {
      error("url", reason);
    } else if (url->scheme != "ws" && url->scheme != "wss") {
      error("url", "the UW socket needs a ws:// or wss:// URL, not " + url->scheme + "://");
    } else if (!url->tls() && !url->loopback()) {
      error("url", "ws:// (no TLS) is only allowed for loopback hosts; use wss://");
    } else if (has_token_parameter(url->target)) {
      error("url", "put the token in the token option, not in the URL");
    }
  }
  if (config.has("token")) {
    const auto token = config.string("token");
    if (token.empty()) {
      error("token", "the token is empty (is UW_API_TOKEN set?)");
    } else if (std::any_of(token.begin(), token.end(), [](unsigned char c) { return c <= ' ' || c >= 0x7f; })) {
      error("token", "the token contains white space or control characters");
    }
  }
  if (config.has("channels")) {
    const auto& channels = config.at("channels");
    if (channels.empty()) error("channels", "at least one channel is needed");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < channels.size(); ++i) {
      const auto path = "channels/" + std::to_string(i);
      if (!channels[i].is_string()) continue;  // the schema reports the type
      const auto name = channels[i].get<std::string>();
      if (name.empty()) {
        error(path, "empty channel name");
      } else if (!known_channel(name)) {
        warning(path, "unknown UW channel '" + name +
                          "' (known: flow-alerts, option_trades[:TICKER], off_lit_trades, lit_trades, price:TICKER, "
                          "gex:TICKER, gex_strike:TICKER, gex_strike_expiry:TICKER, news, market_tide, net_flow, "
                          "interval_flow, trading_halts, contract_screener, custom_alerts)");
      }
      if (!seen.insert(name).second) warning(path, "channel '" + name + "' is listed twice");
    }
    if (seen.size() > 50)
      warning("channels", "UW is reported to close connections that join more than about 50 channels");
  }
  if (config.has("reconnect_initial") && config.has("reconnect_max") &&
      config.duration("reconnect_max") < config.duration("reconnect_initial")) {
    error("reconnect_max", "reconnect_max is shorter than reconnect_initial");
  }
  return issues;
}

Options read_options(const Config& config) {
  Options options;
  options.url = config.string("url");
  options.token = config.string("token");
  for (const auto& channel : config.at("channels")) {
    auto name = channel.get<std::string>();
    if (std::find(options.channels.begin(), options.channels.end(), name) == options.channels.end()) {
      options.channels.push_back(std::move(name));
    }
  }
  options.ca_file = config.string("ca_file");
  options.receive_limit = static_cast<std::size_t>(config.size("receive_limit"));
  options.connect_timeout = millis(config, "connect_timeout");
  options.ack_timeout = millis(config, "ack_timeout");
  options.join_retries = static_cast<int>(config.integer("join_retries"));
  options.ping_after = millis(config, "ping_after");
  options.pong_timeout = millis(config, "pong_timeout");
  options.reconnect_initial = millis(config, "reconnect_initial");
  options.reconnect_max = millis(config, "reconnect_max");
  options.reconnect_jitter = config.number("reconnect_jitter");
  options.reconnect_attempts = static_cast<int>(config.integer("reconnect_attempts"));
  options.queue_limit = static_cast<std::size_t>(config.integer("queue_limit"));
  return options;
}

}  // namespace flowmind::uw_websocket
