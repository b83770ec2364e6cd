// The uw_rest config table and the checks that turn a validated config into UwRestOptions.
#include "uw_rest_options.hpp"

#include <cstdio>

#include "flowmind/plugin.hpp"

namespace flowmind::uw_rest {
namespace {

// The page size UW uses when `limit` is not given.
constexpr std::int64_t default_page = 100;

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string percent_encode(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (unreserved(c)) {
      out += c;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += escaped;
    }
  }
  return out;
}

std::string scalar_text(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string problem_in_path(const std::string& path) {
  if (path.empty() || path.front() != '/') return "must start with '/', e.g. /api/congress/recent-trades";
  for (const char c : path) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '#') {
      return "must not contain spaces, control characters or '#'";
    }
  }
  return {};
}

// Collects every problem; `issues` gets the ones found (errors and warnings).
struct Checked {
  std::optional<uw_net::Url> base;
  std::vector<ConfigIssue> issues;
};

Checked check(const Config& config) {
  Checked result;
  auto& issues = result.issues;
  std::string error;
  const std::string base_url = config.string("base_url");
  result.base = uw_net::parse_url(base_url, error);
  if (!result.base) {
    issues.push_back({"base_url", error});
  } else if (result.base->scheme != "http" && result.base->scheme != "https") {
    issues.push_back({"base_url", "must be an https:// URL (http:// only on loopback), not " + result.base->scheme});
    result.base.reset();
  } else if (!result.base->tls() && !result.base->loopback()) {
    issues.push_back(
        {"base_url", "plain http:// is only allowed on loopback (127.0.0.1, ::1, localhost): use https://"});
    result.base.reset();
  } else if (result.base->target.find('?') != std::string::npos) {
    issues.push_back({"base_url", "must not have a query: put parameters under `query`"});
    result.base.reset();
  }
  if (result.base && !result.base->tls() && config.has("ca_file") && !config.string("ca_file").empty()) {
    issues.push_back({"ca_file", "is not used with http:// (no TLS)", ConfigIssue::Severity::warning});
  }

  if (const auto problem = problem_in_path(config.string("path")); !problem.empty()) {
    issues.push_back({"path", problem});
  }
  std::int64_t page = default_page;
  if (config.has("query")) {
    const auto& query = config.at("query");
    if (!query.is_object()) {
      issues.push_back({"query", "must be a map of parameter names to values, e.g. {limit: 200}"});
    } else {
      for (const auto& [name, value] : query.items()) {
        if (!(value.is_string() || value.is_number() || value.is_boolean())) {
          issues.push_back({"query/" + name, "must be a single value (text, number or true/false)"});
        }
        if (name == "limit" && value.is_number_integer()) page = value.get<std::int64_t>();
        if (name == "limit" && value.is_string()) {
          try {
            page = std::stoll(value.get<std::string>());
          } catch (const std::exception&) {
            issues.push_back({"query/limit", "must be a number"});
          }
        }
      }
    }
  }

  const std::string token = config.string("token");
  if (token.empty()) {
    issues.push_back({"token", "is empty: set UW_API_TOKEN (token: ${UW_API_TOKEN})"});
  } else {
    for (const char c : token) {
      if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
        issues.push_back({"token", "contains spaces or control characters (is the variable set correctly?)"});
        break;
      }
    }
  }

  if (config.has("key_fields")) {
    try {
      const auto groups = parse_key_fields(config.get<std::vector<std::string>>("key_fields"));
      if (groups.empty()) {
        issues.push_back(
            {"key_fields", "is empty: leave it out to use the defaults of the path", ConfigIssue::Severity::warning});
      }
    } catch (const std::invalid_argument& problem) {
      issues.push_back({"key_fields", problem.what()});
    }
  }
  const auto seen_limit = config.integer("seen_limit");
  if (seen_limit < page) {
    issues.push_back({"seen_limit",
                      "is smaller than one page of records (" + std::to_string(page) +
                          "): records the API still returns may be forgotten and emitted again",
                      ConfigIssue::Severity::warning});
  }
  if (config.duration("backoff_max") < config.duration("backoff_initial")) {
    issues.push_back({"backoff_max", "must not be shorter than backoff_initial"});
  }
  return result;
}

bool has_errors(const std::vector<ConfigIssue>& issues) {
  for (const auto& issue : issues) {
    if (issue.severity == ConfigIssue::Severity::error) return true;
  }
  return false;
}

}  // namespace

