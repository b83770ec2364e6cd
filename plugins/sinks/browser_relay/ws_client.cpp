// One browser's WebSocket after the upgrade: writes its endpoint's shared frames, several per system
// call when it has fallen behind, and reads (and mostly ignores) what it sends. Runs on its shard's strand.
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <span>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "relay_asio.hpp"
#include "send_batch.hpp"
#include "ws_frame.hpp"

namespace flowmind::browser_relay {
namespace {

constexpr std::size_t batch_bytes_max = 256 * 1024;  // bytes gathered into one write (about)
constexpr int writes_per_turn = 8;                   // then the strand is yielded to other clients
constexpr std::size_t read_buffer_size = 4096;

class WsClient : public Connection, public Subscriber, public std::enable_shared_from_this<WsClient> {
 public:
  explicit WsClient(ClientSetup setup)
      : setup_(std::move(setup)),
        server_(*setup_.server),
        endpoint_(*setup_.endpoint),
        parser_(server_.options().max_message_size) {}

  // On the strand: joins the endpoint, sends the 101 answer and the backlog, starts reading.
  void start() {
    setup_.shard->connections[this] = weak_from_this();
    if (!endpoint_.join()) {
      server_.counters().clients.fetch_sub(1);
      finish("endpoint closed");
      return;
    }
    joined_ = true;
    server_.counters().connects.fetch_add(1);
    endpoint_.slot(setup_.shard->index).add(shared_from_this());
    cursor_ = endpoint_.log().start_for_backlog(endpoint_.backlog());
    out_.push_back(make_raw(std::move(setup_.response)));
    server_.log(LogLevel::debug, "client " + setup_.peer + " connected to " + endpoint_.path());
    if (!setup_.leftover.empty()) on_bytes(setup_.leftover);
    setup_.leftover.clear();
    if (!finished_) start_read();
    pump();
  }

  void on_round() override {
    if (finished_) return;
    if (write_blocked()) {
      apply_limits();
      return;
    }
    pump();
  }

  void close_now(std::uint16_t code) override {
    if (finished_) return;
    if (!closing_) begin_close(code);
    flush_before_close();
    finish("server closing");
  }

  void on_ping_tick() override {
    if (finished_) return;
    if (closing_) return finish("close handshake timed out");
    if (awaiting_pong_) {
      endpoint_.counters().ping_timeouts.fetch_add(1);
      return finish("no answer to ping");
    }
    awaiting_pong_ = true;
    queue_control(make_frame(Opcode::ping, {}));
    pump();
  }

 protected:
  virtual void start_read() = 0;
  virtual void write_out() = 0;
  [[nodiscard]] virtual bool write_blocked() const = 0;
  // One last non-blocking attempt to send what is queued (the close frame), if the transport can.
  virtual void flush_before_close() {}
  virtual void close_transport() = 0;

  void pump() {
    if (finished_) return;
    write_out();
  }

  // Takes the next frames from the log into out_, after the queue limits; false when none.
  bool refill() {
    if (closing_ || finished_) return false;
    if (!endpoint_.log().has_from(cursor_)) return !out_.empty();  // nothing new: nothing to take or drop
    const auto before = out_.size();
    const auto& limits = endpoint_.limits();
    const auto take =
        endpoint_.log().take(cursor_, pending_messages_ + inflight_messages_, pending_bytes_ + inflight_bytes_, limits,
                             std::min(write_frames_max, limits.max_messages), batch_bytes_max, out_);
    if (!after_take(take)) return false;
    for (auto i = before; i < out_.size(); ++i) {
      ++pending_messages_;
      pending_bytes_ += out_[i]->size();
    }
    return !out_.empty();
  }

  // For a client that cannot write now: drops (or disconnects) per policy, takes nothing.
  void apply_limits() {
    const auto take = endpoint_.log().take(cursor_, pending_messages_ + inflight_messages_,
                                           pending_bytes_ + inflight_bytes_, endpoint_.limits(), 0, 0, out_);
    after_take(take);
  }

