// The UW REST endpoints (congress trades, dark pool) with auth, request budgets and REST faults.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "faults.hpp"
#include "generator.hpp"
#include "http_util.hpp"

namespace flowmind::uwsim {

enum class TokenCheck { ok, missing, unknown, forbidden };

// Whether a token may use the API (forbidden tokens are only refused on the WebSocket).
TokenCheck check_token(const SimConfig& config, const std::string& token);

struct RestResponse {
  int status = 200;
  std::string body;
  int retry_after = -1;  // seconds; -1 = no header
};

class RestApi {
 public:
  RestApi(const SimConfig& config, MarketGenerator& generator, Faults& faults, std::int64_t start_ms);

  // `path` starts with /api/; `token` comes from the Authorization header (or ?token=).
  RestResponse handle(const std::string& method, const Target& target, const std::string& token, Clock::time_point now,
                      std::int64_t now_ms);
  void reset_budgets() { budgets_.clear(); }
  // Adds `record` as the newest record of `endpoint` ("congress" or "darkpool") for deterministic
  // tests; returns why it was refused (unknown endpoint, fields the filters of the API need).
  [[nodiscard]] std::optional<std::string> inject(const std::string& endpoint, const nlohmann::json& record);

 private:
  struct Budget {
    std::deque<Clock::time_point> minute;
    std::int64_t day = -1;
    int day_count = 0;
  };
  // Brings the accumulated records up to date: new records appear as time passes.
  void accumulate(std::int64_t now_ms);
  RestResponse congress(const Target& target, bool late_only) const;
  RestResponse darkpool(const Target& target, const std::string& ticker) const;

  const SimConfig& config_;
  MarketGenerator& generator_;
  Faults& faults_;
  std::int64_t start_ms_;
  std::deque<nlohmann::json> congress_;  // oldest first
  std::deque<nlohmann::json> darkpool_;  // oldest first
  long long congress_made_ = 0;
  long long darkpool_made_ = 0;
  std::map<std::string, Budget> budgets_;
};

}  // namespace flowmind::uwsim
