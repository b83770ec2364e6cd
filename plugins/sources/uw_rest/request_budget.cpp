// Sliding-window request accounting per token and the process-wide registry of token budgets.
#include "request_budget.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>

#include <openssl/evp.h>

namespace flowmind::uw_rest {
namespace {

constexpr auto minute = std::chrono::minutes(1);
constexpr auto day = std::chrono::hours(24);

std::string token_id(const std::string& token) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(token.data(), token.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 is not available from OpenSSL");
  }
  return {reinterpret_cast<const char*>(digest.data()), length};
}

// When the window of `span` holding `times` (oldest first) has room for one more under `limit`.
TokenBudget::Clock::time_point free_at(const std::deque<TokenBudget::Clock::time_point>& times, std::size_t limit,
                                       TokenBudget::Clock::duration span) {
  if (limit == 0) return TokenBudget::Clock::time_point::max();
  return times[times.size() - limit] + span;
}

}  // namespace

BudgetLimits TokenBudget::limits_locked() const {
  if (users_.empty()) return {};
  BudgetLimits limits{UINT32_MAX, UINT32_MAX};
  for (const auto& user : users_) {
    limits.per_minute = std::min(limits.per_minute, user.per_minute);
    limits.per_day = std::min(limits.per_day, user.per_day);
  }
  return limits;
}

void TokenBudget::expire_locked(Clock::time_point now) {
  while (!last_minute_.empty() && last_minute_.front() + minute <= now) last_minute_.pop_front();
  while (!last_day_.empty() && last_day_.front() + day <= now) last_day_.pop_front();
}

std::optional<TokenBudget::Clock::time_point> TokenBudget::try_take(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  expire_locked(now);
  const auto limits = limits_locked();
  const bool minute_full = last_minute_.size() >= limits.per_minute;
  const bool day_full = last_day_.size() >= limits.per_day;
  if (minute_full || day_full) {
    auto at = now;
    if (minute_full) at = std::max(at, free_at(last_minute_, limits.per_minute, minute));
    if (day_full) at = std::max(at, free_at(last_day_, limits.per_day, day));
    return at;
  }
  last_minute_.push_back(now);
  last_day_.push_back(now);
  return std::nullopt;
}

BudgetRemaining TokenBudget::remaining(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  expire_locked(now);
  const auto limits = limits_locked();
  const auto left = [](std::uint32_t limit, std::size_t used) {
    return used >= limit ? 0U : static_cast<std::uint32_t>(limit - used);
  };
  return {left(limits.per_minute, last_minute_.size()), left(limits.per_day, last_day_.size())};
}

BudgetLimits TokenBudget::limits() {
  std::lock_guard lock(mutex_);
  return limits_locked();
}

void TokenBudget::add_user(BudgetLimits limits) {
  std::lock_guard lock(mutex_);
  users_.push_back(limits);
}

void TokenBudget::remove_user(BudgetLimits limits) {
  std::lock_guard lock(mutex_);
  const auto it = std::find_if(users_.begin(), users_.end(), [&](const BudgetLimits& user) {
    return user.per_minute == limits.per_minute && user.per_day == limits.per_day;
  });
  if (it != users_.end()) users_.erase(it);
}

BudgetLease::BudgetLease(std::shared_ptr<TokenBudget> budget, BudgetLimits limits)
    : budget_(std::move(budget)), own_(limits) {
  budget_->add_user(own_);
}

BudgetLease::~BudgetLease() { budget_->remove_user(own_); }

std::unique_ptr<BudgetLease> lease_budget(const std::string& token, BudgetLimits limits) {
  // Lives inside the plugin module, which is never unloaded: one registry per process.
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<TokenBudget>> budgets;
  std::shared_ptr<TokenBudget> budget;
  {
    std::lock_guard lock(mutex);
    auto& slot = budgets[token_id(token)];
    if (!slot) slot = std::make_shared<TokenBudget>();
    budget = slot;
  }
  return std::make_unique<BudgetLease>(std::move(budget), limits);
}

}  // namespace flowmind::uw_rest
