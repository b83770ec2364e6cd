// One configured endpoint of a sink: its path (fixed or per ticker), its channel patterns, and the
// concrete endpoints it has created.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "channel_routes.hpp"
#include "endpoint.hpp"

namespace flowmind::browser_relay {

class Route {
 public:
  Route(RouteOptions options, const SinkOptions& sink, std::size_t shards, std::shared_ptr<BindingCore> core);

  [[nodiscard]] const RouteOptions& options() const { return options_; }
  [[nodiscard]] const PathTemplate& path() const { return path_; }
  [[nodiscard]] bool templated() const { return path_.templated(); }

  // The endpoint of a concrete request path (a ticker's is created on first use); null when the
  // path is not this route's, or the ticker limit is reached and no idle ticker can be let go.
  std::shared_ptr<Endpoint> endpoint_for_path(std::string_view concrete);
  // True when `channel` matches one of the route's patterns.
  [[nodiscard]] bool matches(std::string_view channel) const;
  // The endpoint an event of `channel` goes to (null: not this route's, or the ticker limit).
  std::shared_ptr<Endpoint> endpoint_for_channel(std::string_view channel);
  [[nodiscard]] std::vector<std::shared_ptr<Endpoint>> endpoints() const;
  // Closes every endpoint (the sink stops).
  void close();

 private:
  std::shared_ptr<Endpoint> ticker_endpoint(const std::string& ticker);

  const RouteOptions options_;
  const SinkOptions sink_;
  const PathTemplate path_;
  std::vector<ChannelPattern> patterns_;
  const std::size_t shards_;
  std::shared_ptr<BindingCore> core_;
  std::shared_ptr<Endpoint> fixed_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Endpoint>> tickers_;
  bool closed_ = false;
};

// A sink instance as the server knows it: its pipeline, its routes, its link to the engine.
class SinkBinding {
 public:
  SinkBinding(std::string pipeline, const SinkOptions& options, std::size_t shards, Logger* log,
              PipelineControl* control);

  [[nodiscard]] const std::string& pipeline() const { return core_->pipeline(); }
  [[nodiscard]] const std::vector<std::shared_ptr<Route>>& routes() const { return routes_; }
  [[nodiscard]] BindingCore& core() { return *core_; }
  [[nodiscard]] const BindingCore& core() const { return *core_; }
  // The sink stops: endpoints closed, nothing more reaches the engine.
  void close();

 private:
  std::shared_ptr<BindingCore> core_;
  std::vector<std::shared_ptr<Route>> routes_;
};

}  // namespace flowmind::browser_relay
