// The process-wide table of relay servers: sinks with the same listen address share one server.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "flowmind/plugin.hpp"
#include "relay_server.hpp"

namespace flowmind::browser_relay {
namespace {

// Holds no server alive: sinks own them; an entry goes when its last sink leaves.
class Registry {
 public:
  std::shared_ptr<RelayServer> attach(boost::asio::io_context& io, const ServerOptions& options,
                                      const BindingMaker& make_binding, std::shared_ptr<SinkBinding>& binding) {
    // The io_context is part of the identity: a server lives on the threads of one engine.
    const auto key = options.listen() + "|" + std::to_string(reinterpret_cast<std::uintptr_t>(&io));
    std::lock_guard lock(mutex_);
    if (const auto found = servers_.find(key); found != servers_.end()) {
      if (auto server = found->second.lock()) {
        const auto& first = server->options();
        if (first.tls_cert != options.tls_cert || first.tls_key != options.tls_key) {
          throw PluginError("browser_relay: " + options.listen() + " is already served " +
                            (first.tls() ? "with TLS" : "without TLS") + " by another pipeline with different " +
                            "tls_cert/tls_key; give every sink on one listen address the same TLS settings");
        }
        binding = make_binding(*server);
        server->attach(binding);
        const auto differences = first.differences(options);
        if (!differences.empty()) {
          std::string names;
          for (const auto& name : differences) names += (names.empty() ? "" : ", ") + name;
          binding->core().log(LogLevel::warn, "this sink shares " + options.listen() +
                                                  " with another pipeline whose settings win for: " + names);
        }
        return server;
      }
      servers_.erase(found);
    }
    auto server = make_relay_server(io, options);
    try {
      binding = make_binding(*server);
      server->attach(binding);
    } catch (...) {
      server->shutdown();
      throw;
    }
    servers_[key] = server;
    return server;
  }

  void detach(const std::shared_ptr<RelayServer>& server, const std::shared_ptr<SinkBinding>& binding) {
    std::lock_guard lock(mutex_);
    if (server->detach(binding) > 0) return;
    server->shutdown();
    for (auto it = servers_.begin(); it != servers_.end();) {
      const auto current = it->second.lock();
      it = !current || current == server ? servers_.erase(it) : std::next(it);
    }
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::weak_ptr<RelayServer>> servers_;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

std::size_t shard_count_for_host() {
  const auto cores = std::thread::hardware_concurrency();
  return std::clamp<std::size_t>(cores, 1, 16);
}

std::shared_ptr<RelayServer> attach_to_server(boost::asio::io_context& io, const ServerOptions& options,
                                              const BindingMaker& make_binding, std::shared_ptr<SinkBinding>& binding) {
  return registry().attach(io, options, make_binding, binding);
}

void detach_from_server(const std::shared_ptr<RelayServer>& server, const std::shared_ptr<SinkBinding>& binding) {
  registry().detach(server, binding);
}

}  // namespace flowmind::browser_relay
