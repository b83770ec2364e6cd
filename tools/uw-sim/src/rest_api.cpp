// The UW REST endpoints: records accumulate over time, each poll returns the newest ones first.
#include "rest_api.hpp"

#include <algorithm>

namespace flowmind::uwsim {
namespace {

using nlohmann::json;

constexpr long long kCongressBacklog = 240;  // filed over the last 60 days before the simulator started
constexpr long long kDarkpoolBacklog = 300;
constexpr std::size_t kMaxRecords = 5000;

RestResponse error_response(int status, const std::string& message) {
  return {status, json{{"message", message}}.dump(), -1};
}

// Reads `limit` (default 100, at most 200); false when it is not a positive number.
bool read_limit(const Target& target, int& limit) {
  limit = 100;
  const auto found = target.query.find("limit");
  if (found == target.query.end()) return true;
  try {
    std::size_t used = 0;
    const int value = std::stoi(found->second, &used);
    if (used != found->second.size() || value < 1) return false;
    limit = std::min(value, 200);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

TokenCheck check_token(const SimConfig& config, const std::string& token) {
  if (token.empty()) return TokenCheck::missing;
  if (std::find(config.forbidden_tokens.begin(), config.forbidden_tokens.end(), token) !=
      config.forbidden_tokens.end()) {
    return TokenCheck::forbidden;
  }
  if (config.tokens.empty()) return TokenCheck::ok;
  return std::find(config.tokens.begin(), config.tokens.end(), token) != config.tokens.end() ? TokenCheck::ok
                                                                                             : TokenCheck::unknown;
}

RestApi::RestApi(const SimConfig& config, MarketGenerator& generator, Faults& faults, std::int64_t start_ms)
    : config_(config), generator_(generator), faults_(faults), start_ms_(start_ms) {
  for (long long index = 0; index < kCongressBacklog; ++index) {
    const int days_ago = static_cast<int>(60 - index * 60 / kCongressBacklog);
    congress_.push_back(generator_.congress_trade(start_ms, days_ago));
  }
  for (long long index = 0; index < kDarkpoolBacklog; ++index) {
    darkpool_.push_back(generator_.darkpool_record(start_ms - (kDarkpoolBacklog - index) * 1000));
  }
}

void RestApi::accumulate(std::int64_t now_ms) {
  const double elapsed = static_cast<double>(std::max<std::int64_t>(0, now_ms - start_ms_)) / 1000.0;
  const auto congress_due = static_cast<long long>(elapsed * config_.rate("congress"));
  const auto darkpool_due = static_cast<long long>(elapsed * config_.rate("darkpool"));
  // Catching up after a long idle period is capped: nobody can read more than the newest records anyway.
  congress_made_ = std::max(congress_made_, congress_due - static_cast<long long>(kMaxRecords));
  darkpool_made_ = std::max(darkpool_made_, darkpool_due - static_cast<long long>(kMaxRecords));
  for (; congress_made_ < congress_due; ++congress_made_) congress_.push_back(generator_.congress_trade(now_ms, 0));
  for (; darkpool_made_ < darkpool_due; ++darkpool_made_) darkpool_.push_back(generator_.darkpool_record(now_ms));
  while (congress_.size() > kMaxRecords) congress_.pop_front();
  while (darkpool_.size() > kMaxRecords) darkpool_.pop_front();
}

std::optional<std::string> RestApi::inject(const std::string& endpoint, const json& record) {
  if (!record.is_object()) return "'record' must be a JSON object";
  const auto needs_string = [&](const char* field) -> std::optional<std::string> {
    if (!record.contains(field) || !record[field].is_string())
      return std::string("the record needs a string '") + field + "'";
    return std::nullopt;
  };
  if (endpoint == "congress") {
    for (const char* field : {"ticker", "transaction_date", "filed_at_date"}) {
      if (auto problem = needs_string(field)) return problem;
    }
    if (days_from_date(record["transaction_date"].get<std::string>()) < 0 ||
        days_from_date(record["filed_at_date"].get<std::string>()) < 0) {
      return std::string("transaction_date and filed_at_date must be YYYY-MM-DD");
    }
    congress_.push_back(record);
    while (congress_.size() > kMaxRecords) congress_.pop_front();
    return std::nullopt;
  }
  if (endpoint == "darkpool") {
    if (auto problem = needs_string("ticker")) return problem;
    darkpool_.push_back(record);
    while (darkpool_.size() > kMaxRecords) darkpool_.pop_front();
    return std::nullopt;
  }
  return "unknown endpoint '" + endpoint + "' (congress or darkpool)";
}

RestResponse RestApi::handle(const std::string& method, const Target& target, const std::string& token,
                             Clock::time_point now, std::int64_t now_ms) {
  const auto check = check_token(config_, token);
  if (check == TokenCheck::missing) return error_response(401, "missing bearer token");
  if (check == TokenCheck::unknown) return error_response(401, "invalid token");
  if (auto fault = faults_.take_rest_fault()) {
    RestResponse response = error_response(
        fault->status, fault->status == 429 ? "too many requests (injected)" : "internal server error (injected)");
    response.retry_after = fault->retry_after;
    return response;
  }
  auto& budget = budgets_[token];
  while (!budget.minute.empty() && now - budget.minute.front() >= std::chrono::minutes(1)) budget.minute.pop_front();
  const std::int64_t day = now_ms / 86'400'000;
  if (budget.day != day) {
    budget.day = day;
    budget.day_count = 0;
  }
  if (budget.day_count >= config_.rest_per_day) {
    RestResponse response = error_response(429, "daily request limit reached");
    response.retry_after = static_cast<int>((day + 1) * 86'400 - now_ms / 1000);
    return response;
  }
  if (static_cast<int>(budget.minute.size()) >= config_.rest_per_minute) {
    RestResponse response =
        error_response(429, "too many requests: " + std::to_string(config_.rest_per_minute) + " per minute");
    const auto wait = std::chrono::minutes(1) - (now - budget.minute.front());
    response.retry_after = std::max(1, static_cast<int>(std::chrono::ceil<std::chrono::seconds>(wait).count()));
    return response;
  }
  budget.minute.push_back(now);
  ++budget.day_count;
  if (method != "GET") return error_response(405, "only GET is supported");
  accumulate(now_ms);
  if (target.path == "/api/congress/recent-trades") return congress(target, false);
  if (target.path == "/api/congress/late-reports") return congress(target, true);
  if (target.path == "/api/darkpool/recent") return darkpool(target, {});
  static const std::string darkpool_prefix = "/api/darkpool/";
  if (target.path.rfind(darkpool_prefix, 0) == 0 && target.path.size() > darkpool_prefix.size() &&
      target.path.find('/', darkpool_prefix.size()) == std::string::npos) {
    return darkpool(target, target.path.substr(darkpool_prefix.size()));
  }
  return error_response(404, "no such endpoint: " + target.path);
}

RestResponse RestApi::congress(const Target& target, bool late_only) const {
  int limit = 100;
  if (!read_limit(target, limit)) return error_response(422, "limit must be a positive integer");
  const auto date = target.query.contains("date") ? target.query.at("date") : std::string();
  const auto ticker = target.query.contains("ticker") ? target.query.at("ticker") : std::string();
  if (!date.empty() && days_from_date(date) < 0) return error_response(422, "date must be YYYY-MM-DD");
  json data = json::array();
  for (auto it = congress_.rbegin(); it != congress_.rend() && static_cast<int>(data.size()) < limit; ++it) {
    const auto& record = *it;
    if (!date.empty() && record.at("filed_at_date") != date) continue;
    if (!ticker.empty() && record.at("ticker") != ticker) continue;
    if (late_only && days_from_date(record.at("filed_at_date").get<std::string>()) -
                             days_from_date(record.at("transaction_date").get<std::string>()) <=
                         45) {
      continue;
    }
    data.push_back(record);
  }
  return {200, json{{"data", data}}.dump(), -1};
}

RestResponse RestApi::darkpool(const Target& target, const std::string& ticker) const {
  int limit = 100;
  if (!read_limit(target, limit)) return error_response(422, "limit must be a positive integer");
  json data = json::array();
  for (auto it = darkpool_.rbegin(); it != darkpool_.rend() && static_cast<int>(data.size()) < limit; ++it) {
    if (!ticker.empty() && it->at("ticker") != ticker) continue;
    data.push_back(*it);
  }
  return {200, json{{"data", data}}.dump(), -1};
}

}  // namespace flowmind::uwsim
