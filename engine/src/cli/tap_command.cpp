// `flowmind tap`: streams a running pipeline's events at one stage from the admin API to stdout.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

#include "admin/admin_server.hpp"
#include "cli/commands.hpp"

namespace flowmind::cli {
namespace {

// A blocking TCP connection that reads through a small buffer.
class Connection {
 public:
  Connection(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const auto service = std::to_string(port);
    if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
      throw std::runtime_error(std::string("cannot resolve ") + host + ": " + ::gai_strerror(rc));
    }
    for (auto* address = found; address != nullptr && fd_ < 0; address = address->ai_next) {
      fd_ = ::socket(address->ai_family, address->ai_socktype, address->ai_protocol);
      if (fd_ >= 0 && ::connect(fd_, address->ai_addr, address->ai_addrlen) != 0) {
        ::close(fd_);
        fd_ = -1;
      }
    }
    const int error = errno;
    ::freeaddrinfo(found);
    if (fd_ < 0) {
      throw std::runtime_error("cannot connect to the admin API at " + host + ":" + service + ": " +
                               std::strerror(error) + " (is flowmind run going, with --admin-listen there?)");
    }
  }
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void send_all(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error(std::string("cannot send the request: ") + std::strerror(errno));
      sent += static_cast<std::size_t>(n);
    }
  }
  // One line without its CRLF/LF; nullopt at the end of the stream.
  std::optional<std::string> line() {
    std::string text;
    for (;;) {
      const auto c = next();
      if (!c) return text.empty() ? std::nullopt : std::optional<std::string>(text);
      if (*c == '\n') break;
      text += *c;
    }
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return text;
  }
  // Exactly `count` bytes (fewer only at the end of the stream).
  std::string bytes(std::size_t count) {
    std::string text;
    while (text.size() < count) {
      const auto c = next();
      if (!c) break;
      text += *c;
    }
    return text;
  }
  std::string rest() {
    std::string text;
    while (const auto c = next()) text += *c;
    return text;
  }

 private:
  std::optional<char> next() {
    if (position_ == filled_) {
      const auto n = ::recv(fd_, buffer_, sizeof buffer_, 0);
      if (n <= 0) return std::nullopt;
      filled_ = static_cast<std::size_t>(n);
      position_ = 0;
    }
    return buffer_[position_++];
  }

  int fd_ = -1;
  char buffer_[16384];
  std::size_t filled_ = 0;
  std::size_t position_ = 0;
};

}  // namespace

int tap_command(const TapOptions& options) {
  AdminOptions admin;
  try {
    admin = parse_listen_address(options.admin);
  } catch (const std::invalid_argument& error) {
    std::cerr << "error: --admin: " << error.what() << '\n';
    return 2;
  }
  Connection connection(admin.host, admin.port);
  const auto host = admin.host.find(':') == std::string::npos ? admin.host : "[" + admin.host + "]";
  connection.send_all("GET /pipelines/" + options.pipeline + "/tap?stage=" + std::to_string(options.stage) +
                      "&limit=" + std::to_string(options.limit) + " HTTP/1.1\r\nHost: " + host + ":" +
                      std::to_string(admin.port) + "\r\nAccept: application/x-ndjson\r\nConnection: close\r\n\r\n");
  const auto status_line = connection.line();
  if (!status_line || status_line->size() < 12) {
    std::cerr << "error: the admin API closed the connection without an answer\n";
    return 1;
  }
  const int status = std::atoi(status_line->substr(9, 3).c_str());
  bool chunked = false;
  while (const auto header = connection.line()) {
    if (header->empty()) break;
    std::string lower(*header);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind("transfer-encoding:", 0) == 0 && lower.find("chunked") != std::string::npos) chunked = true;
  }
  if (status != 200 || !chunked) {
    std::cerr << "error: tap refused (HTTP " << status << "): " << connection.rest();
    return 1;
  }
  // Each chunk holds whole lines; empty lines are the server's heartbeats.
  std::string pending;
  std::size_t printed = 0;
  for (;;) {
    const auto size_line = connection.line();
    if (!size_line) break;
    const auto size = std::stoul(*size_line, nullptr, 16);
    if (size == 0) break;
    pending += connection.bytes(size);
    (void)connection.line();  // the CRLF after the chunk
    std::size_t start = 0;
    for (auto end = pending.find('\n'); end != std::string::npos; end = pending.find('\n', start)) {
      if (end > start) {
        std::cout.write(pending.data() + start, static_cast<std::streamsize>(end - start));
        std::cout << '\n';
        ++printed;
      }
      start = end + 1;
    }
    pending.erase(0, start);
    std::cout.flush();
    if (!std::cout) return 1;  // stdout closed (e.g. `| head`)
    if (options.limit > 0 && printed >= options.limit) break;
  }
  return 0;
}

}  // namespace flowmind::cli
