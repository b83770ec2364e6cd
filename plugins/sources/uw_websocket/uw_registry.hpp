// The process-wide table of UW connections: pipelines with the same URL and token share one, and
// at most 3 distinct connections per token exist at a time (UW's limit).
#pragma once

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "uw_inbox.hpp"
#include "uw_options.hpp"

namespace flowmind::uw_websocket {

class Upstream;

inline constexpr std::size_t max_connections_per_token = 3;

// Attaches the inbox to the connection for (url, token) on this io_context, opening it if needed.
// Throws FatalSourceError when that would be a fourth connection for the token, PluginError when
// the connection cannot be set up (ca_file).
std::shared_ptr<Upstream> acquire_upstream(boost::asio::io_context& io, const Options& options,
                                           const std::shared_ptr<Inbox>& inbox);
// Detaches the inbox; the last one out closes the connection and waits (up to a few seconds) until
// its leave and close frames are out.
void release_upstream(const std::shared_ptr<Upstream>& upstream, const std::shared_ptr<Inbox>& inbox);
// A connection that failed for good leaves the table, so the next pipeline starts afresh.
void forget_upstream(const std::string& key, const Upstream* upstream);

}  // namespace flowmind::uw_websocket
