// Asio types shared by the relay's two Asio translation units (relay_server.cpp, ws_client.cpp) only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "endpoint.hpp"
#include "relay_server.hpp"

namespace flowmind::browser_relay {

class SendBatch;

// One write to a client gathers at most this many frames (header and payload buffers each).
inline constexpr std::size_t write_frames_max = 64;
inline constexpr std::size_t write_buffers_max = 2 * write_frames_max + 2;

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Strand = asio::strand<asio::io_context::executor_type>;
using TlsStream = ssl::stream<tcp::socket>;

// An HTTP session or a WebSocket client, as its shard sees it (on the shard's strand).
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void close_now(std::uint16_t code) = 0;
  virtual void on_ping_tick() {}
};

// One strand and the connections that live on it. Clients of every endpoint are spread over the
// shards, so fan-out runs on all cores; everything of one connection runs on its shard.
struct Shard {
  Shard(asio::io_context& io, std::size_t shard_index)
      : strand(asio::make_strand(io)), index(shard_index), ping_timer(strand) {}

  Strand strand;
  std::size_t index;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections;  // strand-only
  asio::steady_timer ping_timer;
  // Fan-out walks collect the plain clients' writes here (null: one sendmsg per client). Strand-only.
  std::shared_ptr<SendBatch> send_batch;
};

// What a WebSocket client starts with after its upgrade was accepted.
struct ClientSetup {
  std::shared_ptr<RelayServer> server;
  Shard* shard = nullptr;
  std::shared_ptr<Endpoint> endpoint;
  std::shared_ptr<void> ip_slot;  // releases the per-address count when the client goes
  std::string response;           // the 101 answer, sent before the first frame
  std::string leftover;           // bytes the client sent after its request
  std::string peer;               // address, for logs
};

// Start on the shard's strand; the client registers itself with its shard and endpoint.
void start_plain_client(tcp::socket socket, ClientSetup setup);
void start_tls_client(std::unique_ptr<TlsStream> stream, ClientSetup setup);

}  // namespace flowmind::browser_relay
