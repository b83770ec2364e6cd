// Command-line parsing for uw-sim: flags to a validated SimConfig, clear messages and exit code 2 on errors.
#include "cli.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include "faults.hpp"

namespace flowmind::uwsim {

const std::map<std::string, double>& default_rates() {
  static const std::map<std::string, double> rates = {{"flow-alerts", 2.0},    {"option_trades", 20.0},
                                                      {"off_lit_trades", 4.0}, {"lit_trades", 10.0},
                                                      {"price", 2.0},          {"gex", 0.5},
                                                      {"gex_strike", 0.5},     {"gex_strike_expiry", 0.5},
                                                      {"news", 0.2},           {"market_tide", 0.2},
                                                      {"net_flow", 0.0},       {"interval_flow", 0.0},
                                                      {"trading_halts", 0.0},  {"contract_screener", 0.0},
                                                      {"custom_alerts", 0.0},  {"congress", 0.05},
                                                      {"darkpool", 2.0}};
  return rates;
}

const std::vector<std::string>& default_tickers() {
  static const std::vector<std::string> tickers = {"SPY",  "QQQ",  "AAPL", "NVDA", "TSLA",  "MSFT",
                                                   "AMZN", "META", "AMD",  "IWM",  "GOOGL", "DIA"};
  return tickers;
}

double SimConfig::rate(const std::string& key) const {
  if (const auto found = rates.find(key); found != rates.end()) return found->second;
  // A replay replaces generated WebSocket data unless a rate is asked for explicitly.
  if (!replay_file.empty() && key != "congress" && key != "darkpool") return 0.0;
  const auto& defaults = default_rates();
  const auto found = defaults.find(key);
  return found == defaults.end() ? 0.0 : found->second;
}

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

bool parse_listen(const std::string& text, SimConfig& config, std::string& error) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    error = "--listen must be HOST:PORT, got '" + text + "'";
    return false;
  }
  const auto port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, code] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (code != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    error = "--listen port must be a number from 0 to 65535, got '" + port_text + "'";
    return false;
  }
  config.host = text.substr(0, colon);
  if (config.host == "localhost") config.host = "127.0.0.1";
  config.port = static_cast<std::uint16_t>(port);
  return true;
}

bool parse_rate(const std::string& text, SimConfig& config, std::string& error) {
  const auto equals = text.find('=');
  if (equals == std::string::npos) {
    error = "--rate must be CHANNEL=PER_SECOND, got '" + text + "'";
    return false;
  }
  const auto key = text.substr(0, equals);
  const auto value_text = text.substr(equals + 1);
  if (!default_rates().contains(key)) {
    std::string keys;
    for (const auto& [name, ignored] : default_rates()) keys += (keys.empty() ? "" : ", ") + name;
    error = "--rate: unknown channel '" + key + "' (one of: " + keys + ")";
    return false;
  }
  double value = 0;
  try {
    std::size_t used = 0;
    value = std::stod(value_text, &used);
    if (used != value_text.size()) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    error = "--rate " + key + ": '" + value_text + "' is not a number";
    return false;
  }
  if (!(value >= 0.0) || value > 1'000'000.0) {
    error = "--rate " + key + ": must be between 0 and 1000000 per second";
    return false;
  }
  config.rates[key] = value;
  return true;
}

bool valid_ticker(const std::string& ticker) {
  return !ticker.empty() && ticker.size() <= 10 && std::all_of(ticker.begin(), ticker.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

}  // namespace

std::variant<SimConfig, int> parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                                std::ostream& err) {
  SimConfig config;
  CLI::App app{"uw-sim: plays the Unusual Whales WebSocket and REST API on loopback, with fault injection"};
  std::string listen = "127.0.0.1:8765";
  std::string cert_dir;
  std::vector<std::string> rates;
  std::string tickers;
  std::string replay;
  std::vector<std::string> faults;
  app.add_option("--listen", listen, "HOST:PORT to listen on (port 0 = pick a free port)");
  app.add_flag("--tls", config.tls, "also accept TLS (wss://, https://) on the same port");
  app.add_option("--cert-dir", cert_dir, "where the test CA and server certificate live (default: a temp folder)");
  app.add_option("--seed", config.seed, "seed of the generated data");
  app.add_option("--rate", rates, "CHANNEL=PER_SECOND (repeatable; 0 = only /_sim/emit)");
  app.add_option("--tickers", tickers, "comma-separated watch list");
  app.add_option("--token", config.tokens, "an accepted token (repeatable; none: any non-empty token)");
  app.add_option("--forbidden-token", config.forbidden_tokens, "a token answered 403 on the upgrade (repeatable)");
  app.add_option("--max-connections-per-token", config.max_connections_per_token,
                 "concurrent WebSocket connections per token")
      ->check(CLI::Range(1, 100000));
  app.add_option("--max-channels-per-connection", config.max_channels_per_connection,
                 "joins beyond this close the connection (0 = no limit)")
      ->check(CLI::Range(0, 100000));
  app.add_option("--replay", replay, "play a JSONL recording (.jsonl or .jsonl.gz), looping");
  app.add_option("--replay-speed", config.replay_speed, "replay speed factor")->check(CLI::Range(0.001, 10000.0));
  app.add_option("--fault", faults, "a fault active from the start, as JSON (repeatable)");
  app.add_option("--rest-per-minute", config.rest_per_minute, "REST requests per minute per token")
      ->check(CLI::Range(1, 1000000));
  app.add_option("--rest-per-day", config.rest_per_day, "REST requests per day per token")
      ->check(CLI::Range(1, 100000000));
  app.add_option("--queue-limit", config.queue_limit, "outgoing frames queued per connection before dropping")
      ->check(CLI::Range(1, 10000000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& error) {
    err << "uw-sim: " << error.what() << "\n";
    return 2;
  }
  std::string error;
  if (!parse_listen(listen, config, error)) {
    err << "uw-sim: " << error << "\n";
    return 2;
  }
  for (const auto& rate : rates) {
    if (!parse_rate(rate, config, error)) {
      err << "uw-sim: " << error << "\n";
      return 2;
    }
  }
  config.tickers = tickers.empty() ? default_tickers() : split(tickers, ',');
  for (const auto& ticker : config.tickers) {
    if (!valid_ticker(ticker)) {
      err << "uw-sim: --tickers: '" << ticker << "' is not a ticker (upper-case letters and digits)\n";
      return 2;
    }
  }
  if (config.tickers.empty()) {
    err << "uw-sim: --tickers is empty\n";
    return 2;
  }
  for (const auto& token : config.tokens) {
    if (token.empty()) {
      err << "uw-sim: --token must not be empty\n";
      return 2;
    }
  }
  config.cert_dir = cert_dir;
  config.replay_file = replay;
  for (const auto& text : faults) {
    nlohmann::json spec;
    try {
      spec = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception&) {
      err << "uw-sim: --fault is not JSON: " << text << "\n";
      return 2;
    }
    Faults probe;
    if (auto problem = probe.apply(spec, std::chrono::steady_clock::now())) {
      err << "uw-sim: --fault: " << *problem << "\n";
      return 2;
    }
    config.faults.push_back(std::move(spec));
  }
  return config;
}

}  // namespace flowmind::uwsim