  bool after_take(const FrameLog::Take& take) {
    cursor_ = take.cursor;
    if (take.dropped > 0) endpoint_.counters().dropped.fetch_add(take.dropped, std::memory_order_relaxed);
    if (take.overflow) {
      endpoint_.counters().slow_disconnects.fetch_add(1);
      finish("too slow: its queue is full (when_full: disconnect)");
      return false;
    }
    return true;
  }

  // `bytes` of out_ were written: completed frames leave out_ and are counted.
  void written(std::size_t bytes) {
    std::uint64_t messages = 0;
    std::uint64_t message_bytes = 0;
    while (bytes > 0 && !out_.empty()) {
      const auto& frame = out_.front();
      const auto left = frame->size() - out_offset_;
      if (bytes < left) {
        out_offset_ += bytes;
        break;
      }
      bytes -= left;
      out_offset_ = 0;
      if (frame->data) {
        ++messages;
        message_bytes += frame->size();
        --pending_messages_;
        pending_bytes_ -= frame->size();
      }
      out_.pop_front();
    }
    count_sent(messages, message_bytes);
  }

  void count_sent(std::uint64_t messages, std::uint64_t bytes) {
    if (messages == 0) return;
    endpoint_.counters().messages_sent.fetch_add(messages, std::memory_order_relaxed);
    endpoint_.counters().bytes_sent.fetch_add(bytes, std::memory_order_relaxed);
    server_.counters().messages_sent.fetch_add(messages, std::memory_order_relaxed);
  }

  // Control frames go before the queued data, but never inside a partly written frame.
  void queue_control(FramePtr frame) {
    const auto at = out_.begin() + (out_offset_ > 0 ? 1 : 0);
    out_.insert(at, std::move(frame));
  }

  // Queued data is dropped (not counted as sent), the close frame goes next, reading stops.
  void begin_close(std::uint16_t code) {
    closing_ = true;
    const auto keep = out_offset_ > 0 ? std::size_t{1} : std::size_t{0};
    for (auto i = keep; i < out_.size(); ++i) {
      if (out_[i]->data) {
        --pending_messages_;
        pending_bytes_ -= out_[i]->size();
      }
    }
    out_.erase(out_.begin() + static_cast<std::ptrdiff_t>(keep), out_.end());
    out_.push_back(make_close_frame(code));
  }

  void on_bytes(std::string_view bytes) {
    const auto status = parser_.feed(bytes, [this](Opcode opcode, std::string_view payload) {
      awaiting_pong_ = false;  // any frame shows the client is alive
      if (closing_) return;
      if (opcode == Opcode::ping) {
        queue_control(make_frame(Opcode::pong, std::string(payload)));
      } else if (opcode == Opcode::close) {
        std::uint16_t code = close_normal;
        if (payload.size() >= 2) {
          code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8U) |
                                            static_cast<unsigned char>(payload[1]));
        }
        begin_close(code == 1005 || code == 1006 || code == 1015 ? close_normal : code);
      }
    });
    if (closing_) return;
    if (status == FrameParser::Status::too_big) {
      begin_close(close_too_big);
    } else if (status == FrameParser::Status::protocol_error) {
      begin_close(close_protocol_error);
    }
  }

  // Leaves the endpoint and the shard and closes the transport; once.
  void finish(const std::string& reason) {
    if (finished_) return;
    finished_ = true;
    if (joined_) {
      endpoint_.slot(setup_.shard->index).remove(this);
      endpoint_.leave();
      server_.counters().clients.fetch_sub(1);
      server_.counters().disconnects.fetch_add(1);
      server_.log(LogLevel::debug, "client " + setup_.peer + " left " + endpoint_.path() + ": " + reason);
    }
    setup_.shard->connections.erase(this);
    out_.clear();
    close_transport();
    setup_.ip_slot.reset();
  }

