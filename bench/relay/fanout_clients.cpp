// Client side of RFC 6455 as far as a receive-only benchmark client needs: upgrade, unmasked server frames,
// fragments, ping -> pong, close; every message's stamp feeds the counters and the latency histogram.
#include "fanout_clients.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "bench_payloads.hpp"

namespace flowmind::bench {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::size_t read_chunk = 32 * 1024;
constexpr std::uint64_t max_message = 16 * 1024 * 1024;
constexpr auto retry_delay = std::chrono::milliseconds(100);

std::string base64(const unsigned char* data, std::size_t size) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < size; i += 3) {
    const unsigned a = data[i];
    const unsigned b = i + 1 < size ? data[i + 1] : 0;
    const unsigned c = i + 2 < size ? data[i + 2] : 0;
    const unsigned triple = (a << 16) | (b << 8) | c;
    out += alphabet[(triple >> 18) & 63];
    out += alphabet[(triple >> 12) & 63];
    out += i + 1 < size ? alphabet[(triple >> 6) & 63] : '=';
    out += i + 2 < size ? alphabet[triple & 63] : '=';
  }
  return out;
}

// A distinct nonce per client is all a server checks; it need not be unpredictable here.
std::string websocket_key(std::size_t index) {
  unsigned char nonce[16];
  std::uint64_t state = 0x9E3779B97F4A7C15ULL * (index + 1);
  for (auto& byte : nonce) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    byte = static_cast<unsigned char>(state);
  }
  return base64(nonce, sizeof nonce);
}

}  // namespace

struct FanoutClients::Client {
  Client(net::io_context& io, std::size_t position) : socket(io), retry(io), index(position) {}

  tcp::socket socket;
  net::steady_timer retry;
  std::size_t index;
  std::string request;
  std::string carry;         // the handshake response
  std::vector<char> buffer;  // received bytes; a partial frame stays at the front between reads
  std::size_t filled = 0;
  std::string fragment;
  bool fragmented = false;
  std::deque<std::string> out;
  bool open = false;
  bool has_seq = false;
  std::uint64_t last_seq = 0;
  std::uint64_t step_received = 0;
  std::uint32_t mask_state = 0;
};

FanoutClients::FanoutClients(net::io_context& io, ClientTarget target) : io_(io), target_(std::move(target)) {}

FanoutClients::~FanoutClients() = default;

void FanoutClients::connect(std::size_t count, std::size_t concurrency,
                            std::chrono::steady_clock::time_point deadline) {
  deadline_ = deadline;
  concurrency_ = std::max<std::size_t>(concurrency, 1);
  const auto first = clients_.size();
  for (std::size_t i = 0; i < count; ++i) clients_.push_back(std::make_unique<Client>(io_, first + i));
  start_next();
}

void FanoutClients::start_next() {
  while (in_flight_ < concurrency_ && next_to_start_ < clients_.size()) {
    ++in_flight_;
    do_connect(*clients_[next_to_start_++]);
  }
}

void FanoutClients::do_connect(Client& client) {
  client.socket.async_connect(target_.endpoint, [this, &client](error_code ec) { on_connect(client, ec); });
}

void FanoutClients::on_connect(Client& client, error_code ec) {
  if (ec) {
    error_code ignored;
    client.socket.close(ignored);
    if (std::chrono::steady_clock::now() + retry_delay < deadline_) {
      client.retry.expires_after(retry_delay);
      client.retry.async_wait([this, &client](error_code wait_ec) {
        if (!wait_ec) do_connect(client);
      });
      return;
    }
    return handshake_failed(client, "connect: " + ec.message());
  }
  client.socket.set_option(tcp::no_delay(true));
  do_handshake(client);
}

