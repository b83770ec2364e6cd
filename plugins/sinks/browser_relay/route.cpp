// One configured endpoint of a sink: its path (fixed or per ticker), its channel patterns, and the
// concrete endpoints it has created.
#include "route.hpp"

#include <algorithm>

namespace flowmind::browser_relay {

Route::Route(RouteOptions options, const SinkOptions& sink, std::size_t shards, std::shared_ptr<BindingCore> core)
    : options_(std::move(options)), sink_(sink), path_(options_.path), shards_(shards), core_(std::move(core)) {
  for (const auto& channel : options_.channels) patterns_.emplace_back(channel);
  if (!path_.templated()) fixed_ = std::make_shared<Endpoint>(options_.path, options_.id, sink_, shards_, core_);
}

std::shared_ptr<Endpoint> Route::ticker_endpoint(const std::string& ticker) {
  std::lock_guard lock(mutex_);
  if (closed_) return nullptr;
  if (const auto found = tickers_.find(ticker); found != tickers_.end()) return found->second;
  if (tickers_.size() >= sink_.max_tickers) {
    // Let an idle ticker go (its backlog with it) to make room.
    for (auto it = tickers_.begin(); it != tickers_.end(); ++it) {
      if (it->second->close_if_idle()) {
        tickers_.erase(it);
        break;
      }
    }
    if (tickers_.size() >= sink_.max_tickers) return nullptr;
  }
  auto endpoint = std::make_shared<Endpoint>(path_.path_for(ticker), options_.id + ":" + ticker, sink_, shards_, core_);
  tickers_.emplace(ticker, endpoint);
  return endpoint;
}

std::shared_ptr<Endpoint> Route::endpoint_for_path(std::string_view concrete) {
  if (!path_.templated()) return concrete == options_.path ? fixed_ : nullptr;
  const auto ticker = path_.ticker_of(concrete);
  if (!ticker) return nullptr;
  return ticker_endpoint(*ticker);
}

std::shared_ptr<Endpoint> Route::endpoint_for_channel(std::string_view channel) {
  std::string ticker;
  for (const auto& pattern : patterns_) {
    if (!pattern.matches(channel, &ticker)) continue;
    if (!path_.templated()) return fixed_;
    return ticker_endpoint(ticker);
  }
  return nullptr;
}

bool Route::matches(std::string_view channel) const {
  return std::any_of(patterns_.begin(), patterns_.end(), [&](const auto& pattern) { return pattern.matches(channel); });
}

std::vector<std::shared_ptr<Endpoint>> Route::endpoints() const {
  if (fixed_) return {fixed_};
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Endpoint>> all;
  all.reserve(tickers_.size());
  for (const auto& [ticker, endpoint] : tickers_) all.push_back(endpoint);
  return all;
}

void Route::close() {
  if (fixed_) fixed_->close();
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (const auto& [ticker, endpoint] : tickers_) endpoint->close();
}

SinkBinding::SinkBinding(std::string pipeline, const SinkOptions& options, std::size_t shards, Logger* log,
                         PipelineControl* control)
    : core_(std::make_shared<BindingCore>(std::move(pipeline), log, control)) {
  for (const auto& route : options.routes) routes_.push_back(std::make_shared<Route>(route, options, shards, core_));
}

void SinkBinding::close() {
  for (const auto& route : routes_) route->close();
  core_->detach();
}

}  // namespace flowmind::browser_relay
