// The server side of the WebSocket opening handshake (RFC 6455 section 4.2) without Beast.
#include "ws_handshake.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace flowmind::browser_relay {
namespace {

constexpr std::string_view websocket_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A comma-separated header value containing `token` (case-insensitive), e.g. "keep-alive, Upgrade".
bool has_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (iequals(trim(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

bool base64_of_16_bytes(std::string_view key) {
  if (key.size() != 24 || key.substr(22) != "==") return false;
  return std::all_of(key.begin(), key.begin() + 22,
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '+' || c == '/'; });
}

}  // namespace

bool wants_websocket(const UpgradeRequest& request) { return has_token(request.upgrade, "websocket"); }

std::optional<std::string> check_upgrade(const UpgradeRequest& request, bool& version_mismatch) {
  version_mismatch = false;
  if (request.method != "GET") return "a WebSocket upgrade must be a GET";
  if (request.http_version < 11) return "a WebSocket upgrade needs HTTP/1.1";
  if (!has_token(request.connection, "upgrade")) return "Connection: Upgrade is missing";
  if (trim(request.version) != "13") {
    version_mismatch = true;
    return "only WebSocket version 13 is supported";
  }
  if (!base64_of_16_bytes(trim(request.key))) return "Sec-WebSocket-Key is missing or malformed";
  return std::nullopt;
}

std::string accept_key(std::string_view key) {
  const std::string input = std::string(trim(key)) + std::string(websocket_guid);
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  std::array<unsigned char, 4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1> encoded{};
  const int size = EVP_EncodeBlock(encoded.data(), digest.data(), static_cast<int>(digest.size()));
  return {reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(size)};
}

std::string switching_protocols(std::string_view key) {
  return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
         accept_key(key) + "\r\nServer: flowmind\r\n\r\n";
}

}  // namespace flowmind::browser_relay
