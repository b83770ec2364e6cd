// The browser_relay sink: routes each event to its endpoints on the shared server of its listen address.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "flowmind/plugin.hpp"
#include "relay_options.hpp"
#include "relay_server.hpp"

namespace flowmind::browser_relay {

class BrowserRelaySink final : public Sink {
 public:
  explicit BrowserRelaySink(RelayOptions options);
  ~BrowserRelaySink() override;

  // Joins (or opens) the server of `listen` and registers this sink's paths; throws PluginError
  // when a path is taken or the address cannot be served. A path held by a running instance of the
  // same pipeline (being replaced by a reload) is taken over with its clients instead.
  void start(StageContext& ctx) override;
  // Never waits on a client: appends the event's frame to its endpoints' logs and wakes them.
  void consume(const EventPtr& event) override;
  // Unregisters the paths and closes their clients without waiting for them; after a takeover it
  // leaves them to the successor.
  void stop() override;
  [[nodiscard]] nlohmann::json status() const override;

  // The port actually served (listen port 0 picks one); 0 before start().
  [[nodiscard]] std::uint16_t port() const;

 private:
  const std::vector<std::shared_ptr<Endpoint>>& endpoints_for(const std::string& channel);

  RelayOptions options_;
  mutable std::mutex mutex_;  // server_ and binding_ (status() runs on other threads)
  std::shared_ptr<RelayServer> server_;
  std::shared_ptr<SinkBinding> binding_;
  // consume() only: channel -> endpoints (bounded).
  std::unordered_map<std::string, std::vector<std::shared_ptr<Endpoint>>> routing_;
  std::vector<std::shared_ptr<Endpoint>> uncached_;  // a lookup the ticker limit refused
  std::atomic<std::uint64_t> events_{0};
  std::atomic<std::uint64_t> unrouted_{0};
  std::atomic<std::uint64_t> invalid_utf8_{0};
  std::atomic<std::uint64_t> superseded_{0};  // events not sent: a successor instance took over
};

// The "metrics" array of status() from the rest of it.
nlohmann::json status_metrics(const nlohmann::json& status);

}  // namespace flowmind::browser_relay