void FanoutClients::do_handshake(Client& client) {
  client.request = "GET " + target_.target + " HTTP/1.1\r\nHost: " + target_.host +
                   "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " +
                   websocket_key(client.index) + "\r\n";
  if (!target_.origin.empty()) client.request += "Origin: " + target_.origin + "\r\n";
  client.request += "\r\n";
  net::async_write(client.socket, net::buffer(client.request), [this, &client](error_code ec, std::size_t) {
    if (ec) return handshake_failed(client, "upgrade request: " + ec.message());
    net::async_read_until(
        client.socket, net::dynamic_buffer(client.carry, 64 * 1024), "\r\n\r\n",
        [this, &client](error_code read_ec, std::size_t bytes) { on_handshake(client, read_ec, bytes); });
  });
}

void FanoutClients::on_handshake(Client& client, error_code ec, std::size_t header_bytes) {
  if (ec) return handshake_failed(client, "upgrade response: " + ec.message());
  const std::string_view response(client.carry.data(), header_bytes);
  if (!response.starts_with("HTTP/1.1 101")) {
    return handshake_failed(client, "upgrade refused: " + std::string(response.substr(0, response.find('\r'))));
  }
  client.request = std::string();
  client.open = true;
  ++open_;
  --in_flight_;
  // Frames may have come with the response.
  client.buffer.resize(std::max(read_chunk, client.carry.size() - header_bytes));
  client.filled = client.carry.size() - header_bytes;
  std::memcpy(client.buffer.data(), client.carry.data() + header_bytes, client.filled);
  client.carry = std::string();
  on_read(client, {}, 0);
  start_next();
}

void FanoutClients::handshake_failed(Client& client, const std::string& why) {
  if (first_error_.empty()) first_error_ = why;
  ++failed_;
  --in_flight_;
  error_code ignored;
  client.socket.close(ignored);
  start_next();
}

void FanoutClients::do_read(Client& client) {
  if (client.buffer.size() - client.filled < read_chunk / 4) client.buffer.resize(client.buffer.size() * 2);
  client.socket.async_read_some(net::buffer(client.buffer.data() + client.filled, client.buffer.size() - client.filled),
                                [this, &client](error_code ec, std::size_t bytes) { on_read(client, ec, bytes); });
}

// async_read_some rather than async_wait + read: Asio tries a read at once only while the last one filled
// its buffer, and a wait would cost an epoll_ctl per message; one read takes every frame waiting.
void FanoutClients::on_read(Client& client, error_code ec, std::size_t bytes) {
  if (ec) {
    if (ec != net::error::operation_aborted) lost(client);
    return;
  }
  client.filled += bytes;
  const auto used = parse_frames(client, client.buffer.data(), client.filled, now_us());
  if (!client.open) return;
  if (used != 0) {
    std::memmove(client.buffer.data(), client.buffer.data() + used, client.filled - used);
    client.filled -= used;
  }
  do_read(client);
}

std::size_t FanoutClients::parse_frames(Client& client, const char* data, std::size_t size, std::uint64_t now) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data);
  std::size_t pos = 0;
  while (client.open && size - pos >= 2) {
    const unsigned first = bytes[pos];
    const unsigned second = bytes[pos + 1];
    std::size_t header = 2;
    std::uint64_t length = second & 0x7F;
    if (length == 126) {
      if (size - pos < 4) break;
      length = (std::uint64_t{bytes[pos + 2]} << 8) | bytes[pos + 3];
      header = 4;
    } else if (length == 127) {
      if (size - pos < 10) break;
      length = 0;
      for (std::size_t i = 0; i < 8; ++i) length = (length << 8) | bytes[pos + 2 + i];
      header = 10;
    }
    if (length > max_message) {
      lost(client);
      break;
    }
    const bool masked = (second & 0x80) != 0;  // servers must not mask; tolerated anyway
    if (masked) header += 4;
    if (size - pos < header + length) break;
    const char* payload = data + pos + header;
    std::string unmasked;
    if (masked) {
      unmasked.assign(payload, static_cast<std::size_t>(length));
      for (std::size_t i = 0; i < unmasked.size(); ++i) unmasked[i] ^= data[pos + header - 4 + i % 4];
      payload = unmasked.data();
    }
    on_frame(client, (first & 0x80) != 0, first & 0x0F, std::string_view(payload, static_cast<std::size_t>(length)),
             now);
    pos += header + static_cast<std::size_t>(length);
  }
  return pos;
}