  ClientSetup setup_;
  RelayServer& server_;
  Endpoint& endpoint_;
  std::deque<FramePtr> out_;
  std::size_t out_offset_ = 0;        // bytes of out_.front() already written
  std::size_t pending_messages_ = 0;  // data frames in out_
  std::size_t pending_bytes_ = 0;
  std::size_t inflight_messages_ = 0;  // data frames handed to an asynchronous write (TLS)
  std::size_t inflight_bytes_ = 0;
  std::uint64_t cursor_ = 0;
  FrameParser parser_;
  std::array<char, read_buffer_size> read_buffer_{};
  bool joined_ = false;
  bool closing_ = false;
  bool finished_ = false;
  bool awaiting_pong_ = false;
};

// Plain TCP: frames are written straight from the shared buffers with sendmsg (no copy, several
// frames per call), and only a full socket waits for writability through Asio. During a fan-out
// walk the write joins the shard's SendBatch instead, which sends for 32 clients in one system call.
class PlainClient final : public WsClient, public BatchedWriter {
 public:
  PlainClient(tcp::socket socket, ClientSetup setup) : WsClient(std::move(setup)), socket_(std::move(socket)) {}

  void batch_sent(long result) override {
    batched_ = false;
    if (finished_) return;
    if (after_send(result, batch_total_, true)) write_out();  // frames left (a client behind), or the close
  }

 private:
  void start_read() override {
    socket_.async_read_some(asio::buffer(read_buffer_),
                            [self = shared_from_this(), this](boost::system::error_code error, std::size_t size) {
                              if (finished_) return;
                              if (error)
                                return finish(error == asio::error::eof ? "closed by the client" : error.message());
                              on_bytes(std::string_view(read_buffer_.data(), size));
                              if (closing_) {
                                pump();
                                return;
                              }
                              pump();
                              if (!finished_) start_read();
                            });
  }

  [[nodiscard]] bool write_blocked() const override { return waiting_ || batched_; }

  // Points `iov` at what out_ still holds (after out_offset_); returns the byte count.
  std::size_t gather(std::span<iovec> iov, std::size_t& count) const {
    count = 0;
    std::size_t total = 0;
    std::size_t offset = out_offset_;
    for (const auto& frame : out_) {
      if (count + 2 > iov.size()) break;
      const std::size_t header = frame->header_size;
      if (offset < header) {
        iov[count++] = {const_cast<unsigned char*>(frame->header.data() + offset), header - offset};
        total += header - offset;
        offset = 0;
      } else {
        offset -= header;
      }
      if (offset < frame->payload.size()) {
        iov[count++] = {const_cast<char*>(frame->payload.data() + offset), frame->payload.size() - offset};
        total += frame->payload.size() - offset;
      }
      offset = 0;
    }
    return total;
  }

  // Takes what a sendmsg of `total` bytes returned (bytes, or -errno): true when all of it went (or
  // nothing did, interrupted) and writing may go on; otherwise the client waits or is finished.
  bool after_send(long result, std::size_t total, bool allow_wait) {
    if (result == -EINTR) return true;
    if (result == -EAGAIN || result == -EWOULDBLOCK) {
      if (allow_wait) wait_writable();
      return false;
    }
    if (result < 0) {
      finish(std::string("write failed: ") + std::strerror(static_cast<int>(-result)));
      return false;
    }
    written(static_cast<std::size_t>(result));
    if (static_cast<std::size_t>(result) < total) {
      if (allow_wait) wait_writable();
      return false;
    }
    return true;
  }

