// One configured endpoint of a sink: its path (fixed or per ticker), its channel patterns, and the
// concrete endpoints it has created.
#pragma once

#include <atomic>
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
  // With a `predecessor` (the route of the same path in the sink instance this one replaces) whose
  // endpoints are compatible (same id and queue settings), its endpoints are taken over: frame
  // logs, clients and all. The channels may differ: they are this route's.
  Route(RouteOptions options, const SinkOptions& sink, std::size_t shards, std::shared_ptr<BindingCore> core,
        const Route* predecessor = nullptr);

  [[nodiscard]] const RouteOptions& options() const { return options_; }
  [[nodiscard]] const PathTemplate& path() const { return path_; }
  [[nodiscard]] bool templated() const { return path_.templated(); }
  // True when the endpoints were taken over from a predecessor.
  [[nodiscard]] bool adopted() const { return adopted_; }

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
  bool adopted_ = false;
  const PathTemplate path_;
  std::vector<ChannelPattern> patterns_;
  const std::size_t shards_;
  std::shared_ptr<BindingCore> core_;
  std::shared_ptr<Endpoint> fixed_;
  // A templated route's ticker endpoints. A route that takes over shares its predecessor's table
  // rather than copying it: a browser that connects to a new ticker during the handover (through
  // either route) lands in the one table the successor serves.
  struct TickerTable {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<Endpoint>> endpoints;
    bool closed = false;
  };
  std::shared_ptr<TickerTable> tickers_ = std::make_shared<TickerTable>();
};

// What the endpoints of a binding reach the engine through. BindingCore keeps a plain pointer to it;
// when a new sink instance takes over (a reload), the link is pointed at the new instance's
// context, so the endpoints and their clients carry on without knowing.
class BindingLink final : public Logger, public PipelineControl {
 public:
  BindingLink(Logger* log, PipelineControl* control) : log_(log), control_(control) {}
  void retarget(Logger* log, PipelineControl* control);
  void detach() { retarget(nullptr, nullptr); }

  void log(LogLevel level, const std::string& message) override;
  [[nodiscard]] bool enabled(LogLevel level) const override;
  void set_demand(std::size_t consumers) override;
  bool request_reconnect() override;
  [[nodiscard]] nlohmann::json source_status() const override;

 private:
  mutable std::mutex mutex_;
  Logger* log_;
  PipelineControl* control_;
};

// A sink instance as the server knows it: its pipeline, its routes, its link to the engine.
class SinkBinding {
 public:
  SinkBinding(std::string pipeline, const SinkOptions& options, std::size_t shards, Logger* log,
              PipelineControl* control);
  // Takes over from `predecessor` (the same pipeline's sink on this server, being replaced): the
  // same client count and link, and the endpoints of every route that can keep them (see Route).
  // The link points at `log` and `control` once the server accepted the handover (take_over()).
  SinkBinding(const std::shared_ptr<SinkBinding>& predecessor, const SinkOptions& options, std::size_t shards,
              Logger* log, PipelineControl* control);

  [[nodiscard]] const std::string& pipeline() const { return core_->pipeline(); }
  [[nodiscard]] const std::vector<std::shared_ptr<Route>>& routes() const { return routes_; }
  [[nodiscard]] BindingCore& core() { return *core_; }
  [[nodiscard]] const BindingCore& core() const { return *core_; }
  // The sink stops: endpoints closed, nothing more reaches the engine.
  void close();

  // The instance this one takes over from (null: none); cleared once the handover is done.
  [[nodiscard]] std::shared_ptr<SinkBinding> predecessor() const { return predecessor_; }
  // Points the shared link at this instance's context and forgets the predecessor.
  void take_over();
  // A successor took over: this instance's consume() and stop() leave the endpoints alone.
  void supersede() { superseded_.store(true); }
  [[nodiscard]] bool superseded() const { return superseded_.load(); }
  // The route of `path`, if this binding has one.
  [[nodiscard]] std::shared_ptr<Route> route_for(const std::string& path) const;

 private:
  std::shared_ptr<BindingLink> link_;
  std::shared_ptr<BindingCore> core_;
  std::vector<std::shared_ptr<Route>> routes_;
  std::shared_ptr<SinkBinding> predecessor_;
  Logger* own_log_ = nullptr;
  PipelineControl* own_control_ = nullptr;
  std::atomic<bool> superseded_{false};
};

}  // namespace flowmind::browser_relay
