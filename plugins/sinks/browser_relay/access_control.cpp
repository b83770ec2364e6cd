// Who may use the relay: the Origin allow-list, the client token, the admin token, and redaction.
#include "access_control.hpp"

#include <algorithm>
#include <cctype>

namespace flowmind::browser_relay {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; `plus_is_space` for query values. nullopt on a broken escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> bearer_of(std::string_view authorization) {
  while (!authorization.empty() && authorization.front() == ' ') authorization.remove_prefix(1);
  if (authorization.size() < 7 || lower(authorization.substr(0, 7)) != "bearer ") return std::nullopt;
  auto token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return std::string(token);
}

}  // namespace

std::vector<std::string> default_origins(const ServerOptions& options, std::uint16_t port) {
  const std::string scheme = options.tls() ? "https://" : "http://";
  const bool default_port = (options.tls() && port == 443) || (!options.tls() && port == 80);
  std::vector<std::string> hosts{"127.0.0.1", "localhost", "[::1]"};
  if (options.host != "0.0.0.0" && options.host != "::" && !is_loopback_ip(options.host)) {
    hosts.push_back(options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host);
  }
  std::vector<std::string> origins;
  for (const auto& host : hosts) {
    origins.push_back(scheme + host + ":" + std::to_string(port));
    if (default_port) origins.push_back(scheme + host);
  }
  return origins;
}

std::optional<std::string> query_parameter(std::string_view target, std::string_view name) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::nullopt;
  auto query = target.substr(question + 1);
  if (const auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto equals = pair.find('=');
    const auto key = pair.substr(0, equals);
    if (key == name) {
      const auto value = equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
      return percent_decode(value, true);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::string redact_target(std::string_view target) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, question + 1));
  auto query = target.substr(question + 1);
  bool first = true;
  while (!query.empty() || first) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto equals = pair.find('=');
    const auto key = pair.substr(0, equals);
    if (!first) out += '&';
    first = false;
    if (equals != std::string_view::npos && (key == "access_token" || key == "token")) {
      out += std::string(key) + "=***";
    } else {
      out += pair;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::optional<std::string> decoded_path(std::string_view target) {
  const auto end = target.find_first_of("?#");
  auto path = percent_decode(target.substr(0, end), false);
  if (!path || path->find('\0') != std::string::npos) return std::nullopt;
  return path;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    difference = static_cast<unsigned char>(difference | (x ^ y));
  }
  return difference == 0;
}

AccessPolicy::AccessPolicy(const ServerOptions& options, std::uint16_t port)
    : token_(options.token), admin_token_(options.admin_token), loopback_(options.loopback()) {
  const auto& configured = options.allowed_origins;
  for (const auto& origin : configured.empty() ? default_origins(options, port) : configured) {
    if (origin == "*") {
      any_origin_ = true;
    } else {
      origins_.push_back(lower(origin));
    }
  }
}

bool AccessPolicy::origin_allowed(const std::optional<std::string_view>& origin) const {
  if (!origin) return true;
  if (any_origin_) return true;
  const auto wanted = lower(*origin);
  return std::find(origins_.begin(), origins_.end(), wanted) != origins_.end();
}

bool AccessPolicy::client_token_ok(std::string_view authorization, std::string_view target) const {
  if (token_.empty()) return true;
  if (const auto bearer = bearer_of(authorization); bearer && constant_time_equal(*bearer, token_)) return true;
  const auto query = query_parameter(target, "access_token");
  return query && constant_time_equal(*query, token_);
}

AccessPolicy::Admin AccessPolicy::admin(std::string_view authorization, std::string_view target) const {
  if (!admin_token_.empty()) {
    const auto bearer = bearer_of(authorization);
    return bearer && constant_time_equal(*bearer, admin_token_) ? Admin::allowed : Admin::unauthorized;
  }
  if (!loopback_) return Admin::forbidden;
  return client_token_ok(authorization, target) ? Admin::allowed : Admin::unauthorized;
}

}  // namespace flowmind::browser_relay
