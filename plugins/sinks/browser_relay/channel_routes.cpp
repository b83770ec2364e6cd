// Which endpoint an event goes to: channel patterns, ticker path templates, and their validation.
#include "channel_routes.hpp"

#include <algorithm>
#include <cctype>

namespace flowmind::browser_relay {
namespace {

std::size_t count_of(std::string_view text, std::string_view part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string_view::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

ChannelPattern::ChannelPattern(std::string_view text) {
  if (const auto at = text.find(ticker_placeholder); at != std::string_view::npos) {
    kind_ = Kind::ticker;
    prefix_ = text.substr(0, at);
    suffix_ = text.substr(at + ticker_placeholder.size());
  } else if (text == "*") {
    kind_ = Kind::all;
  } else if (!text.empty() && text.back() == '*') {
    kind_ = Kind::prefix;
    prefix_ = text.substr(0, text.size() - 1);
  } else {
    prefix_ = text;
  }
}

bool ChannelPattern::matches(std::string_view channel, std::string* ticker) const {
  switch (kind_) {
    case Kind::exact: return channel == prefix_;
    case Kind::prefix: return starts_with(channel, prefix_);
    case Kind::all: return true;
    case Kind::ticker: {
      if (channel.size() <= prefix_.size() + suffix_.size()) return false;
      if (!starts_with(channel, prefix_) || !ends_with(channel, suffix_)) return false;
      const auto middle = channel.substr(prefix_.size(), channel.size() - prefix_.size() - suffix_.size());
      if (!valid_ticker(middle)) return false;
      if (ticker != nullptr) {
        ticker->assign(middle);
        std::transform(ticker->begin(), ticker->end(), ticker->begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      }
      return true;
    }
  }
  return false;
}

PathTemplate::PathTemplate(std::string_view text) : text_(text) {
  if (const auto at = text.find(ticker_placeholder); at != std::string_view::npos) {
    templated_ = true;
    prefix_ = text.substr(0, at);
    suffix_ = text.substr(at + ticker_placeholder.size());
  }
}

std::optional<std::string> PathTemplate::ticker_of(std::string_view path) const {
  if (!templated_) return std::nullopt;
  if (path.size() <= prefix_.size() + suffix_.size()) return std::nullopt;
  if (!starts_with(path, prefix_) || !ends_with(path, suffix_)) return std::nullopt;
  const auto middle = path.substr(prefix_.size(), path.size() - prefix_.size() - suffix_.size());
  if (!valid_ticker(middle)) return std::nullopt;
  std::string ticker(middle);
  std::transform(ticker.begin(), ticker.end(), ticker.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return ticker;
}

std::string PathTemplate::path_for(std::string_view ticker) const {
  if (!templated_) return text_;
  return prefix_ + std::string(ticker) + suffix_;
}

bool valid_ticker(std::string_view ticker) {
  if (ticker.empty() || ticker.size() > 16) return false;
  return std::all_of(ticker.begin(), ticker.end(),
                     [](unsigned char c) { return std::isalnum(c) != 0 || c == '.' || c == '-' || c == '_'; });
}

std::string default_route_id(std::string_view path) {
  std::string last;
  std::size_t from = 0;
  while (from < path.size()) {
    auto to = path.find('/', from);
    if (to == std::string_view::npos) to = path.size();
    const auto segment = path.substr(from, to - from);
    if (!segment.empty() && segment != ticker_placeholder) last = segment;
    from = to + 1;
  }
  return last.empty() ? std::string("root") : last;
}

bool is_api_path(std::string_view path) {
  static const std::vector<std::string_view> api{"/api/stream/status", "/api/stream/channels", "/api/stream/health",
                                                 "/api/stream/reconnect"};
  return std::find(api.begin(), api.end(), path) != api.end();
}

std::vector<RouteIssue> check_route(const RouteOptions& route) {
  std::vector<RouteIssue> issues;
  const auto& path = route.path;
  const auto placeholders = count_of(path, ticker_placeholder);
  if (path.empty() || path.front() != '/') {
    issues.push_back({"path", "an endpoint path starts with '/', e.g. /api/stream/ws/flow"});
  } else if (path.find_first_of("?#%\\ \t") != std::string::npos) {
    issues.push_back({"path", "an endpoint path has no query, fragment, escapes or spaces"});
  } else if (path.find("//") != std::string::npos || path.find("/./") != std::string::npos ||
             path.find("/../") != std::string::npos || ends_with(path, "/..") || ends_with(path, "/.") ||
             (path.size() > 1 && path.back() == '/')) {
    issues.push_back({"path", "an endpoint path has no empty, '.' or '..' segments and no trailing '/'"});
  } else if (placeholders > 1) {
    issues.push_back({"path", "at most one {TICKER} per path"});
  } else if (placeholders == 1 && path.find("/" + std::string(ticker_placeholder)) == std::string::npos) {
    issues.push_back({"path", "{TICKER} must be a whole path segment, e.g. /api/stream/ws/gex/{TICKER}"});
  } else if (placeholders == 1) {
    const auto at = path.find(ticker_placeholder) + ticker_placeholder.size();
    if (at != path.size() && path[at] != '/') {
      issues.push_back({"path", "{TICKER} must be a whole path segment, e.g. /api/stream/ws/gex/{TICKER}"});
    }
  }
  if (is_api_path(path)) issues.push_back({"path", "'" + path + "' is an HTTP API path of the relay"});
  if (route.channels.empty()) issues.push_back({"channels", "at least one channel (or \"*\" for every channel)"});
  for (std::size_t i = 0; i < route.channels.size(); ++i) {
    const auto& channel = route.channels[i];
    const auto field = "channels/" + std::to_string(i);
    const auto in_channel = count_of(channel, ticker_placeholder);
    if (channel.empty()) {
      issues.push_back({field, "empty channel pattern"});
    } else if (placeholders == 1 && in_channel != 1) {
      issues.push_back({field, "a {TICKER} path needs {TICKER} once in each channel, e.g. gex:{TICKER}"});
    } else if (placeholders == 0 && in_channel > 0) {
      issues.push_back({field, "{TICKER} in a channel needs {TICKER} in the path"});
    } else if (in_channel == 1 && channel.find('*') != std::string::npos) {
      issues.push_back({field, "a {TICKER} channel has no '*'"});
    } else if (channel.find('*') != std::string::npos && channel.find('*') != channel.size() - 1) {
      issues.push_back({field, "'*' only at the end of a channel pattern (price:*) or alone (*)"});
    }
  }
  return issues;
}

}  // namespace flowmind::browser_relay
