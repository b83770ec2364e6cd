// One HTTP(S) GET with Beast on a private io_context: a deadline, and cancellable from the caller.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "uw_net/url.hpp"

namespace flowmind::uw_rest {

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string retry_after;   // the Retry-After header, empty when absent
  std::string content_type;  // the Content-Type header, empty when absent
};

// The outcome of one request: a response, or why there is none.
struct HttpOutcome {
  std::optional<HttpResponse> response;
  std::string error;  // set when there is no response (connection, TLS, timeout, oversized body)
  bool cancelled = false;
};

struct HttpRequestSpec {
  uw_net::Url url;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Host, User-Agent, Connection
  std::chrono::nanoseconds timeout{std::chrono::seconds(30)};
  std::size_t body_limit = 16 * 1024 * 1024;
};

// Runs on the caller's thread. A fresh connection per request (polls are seconds apart). The
// request is abandoned (socket closed) once `timeout` passes or `cancelled()` turns true; the
// latter is checked every 50 ms, which is how Source::stop() interrupts a poll in progress.
// `tls` must be given for https URLs (nullptr for http).
HttpOutcome http_get(const HttpRequestSpec& spec, boost::asio::ssl::context* tls,
                     const std::function<bool()>& cancelled);

}  // namespace flowmind::uw_rest
