// The server side of the WebSocket opening handshake (RFC 6455 section 4.2) without Beast.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flowmind::browser_relay {

// The request headers that decide an upgrade (empty = absent).
struct UpgradeRequest {
  std::string_view method;
  unsigned http_version = 11;  // 11 = HTTP/1.1
  std::string_view upgrade;
  std::string_view connection;
  std::string_view version;  // Sec-WebSocket-Version
  std::string_view key;      // Sec-WebSocket-Key
};

// True when the request asks for a WebSocket (Upgrade: websocket), valid or not.
bool wants_websocket(const UpgradeRequest& request);
// Why a WebSocket request cannot be accepted (nullopt = it can); `version_mismatch` tells the
// caller to answer 426 with Sec-WebSocket-Version: 13.
std::optional<std::string> check_upgrade(const UpgradeRequest& request, bool& version_mismatch);
// base64(SHA-1(key + the RFC's GUID)).
std::string accept_key(std::string_view key);
// The complete 101 answer.
std::string switching_protocols(std::string_view key);

}  // namespace flowmind::browser_relay
