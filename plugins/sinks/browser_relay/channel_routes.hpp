// Which endpoint an event goes to: channel patterns, ticker path templates, and their validation.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "relay_options.hpp"

namespace flowmind::browser_relay {

inline constexpr std::string_view ticker_placeholder = "{TICKER}";

// A channel pattern: "flow-alerts" (exact), "price:*" (prefix), "*" (every channel), or
// "gex:{TICKER}" (a ticker route's pattern: the ticker is what stands in for the placeholder).
class ChannelPattern {
 public:
  explicit ChannelPattern(std::string_view text);
  // True when `channel` matches; for ticker patterns `ticker` receives the ticker.
  bool matches(std::string_view channel, std::string* ticker = nullptr) const;
  [[nodiscard]] bool has_ticker() const { return kind_ == Kind::ticker; }

 private:
  enum class Kind { exact, prefix, all, ticker };
  Kind kind_ = Kind::exact;
  std::string prefix_;
  std::string suffix_;
};

// A path, fixed ("/api/stream/ws/flow") or with one ticker segment ("/api/stream/ws/gex/{TICKER}").
class PathTemplate {
 public:
  explicit PathTemplate(std::string_view text);
  [[nodiscard]] bool templated() const { return templated_; }
  [[nodiscard]] const std::string& text() const { return text_; }
  // The ticker of a concrete path of this template (upper-cased), nullopt when it is not one.
  [[nodiscard]] std::optional<std::string> ticker_of(std::string_view path) const;
  [[nodiscard]] std::string path_for(std::string_view ticker) const;

 private:
  std::string text_;
  bool templated_ = false;
  std::string prefix_;
  std::string suffix_;
};

// A ticker as it may appear in a path segment: letters, digits, '.', '-' and '_', 1 to 16 characters.
bool valid_ticker(std::string_view ticker);

// The id of a route when none is configured: its last segment that is not the placeholder.
std::string default_route_id(std::string_view path);

// Problems of one route (empty = fine); `where` prefixes nothing, the caller builds the config path.
struct RouteIssue {
  std::string field;  // "path", "channels", "channels/2", ...
  std::string message;
};
std::vector<RouteIssue> check_route(const RouteOptions& route);

// HTTP API paths the server answers itself; an endpoint must not take one of them.
bool is_api_path(std::string_view path);

}  // namespace flowmind::browser_relay
