// The relay's HTTP API under /api/stream (status, channels, health, reconnect) and server counters.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "access_control.hpp"
#include "route.hpp"

namespace flowmind::browser_relay {

// Messages per second over about the last ten seconds, from a monotonically growing total.
class RateMeter {
 public:
  double rate(std::uint64_t total, std::chrono::steady_clock::time_point now);

 private:
  std::mutex mutex_;
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::uint64_t>> samples_;
};

// Server-wide counters (every sink on the server shows them).
struct ServerCounters {
  const std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<std::uint64_t> clients{0};
  std::atomic<std::uint64_t> connects{0};
  std::atomic<std::uint64_t> disconnects{0};
  std::atomic<std::uint64_t> messages_sent{0};
  std::atomic<std::uint64_t> http_requests{0};
  std::atomic<std::uint64_t> refused_origin{0};
  std::atomic<std::uint64_t> refused_token{0};
  std::atomic<std::uint64_t> refused_path{0};
  std::atomic<std::uint64_t> refused_limit{0};
  std::atomic<std::uint64_t> bad_requests{0};
  std::atomic<std::uint64_t> tls_failures{0};
  RateMeter message_rate;

  [[nodiscard]] nlohmann::json to_json() const;
};

struct ApiRequest {
  std::string_view method;  // "GET", "HEAD", "POST", ...
  std::string path;         // decoded, no query
  std::string_view target;  // as received (for ?access_token=)
  std::string_view authorization;
  std::optional<std::string_view> origin;
};

struct ApiReply {
  int status = 200;
  std::string body;  // JSON
  std::vector<std::pair<std::string, std::string>> headers;
};

// True for paths under /api/stream (the API answers those that are not WebSocket endpoints).
bool is_api_request(std::string_view path);

ApiReply handle_api(const ApiRequest& request, const std::vector<std::shared_ptr<SinkBinding>>& bindings,
                    ServerCounters& counters, const AccessPolicy& access);

// The documents themselves (also used by tests and the sinks' status).
nlohmann::json status_document(const std::vector<std::shared_ptr<SinkBinding>>& bindings, ServerCounters& counters);
nlohmann::json channels_document(const std::vector<std::shared_ptr<SinkBinding>>& bindings);
// {"status":"healthy"|"unhealthy", ...} and whether it is healthy.
std::pair<bool, nlohmann::json> health_document(const std::vector<std::shared_ptr<SinkBinding>>& bindings,
                                                const ServerCounters& counters);

}  // namespace flowmind::browser_relay
