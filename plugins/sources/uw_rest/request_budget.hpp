// The UW request budget of one token (per minute and per day), shared by every poller in the process.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace flowmind::uw_rest {

struct BudgetLimits {
  std::uint32_t per_minute = 120;
  std::uint32_t per_day = 15000;
};

struct BudgetRemaining {
  std::uint32_t minute = 0;
  std::uint32_t day = 0;
};

// Sliding windows (the last 60 s, the last 24 h) of the requests sent with one token. The limits
// in force are the smallest that any current user configured, so two pipelines with the same
// token never exceed either one's budget together.
class TokenBudget {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes one request at `now` if the limits allow it (nullopt); otherwise takes nothing and
  // returns the time when a request will be allowed again.
  std::optional<Clock::time_point> try_take(Clock::time_point now);
  [[nodiscard]] BudgetRemaining remaining(Clock::time_point now);
  [[nodiscard]] BudgetLimits limits();

  // Users register their limits for as long as they use the budget (see BudgetLease).
  void add_user(BudgetLimits limits);
  void remove_user(BudgetLimits limits);

 private:
  BudgetLimits limits_locked() const;
  void expire_locked(Clock::time_point now);

  std::mutex mutex_;
  std::vector<BudgetLimits> users_;
  std::deque<Clock::time_point> last_minute_;
  std::deque<Clock::time_point> last_day_;
};

// One poller's use of its token's budget; registers its limits while it lives.
class BudgetLease {
 public:
  BudgetLease(std::shared_ptr<TokenBudget> budget, BudgetLimits limits);
  ~BudgetLease();
  BudgetLease(const BudgetLease&) = delete;
  BudgetLease& operator=(const BudgetLease&) = delete;

  std::optional<TokenBudget::Clock::time_point> try_take(TokenBudget::Clock::time_point now) {
    return budget_->try_take(now);
  }
  [[nodiscard]] BudgetRemaining remaining(TokenBudget::Clock::time_point now) const { return budget_->remaining(now); }
  // The limits in force (the smallest of every user of the token).
  [[nodiscard]] BudgetLimits limits() const { return budget_->limits(); }
  [[nodiscard]] BudgetLimits own_limits() const { return own_; }
  [[nodiscard]] const TokenBudget* shared() const { return budget_.get(); }

 private:
  std::shared_ptr<TokenBudget> budget_;
  BudgetLimits own_;
};

// The process-wide registry: the budget of `token` (looked up by a hash of it, the token itself
// is not kept). A token's history lives as long as the process, so a pipeline that is replaced
// or restarted does not get a fresh budget.
std::unique_ptr<BudgetLease> lease_budget(const std::string& token, BudgetLimits limits);

}  // namespace flowmind::uw_rest
