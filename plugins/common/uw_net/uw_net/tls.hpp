// TLS client setup for the UW sources: verified peers, SNI and host-name checks.
#pragma once

#include <string>

#include <boost/asio/ssl/context.hpp>

namespace flowmind::uw_net {

// TLS 1.2 or newer, peer verification on. An empty `ca_file` trusts the system CA store;
// otherwise only the CAs in that PEM file. Throws PluginError when the file cannot be used.
boost::asio::ssl::context make_tls_client_context(const std::string& ca_file);

// Per connection: SNI (host names only) and verification that the certificate matches `host`
// (IP addresses are matched against the certificate's IP entries). Throws PluginError on failure.
void configure_tls_stream(SSL* ssl, const std::string& host);

}  // namespace flowmind::uw_net
