// The HTTP/WebSocket server of one listen address, shared by the relay sinks of every pipeline on it.
// Its Asio and Beast code lives in relay_server.cpp and ws_client.cpp only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "endpoint.hpp"
#include "relay_api.hpp"
#include "relay_options.hpp"
#include "route.hpp"

namespace boost::asio {
class io_context;
}

namespace flowmind::browser_relay {

class RelayServer {
 public:
  virtual ~RelayServer() = default;

  [[nodiscard]] virtual const ServerOptions& options() const = 0;
  [[nodiscard]] virtual std::uint16_t port() const = 0;
  [[nodiscard]] virtual std::size_t shard_count() const = 0;
  [[nodiscard]] virtual ServerCounters& counters() = 0;
  // How fan-out writes go out ("io_uring, ..." or "one sendmsg per client (why)"), for status and logs.
  [[nodiscard]] virtual std::string send_path() const = 0;

  // Registers a sink's routes; throws PluginError naming the pipeline that holds a path already.
  // A binding made with a predecessor (a reload replacing the pipeline) takes its place: the
  // predecessor is superseded, its routes that were not taken over are closed.
  virtual void attach(const std::shared_ptr<SinkBinding>& binding) = 0;
  // The attached binding of `pipeline` holding one of `paths`: the one a new instance of the same
  // pipeline takes over from (null: none).
  [[nodiscard]] virtual std::shared_ptr<SinkBinding> predecessor_for(const std::string& pipeline,
                                                                     const std::vector<std::string>& paths) const = 0;
  // Unregisters it and closes its clients without waiting for them; returns the sinks left. A
  // superseded binding closes nothing (its endpoints belong to its successor).
  virtual std::size_t detach(const std::shared_ptr<SinkBinding>& binding) = 0;
  // Stops listening (the port is free when it returns) and closes every connection, without waiting.
  virtual void shutdown() = 0;
  // A frame was appended to the endpoint's log: wake its clients. Thread-safe; never waits.
  virtual void publish(const std::shared_ptr<Endpoint>& endpoint) = 0;
  // Logs through the first attached sink (the server has no log of its own).
  virtual void log(LogLevel level, const std::string& message) = 0;
};

// Shards (strands) a server spreads its clients over: the number of cores, 1 to 16.
std::size_t shard_count_for_host();
// Clients a fan-out walk serves per step (one handler, one batched write when io_uring is on):
// few enough that the upstream keeps being read while a walk runs (so late clients find several
// frames), enough to amortize the post and the batched write.
inline constexpr std::size_t walk_step_clients = 32;

// Binds and starts serving on the io_context; throws PluginError when it cannot (address in use,
// TLS files unusable).
std::shared_ptr<RelayServer> make_relay_server(boost::asio::io_context& io, const ServerOptions& options);

// The process-wide table of servers by (io_context, listen address): the first sink on an address
// creates the server, later ones join it (options that differ: warning, the first sink's win;
// different TLS settings: error); the last one out shuts it down. `make_binding` builds the sink's
// binding once the server is known (taking over from RelayServer::predecessor_for, if any).
using BindingMaker = std::function<std::shared_ptr<SinkBinding>(const RelayServer& server)>;
std::shared_ptr<RelayServer> attach_to_server(boost::asio::io_context& io, const ServerOptions& options,
                                              const BindingMaker& make_binding, std::shared_ptr<SinkBinding>& binding);
void detach_from_server(const std::shared_ptr<RelayServer>& server, const std::shared_ptr<SinkBinding>& binding);

}  // namespace flowmind::browser_relay
