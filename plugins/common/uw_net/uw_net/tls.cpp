// TLS client setup for the UW sources: verified peers, SNI and host-name checks.
#include "uw_net/tls.hpp"

#include <fstream>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <boost/asio/ip/address.hpp>

#include "flowmind/plugin.hpp"

namespace flowmind::uw_net {

boost::asio::ssl::context make_tls_client_context(const std::string& ca_file) {
  boost::asio::ssl::context context(boost::asio::ssl::context::tls_client);
  context.set_options(boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_sslv2 |
                      boost::asio::ssl::context::no_sslv3 | boost::asio::ssl::context::no_tlsv1 |
                      boost::asio::ssl::context::no_tlsv1_1);
  if (SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION) != 1) {
    throw PluginError("cannot require TLS 1.2 or newer");
  }
  context.set_verify_mode(boost::asio::ssl::verify_peer);
  if (ca_file.empty()) {
    boost::system::error_code error;
    context.set_default_verify_paths(error);
    if (error) throw PluginError("cannot load the system CA store: " + error.message());
    return context;
  }
  if (!std::ifstream(ca_file).good()) {
    throw PluginError("ca_file '" + ca_file + "' cannot be read");
  }
  boost::system::error_code error;
  context.load_verify_file(ca_file, error);
  if (error) {
    throw PluginError("ca_file '" + ca_file + "' holds no usable PEM CA certificate (" + error.message() + ")");
  }
  return context;
}

void configure_tls_stream(SSL* ssl, const std::string& host) {
  boost::system::error_code not_ip;
  (void)boost::asio::ip::make_address(host, not_ip);
  if (!not_ip) {
    // An IP literal: no SNI (RFC 6066 forbids it); the certificate must list the address.
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1) {
      throw PluginError("cannot set up certificate verification for address " + host);
    }
    return;
  }
  // SSL_set_tlsext_host_name() is a macro with a C cast; this is what it expands to.
  if (SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               static_cast<void*>(const_cast<char*>(host.c_str()))) != 1) {
    throw PluginError("cannot set the TLS server name (SNI) " + host);
  }
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (SSL_set1_host(ssl, host.c_str()) != 1) {
    throw PluginError("cannot set up certificate verification for host " + host);
  }
}

}  // namespace flowmind::uw_net