const Schema& uw_rest_schema() {
  static const Schema schema = [] {
    Schema s;
    s.option("base_url", OptionType::string, "UW API root; http:// only on loopback (the simulator)")
        .def("https://api.unusualwhales.com");
    s.option("path", OptionType::string,
             "Endpoint to poll: /api/congress/recent-trades, /api/darkpool/recent, or any UW path")
        .required()
        .min(1);
    s.option("query", OptionType::map, "Query parameters, e.g. {limit: 200, ticker: AAPL}")
        .def(nlohmann::json::object());
    s.option("token", OptionType::string, "UW API token, sent as Authorization: Bearer (use ${UW_API_TOKEN})")
        .required();
    s.option("channel", OptionType::string, "Channel name of the events, e.g. congress-trades").required().min(1);
    s.option("interval", OptionType::duration, "Time between polls").def("60s").min("100ms");
    s.option("key_fields", OptionType::list,
             "Fields identifying a record: one group per item, fields joined by + (the first complete group wins)")
        .items(OptionType::string)
        .default_doc("by path");
    s.option("seen_limit", OptionType::integer, "Record keys remembered (least recently seen forgotten first)")
        .def(10000)
        .range(1, 10000000);
    s.option("state_file", OptionType::string,
             "File keeping the remembered keys across restarts (written atomically after each poll with new records)");
    s.option("ca_file", OptionType::string, "PEM file of trusted CAs instead of the system store");
    s.option("timeout", OptionType::duration, "Longest wait for one complete response")
        .def("30s")
        .range("100ms", "10m");
    s.option("budget_per_minute", OptionType::integer,
             "Requests per minute for this token, shared by every pipeline in the process")
        .def(120)
        .range(1, 100000);
    s.option("budget_per_day", OptionType::integer, "Requests per 24 hours for this token, shared likewise")
        .def(15000)
        .range(1, 1000000);
    s.option("backoff_initial", OptionType::duration,
             "First wait after a 429/5xx without Retry-After or a failed request")
        .def("1s")
        .range("10ms", "1h");
    s.option("backoff_max", OptionType::duration, "Longest such wait (doubling with jitter up to it)")
        .def("5m")
        .range("10ms", "24h");
    s.option("max_response", OptionType::size, "Largest response body accepted").def("16MiB").range("1KiB", "1GiB");
    return s;
  }();
  return schema;
}

std::vector<ConfigIssue> validate_uw_rest(const Config& config) { return check(config).issues; }

std::string encode_query(const nlohmann::json& query) {
  std::string out;
  if (!query.is_object()) return out;
  for (const auto& [name, value] : query.items()) {
    if (!out.empty()) out += '&';
    out += percent_encode(name) + "=" + percent_encode(scalar_text(value));
  }
  return out;
}

UwRestOptions UwRestOptions::from_config(const Config& config) {
  auto checked = check(config);
  if (has_errors(checked.issues)) {
    for (const auto& issue : checked.issues) {
      if (issue.severity == ConfigIssue::Severity::error) throw PluginError(issue.path + ": " + issue.message);
    }
  }
  UwRestOptions options;
  options.path = config.string("path");
  options.url = *checked.base;
  std::string prefix = options.url.target;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  options.url.target = prefix + options.path;
  if (config.has("query")) {
    const auto query = encode_query(config.at("query"));
    if (!query.empty()) options.url.target += (options.path.find('?') == std::string::npos ? "?" : "&") + query;
  }
  const bool default_port = options.url.port == (options.url.tls() ? "443" : "80");
  const bool ipv6 = options.url.host.find(':') != std::string::npos;
  options.display_url = options.url.scheme + "://" + (ipv6 ? "[" + options.url.host + "]" : options.url.host) +
                        (default_port ? "" : ":" + options.url.port) + options.url.target;
  options.token = config.string("token");
  options.channel = config.string("channel");
  options.interval = config.duration("interval");
  if (config.has("key_fields")) {
    options.key_groups = parse_key_fields(config.get<std::vector<std::string>>("key_fields"));
    options.default_keys = false;
  } else {
    options.key_groups = default_key_groups(options.path);
  }
  options.seen_limit = static_cast<std::size_t>(config.integer("seen_limit"));
  if (config.has("state_file")) options.state_file = config.string("state_file");
  if (config.has("ca_file")) options.ca_file = config.string("ca_file");
  options.timeout = config.duration("timeout");
  options.budget.per_minute = static_cast<std::uint32_t>(config.integer("budget_per_minute"));
  options.budget.per_day = static_cast<std::uint32_t>(config.integer("budget_per_day"));
  options.backoff_initial = config.duration("backoff_initial");
  options.backoff_max = config.duration("backoff_max");
  options.max_response = static_cast<std::size_t>(config.size("max_response"));
  return options;
}

}  // namespace flowmind::uw_rest
