// Who may use the relay: the Origin allow-list, the client token, the admin token, and redaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "relay_options.hpp"

namespace flowmind::browser_relay {

// http(s)://127.0.0.1:PORT, http(s)://localhost:PORT, http(s)://[::1]:PORT and the listen host's
// own origin when it is a specific address (without the port when it is the scheme's default).
std::vector<std::string> default_origins(const ServerOptions& options, std::uint16_t port);

// The value of query parameter `name` in a request target, percent-decoded (nullopt when absent).
std::optional<std::string> query_parameter(std::string_view target, std::string_view name);
// The target with the values of access_token and token replaced by ***, for logs.
std::string redact_target(std::string_view target);
// The path of a target: no query, percent-decoded; nullopt when it cannot be decoded or holds NUL.
std::optional<std::string> decoded_path(std::string_view target);
// Comparison whose time does not depend on where the strings differ.
bool constant_time_equal(std::string_view a, std::string_view b);

class AccessPolicy {
 public:
  AccessPolicy(const ServerOptions& options, std::uint16_t port);

  // No Origin header (not a browser): allowed. Otherwise it must be in the allow-list exactly
  // (scheme and host compared without regard to case).
  [[nodiscard]] bool origin_allowed(const std::optional<std::string_view>& origin) const;
  // True when no token is configured, or `Authorization: Bearer <token>` or ?access_token=<token>.
  [[nodiscard]] bool client_token_ok(std::string_view authorization, std::string_view target) const;

  enum class Admin { allowed, unauthorized, forbidden };
  // POST /api/stream/reconnect: with admin_token set, that bearer token is required; without it,
  // only a loopback server allows it (to holders of the client token, if one is set).
  [[nodiscard]] Admin admin(std::string_view authorization, std::string_view target) const;
  [[nodiscard]] const std::vector<std::string>& origins() const { return origins_; }

 private:
  std::vector<std::string> origins_;  // lower-cased
  bool any_origin_ = false;
  std::string token_;
  std::string admin_token_;
  bool loopback_ = true;
};

}  // namespace flowmind::browser_relay