  // Returns true when everything queued could be written.
  bool send_now(bool allow_wait) {
    for (int turn = 0; turn < writes_per_turn; ++turn) {
      if (out_.empty() && !refill()) return true;
      if (finished_) return false;
      std::array<iovec, write_buffers_max> iov{};
      std::size_t count = 0;
      const std::size_t total = gather(iov, count);
      msghdr message{};
      message.msg_iov = iov.data();
      message.msg_iovlen = count;
      const auto sent = ::sendmsg(socket_.native_handle(), &message, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (!after_send(sent < 0 ? -errno : static_cast<long>(sent), total, allow_wait)) return false;
    }
    // Still more: let the strand serve other clients first.
    if (allow_wait) asio::post(setup_.shard->strand, [self = shared_from_this()] { self->on_round(); });
    return false;
  }

  // Joins the batch being collected by a fan-out walk; false when there is none (or no room).
  bool join_batch() {
    SendBatch* batch = setup_.shard->send_batch.get();
    if (batch == nullptr || !batch->collecting()) return false;
    if (out_.empty() && !refill()) {
      if (closing_ && out_.empty()) finish("closed");
      return true;
    }
    if (finished_) return true;
    std::size_t count = 0;
    batch_total_ = gather(batch->buffers(), count);
    batch->add(socket_.native_handle(), count, std::shared_ptr<BatchedWriter>(shared_from_this(), this));
    batched_ = true;
    return true;
  }

  void write_out() override {
    if (waiting_ || batched_) return;
    if (join_batch()) return;
    const bool all_out = send_now(true);
    if (all_out && closing_ && out_.empty()) finish("closed");
  }

  void flush_before_close() override {
    if (!waiting_ && !batched_) (void)send_now(false);
  }

  void wait_writable() {
    waiting_ = true;
    socket_.async_wait(tcp::socket::wait_write, [self = shared_from_this(), this](boost::system::error_code error) {
      waiting_ = false;
      if (finished_) return;
      if (error) return finish(error.message());
      pump();
    });
  }

  void close_transport() override {
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  bool waiting_ = false;
  bool batched_ = false;         // a write of out_ is in the shard's batch
  std::size_t batch_total_ = 0;  // its bytes
};

// TLS: frames are copied into one buffer per write (each TLS record is encrypted anyway).
class TlsClient final : public WsClient {
 public:
  TlsClient(std::unique_ptr<TlsStream> stream, ClientSetup setup)
      : WsClient(std::move(setup)), stream_(std::move(stream)) {}

 private:
  void start_read() override {
    stream_->async_read_some(asio::buffer(read_buffer_),
                             [self = shared_from_this(), this](boost::system::error_code error, std::size_t size) {
                               if (finished_) return;
                               if (error) return finish(error.message());
                               on_bytes(std::string_view(read_buffer_.data(), size));
                               pump();
                               if (!finished_ && !closing_) start_read();
                             });
  }

  [[nodiscard]] bool write_blocked() const override { return writing_; }

  void write_out() override {
    if (writing_ || finished_) return;
    if (out_.empty() && !refill()) {
      if (closing_ && out_.empty()) finish("closed");
      return;
    }
    buffer_.clear();
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
    while (!out_.empty() && (buffer_.empty() || buffer_.size() < batch_bytes_max)) {
      const auto& frame = out_.front();
      buffer_.append(reinterpret_cast<const char*>(frame->header.data()), frame->header_size);
      buffer_.append(frame->payload);
      if (frame->data) {
        ++messages;
        bytes += frame->size();
        --pending_messages_;
        pending_bytes_ -= frame->size();
      }
      out_.pop_front();
    }
    inflight_messages_ = messages;
    inflight_bytes_ = bytes;
    writing_ = true;
    asio::async_write(*stream_, asio::buffer(buffer_),
                      [self = shared_from_this(), this](boost::system::error_code error, std::size_t) {
                        writing_ = false;
                        const auto messages_done = inflight_messages_;
                        const auto bytes_done = inflight_bytes_;
                        inflight_messages_ = 0;
                        inflight_bytes_ = 0;
                        if (finished_) return;
                        if (error) return finish(error.message());
                        count_sent(messages_done, bytes_done);
                        pump();
                      });
  }

  void close_transport() override {
    boost::system::error_code ignored;
    stream_->lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
    stream_->lowest_layer().close(ignored);
  }

  std::unique_ptr<TlsStream> stream_;
  std::string buffer_;
  bool writing_ = false;
};

}  // namespace

void start_plain_client(tcp::socket socket, ClientSetup setup) {
  std::make_shared<PlainClient>(std::move(socket), std::move(setup))->start();
}

void start_tls_client(std::unique_ptr<TlsStream> stream, ClientSetup setup) {
  std::make_shared<TlsClient>(std::move(stream), std::move(setup))->start();
}

}  // namespace flowmind::browser_relay
