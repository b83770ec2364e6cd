// A real HTTP server on 127.0.0.1 for tests of answers uw-sim cannot give: scripted raw responses, or silence.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

namespace flowmind::uw_rest::testing {

// Answers the n-th request with the n-th scripted response (the last one repeats). With no
// script at all it accepts connections and never answers (a hung server).
class CannedHttpServer {
 public:
  explicit CannedHttpServer(std::vector<std::string> responses) : responses_(std::move(responses)) {
    acceptor_.open(boost::asio::ip::tcp::v4());
    acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
    acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    do_accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~CannedHttpServer() {
    io_.stop();
    thread_.join();
  }
  CannedHttpServer(const CannedHttpServer&) = delete;
  CannedHttpServer& operator=(const CannedHttpServer&) = delete;

  [[nodiscard]] int port() const { return acceptor_.local_endpoint().port(); }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  [[nodiscard]] std::size_t connections() const {
    std::lock_guard lock(mutex_);
    return connections_;
  }
  // The request heads received so far.
  [[nodiscard]] std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  static std::string response(int status, const std::string& body, const std::string& extra_headers = {}) {
    return "HTTP/1.1 " + std::to_string(status) +
           " Canned\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
           extra_headers + "Connection: close\r\n\r\n" + body;
  }

 private:
  struct Connection {
    explicit Connection(boost::asio::io_context& io) : socket(io) {}
    boost::asio::ip::tcp::socket socket;
    boost::asio::streambuf buffer;
    std::string answer;
  };

  void do_accept() {
    auto connection = std::make_shared<Connection>(io_);
    acceptor_.async_accept(connection->socket, [this, connection](const boost::system::error_code& error) {
      if (error) return;
      {
        std::lock_guard lock(mutex_);
        ++connections_;
        open_.push_back(connection);  // kept open until the server goes away
      }
      if (!responses_.empty()) do_read(connection);
      do_accept();
    });
  }

  void do_read(const std::shared_ptr<Connection>& connection) {
    boost::asio::async_read_until(
        connection->socket, connection->buffer, "\r\n\r\n",
        [this, connection](const boost::system::error_code& error, std::size_t bytes) {
          if (error) return;
          const std::string head(boost::asio::buffers_begin(connection->buffer.data()),
                                 boost::asio::buffers_begin(connection->buffer.data()) + static_cast<long>(bytes));
          {
            std::lock_guard lock(mutex_);
            connection->answer = responses_[std::min(requests_.size(), responses_.size() - 1)];
            requests_.push_back(head);
          }
          boost::asio::async_write(connection->socket, boost::asio::buffer(connection->answer),
                                   [connection](const boost::system::error_code&, std::size_t) {
                                     boost::system::error_code ignored;
                                     connection->socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
                                   });
        });
  }

  std::vector<std::string> responses_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::size_t connections_ = 0;
  std::vector<std::string> requests_;
  std::vector<std::shared_ptr<Connection>> open_;
};

}  // namespace flowmind::uw_rest::testing
