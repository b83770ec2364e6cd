// One configured endpoint of a sink: its path (fixed or per ticker), its channel patterns, and the
// concrete endpoints it has created.
#include "route.hpp"

#include <algorithm>

namespace flowmind::browser_relay {

namespace {

// Endpoints keep these from the options they were made with; a successor with other values
// cannot take them over.
bool same_endpoint_settings(const RouteOptions& a, const SinkOptions& a_sink, const RouteOptions& b,
                            const SinkOptions& b_sink) {
  return a.path == b.path && a.id == b.id && a_sink.backlog == b_sink.backlog &&
         a_sink.queue_messages == b_sink.queue_messages && a_sink.queue_bytes == b_sink.queue_bytes &&
         a_sink.when_full == b_sink.when_full && a_sink.batch_delay == b_sink.batch_delay &&
         a_sink.max_tickers == b_sink.max_tickers;
}

}  // namespace

Route::Route(RouteOptions options, const SinkOptions& sink, std::size_t shards, std::shared_ptr<BindingCore> core,
             const Route* predecessor)
    : options_(std::move(options)), sink_(sink), path_(options_.path), shards_(shards), core_(std::move(core)) {
  for (const auto& channel : options_.channels) patterns_.emplace_back(channel);
  if (predecessor != nullptr && same_endpoint_settings(options_, sink_, predecessor->options_, predecessor->sink_)) {
    adopted_ = true;
    fixed_ = predecessor->fixed_;
    tickers_ = predecessor->tickers_;
    return;
  }
  if (!path_.templated()) fixed_ = std::make_shared<Endpoint>(options_.path, options_.id, sink_, shards_, core_);
}

std::shared_ptr<Endpoint> Route::ticker_endpoint(const std::string& ticker) {
  std::lock_guard lock(tickers_->mutex);
  auto& endpoints = tickers_->endpoints;
  if (tickers_->closed) return nullptr;
  if (const auto found = endpoints.find(ticker); found != endpoints.end()) return found->second;
  if (endpoints.size() >= sink_.max_tickers) {
    // Let an idle ticker go (its backlog with it) to make room.
    for (auto it = endpoints.begin(); it != endpoints.end(); ++it) {
      if (it->second->close_if_idle()) {
        endpoints.erase(it);
        break;
      }
    }
    if (endpoints.size() >= sink_.max_tickers) return nullptr;
  }
  auto endpoint = std::make_shared<Endpoint>(path_.path_for(ticker), options_.id + ":" + ticker, sink_, shards_, core_);
  endpoints.emplace(ticker, endpoint);
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
  std::lock_guard lock(tickers_->mutex);
  std::vector<std::shared_ptr<Endpoint>> all;
  all.reserve(tickers_->endpoints.size());
  for (const auto& [ticker, endpoint] : tickers_->endpoints) all.push_back(endpoint);
  return all;
}

void Route::close() {
  if (fixed_) fixed_->close();
  std::lock_guard lock(tickers_->mutex);
  tickers_->closed = true;
  for (const auto& [ticker, endpoint] : tickers_->endpoints) endpoint->close();
}

void BindingLink::retarget(Logger* log, PipelineControl* control) {
  std::lock_guard lock(mutex_);
  log_ = log;
  control_ = control;
}

void BindingLink::log(LogLevel level, const std::string& message) {
  std::lock_guard lock(mutex_);
  if (log_ != nullptr && log_->enabled(level)) log_->log(level, message);
}

bool BindingLink::enabled(LogLevel level) const {
  std::lock_guard lock(mutex_);
  return log_ != nullptr && log_->enabled(level);
}

void BindingLink::set_demand(std::size_t consumers) {
  std::lock_guard lock(mutex_);
  if (control_ != nullptr) control_->set_demand(consumers);
}

bool BindingLink::request_reconnect() {
  std::lock_guard lock(mutex_);
  return control_ != nullptr && control_->request_reconnect();
}

nlohmann::json BindingLink::source_status() const {
  std::lock_guard lock(mutex_);
  return control_ != nullptr ? control_->source_status() : nlohmann::json();
}

SinkBinding::SinkBinding(std::string pipeline, const SinkOptions& options, std::size_t shards, Logger* log,
                         PipelineControl* control)
    : link_(std::make_shared<BindingLink>(log, control)),
      core_(std::make_shared<BindingCore>(std::move(pipeline), link_.get(), control ? link_.get() : nullptr)) {
  for (const auto& route : options.routes) routes_.push_back(std::make_shared<Route>(route, options, shards, core_));
}

SinkBinding::SinkBinding(const std::shared_ptr<SinkBinding>& predecessor, const SinkOptions& options,
                         std::size_t shards, Logger* log, PipelineControl* control)
    : link_(predecessor->link_),
      core_(predecessor->core_),
      predecessor_(predecessor),
      own_log_(log),
      own_control_(control) {
  for (const auto& route : options.routes) {
    const auto previous = predecessor->route_for(route.path);
    routes_.push_back(std::make_shared<Route>(route, options, shards, core_, previous.get()));
  }
}

void SinkBinding::take_over() {
  if (!predecessor_) return;
  link_->retarget(own_log_, own_control_);
  predecessor_.reset();
}

std::shared_ptr<Route> SinkBinding::route_for(const std::string& path) const {
  for (const auto& route : routes_) {
    if (route->options().path == path) return route;
  }
  return nullptr;
}

void SinkBinding::close() {
  for (const auto& route : routes_) route->close();
  core_->detach();
  link_->detach();
}

}  // namespace flowmind::browser_relay
