// The uw_websocket source: subscribes the pipeline to the shared UW connection and emits the
// messages of its channels from its own thread, so its backpressure stays its own.
#pragma once

#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>

#include "flowmind/plugin.hpp"
#include "uw_inbox.hpp"
#include "uw_options.hpp"

namespace flowmind::uw_websocket {

class Upstream;

class UwWebSocketSource final : public Source {
 public:
  // Throws PluginError when ca_file cannot be used.
  explicit UwWebSocketSource(Options options);

  void run(SourceContext& ctx) override;
  void stop() override;
  bool reconnect() override;
  [[nodiscard]] nlohmann::json status() const override;

 private:
  [[nodiscard]] nlohmann::json status_locked() const;

  Options options_;
  mutable std::mutex mutex_;
  std::shared_ptr<Upstream> upstream_;  // while run() is subscribed
  std::shared_ptr<Inbox> inbox_;
  nlohmann::json last_status_;  // after run() returned
  bool stop_requested_ = false;
};

// The "metrics" array of status() (exported by /metrics) from the rest of the status object.
nlohmann::json status_metrics(const nlohmann::json& status);

}  // namespace flowmind::uw_websocket