void FanoutClients::on_frame(Client& client, bool fin, unsigned opcode, std::string_view payload, std::uint64_t now) {
  switch (opcode) {
    case 0x1:
    case 0x2:
      if (fin) return on_message(client, payload, now);
      client.fragment.assign(payload);
      client.fragmented = true;
      return;
    case 0x0:
      if (!client.fragmented) return lost(client);
      client.fragment.append(payload);
      if (client.fragment.size() > max_message) return lost(client);
      if (fin) {
        client.fragmented = false;
        on_message(client, client.fragment, now);
        client.fragment.clear();
      }
      return;
    case 0x8: send_control(client, 0x8, payload.substr(0, 2)); return lost(client);
    case 0x9: return send_control(client, 0xA, payload);
    default: return;  // pong or reserved
  }
}

void FanoutClients::on_message(Client& client, std::string_view text, std::uint64_t now) {
  ++totals_.messages;
  totals_.bytes += text.size();
  const auto stamp = find_stamp(text);
  if (!stamp) {
    ++totals_.unstamped;
    return;
  }
  if (recording_) latency_.record(now >= stamp->sent_us ? now - stamp->sent_us : 0);
  if (client.has_seq && stamp->seq <= client.last_seq) {
    ++totals_.out_of_order;
    return;
  }
  client.has_seq = true;
  client.last_seq = stamp->seq;
  if (stamp->seq >= step_first_seq_) ++client.step_received;
}

// Client frames are masked (RFC 6455 5.3); control payloads are at most 125 bytes.
void FanoutClients::send_control(Client& client, unsigned opcode, std::string_view payload) {
  payload = payload.substr(0, 125);
  client.mask_state = client.mask_state * 1664525u + 1013904223u + static_cast<std::uint32_t>(client.index);
  unsigned char mask[4];
  for (int i = 0; i < 4; ++i) mask[i] = static_cast<unsigned char>(client.mask_state >> (8 * i));
  std::string frame;
  frame += static_cast<char>(0x80 | opcode);
  frame += static_cast<char>(0x80 | payload.size());
  frame.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) frame += static_cast<char>(payload[i] ^ mask[i % 4]);
  client.out.push_back(std::move(frame));
  if (client.out.size() == 1) do_write(client);
}

void FanoutClients::do_write(Client& client) {
  net::async_write(client.socket, net::buffer(client.out.front()), [this, &client](error_code ec, std::size_t) {
    if (ec) return;  // the read side reports the loss
    client.out.pop_front();
    if (!client.out.empty()) do_write(client);
  });
}

void FanoutClients::lost(Client& client) {
  if (!client.open) return;
  client.open = false;
  --open_;
  ++totals_.closed;
  // The socket stays open until the pending close reply is written or fails; the relay sees EOF then.
  error_code ignored;
  client.socket.shutdown(tcp::socket::shutdown_receive, ignored);
}

void FanoutClients::begin_step(std::uint64_t first_seq) {
  step_first_seq_ = first_seq;
  for (auto& client : clients_) client->step_received = 0;
}

std::uint64_t FanoutClients::step_received() const {
  std::uint64_t total = 0;
  for (const auto& client : clients_) total += client->step_received;
  return total;
}

std::size_t FanoutClients::caught_up(std::uint64_t seq) const {
  std::size_t count = 0;
  for (const auto& client : clients_) {
    if (client->open && client->has_seq && client->last_seq >= seq) ++count;
  }
  return count;
}

}  // namespace flowmind::bench

namespace flowmind::bench {

std::uint64_t FanoutClients::slowest_next_seq() const {
  std::uint64_t slowest = ~std::uint64_t{0};
  for (const auto& client : clients_) {
    if (client->open) slowest = std::min(slowest, client->has_seq ? client->last_seq + 1 : 0);
  }
  return slowest == ~std::uint64_t{0} ? 0 : slowest;
}

}  // namespace flowmind::bench
