// Parsing of the ws/wss/http/https URLs the UW sources connect to.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flowmind::uw_net {

struct Url {
  std::string scheme;  // lower case: ws, wss, http or https
  std::string host;    // without brackets for IPv6 literals
  std::string port;    // always set (the scheme's default when the URL has none)
  std::string target;  // path and query, at least "/"

  [[nodiscard]] bool tls() const { return scheme == "wss" || scheme == "https"; }
  // 127.0.0.0/8, ::1 or "localhost": plain ws:// and http:// are only allowed there.
  [[nodiscard]] bool loopback() const;
};

// Returns nullopt and a reason in `error` when the text is not a usable URL. The reason never
// repeats the URL itself (it may hold a token).
std::optional<Url> parse_url(std::string_view text, std::string& error);

}  // namespace flowmind::uw_net
