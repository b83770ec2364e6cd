// Unit tests of the TLS client setup: CA files that work and fail, SNI and host verification.
#include <string>

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "flowmind/plugin.hpp"
#include "test_support.hpp"
#include "uw_net/tls.hpp"

namespace flowmind::uw_net {
namespace {

using flowmind::testing::TempDir;

std::string plugin_error_of(const std::string& ca_file) {
  try {
    (void)make_tls_client_context(ca_file);
  } catch (const PluginError& error) {
    return error.what();
  }
  return {};
}

TEST(UwNetTls, TheSystemStoreContextVerifiesPeersWithTls12OrNewer) {
  auto context = make_tls_client_context("");
  EXPECT_EQ(SSL_CTX_get_verify_mode(context.native_handle()) & SSL_VERIFY_PEER, SSL_VERIFY_PEER);
  EXPECT_EQ(SSL_CTX_get_min_proto_version(context.native_handle()), TLS1_2_VERSION);
}

TEST(UwNetTls, AMissingOrUnusableCaFileIsAClearPluginError) {
  TempDir dir;
  const auto missing = (dir.path() / "nope.pem").string();
  EXPECT_NE(plugin_error_of(missing).find("ca_file '" + missing + "' cannot be read"), std::string::npos);
  const auto garbage = dir.write("garbage.pem", "this is not a certificate\n").string();
  EXPECT_NE(plugin_error_of(garbage).find("no usable PEM CA certificate"), std::string::npos);
}

TEST(UwNetTls, AGeneratedCaFileIsAccepted) {
  TempDir dir;
  const auto key = (dir.path() / "ca.key").string();
  const auto cert = (dir.path() / "ca.pem").string();
  const auto result =
      flowmind::testing::run_process({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                                      "-out", cert, "-days", "2", "-subj", "/CN=uw_net test CA"},
                                     std::chrono::seconds(60));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto context = make_tls_client_context(cert);
  EXPECT_EQ(SSL_CTX_get_verify_mode(context.native_handle()) & SSL_VERIFY_PEER, SSL_VERIFY_PEER);
}

TEST(UwNetTls, HostNamesGetSniAndNameVerificationAddressesOnlyIpVerification) {
  auto context = make_tls_client_context("");
  SSL* named = SSL_new(context.native_handle());
  ASSERT_NE(named, nullptr);
  configure_tls_stream(named, "api.unusualwhales.com");
  EXPECT_STREQ(SSL_get_servername(named, TLSEXT_NAMETYPE_host_name), "api.unusualwhales.com");
  EXPECT_STREQ(SSL_get0_peername(named), nullptr);  // set only after a verified handshake
  EXPECT_STREQ(X509_VERIFY_PARAM_get0_host(SSL_get0_param(named), 0), "api.unusualwhales.com");
  SSL_free(named);

  SSL* address = SSL_new(context.native_handle());
  ASSERT_NE(address, nullptr);
  configure_tls_stream(address, "127.0.0.1");
  EXPECT_EQ(SSL_get_servername(address, TLSEXT_NAMETYPE_host_name), nullptr);
  EXPECT_EQ(X509_VERIFY_PARAM_get0_host(SSL_get0_param(address), 0), nullptr);
  SSL_free(address);
}

}  // namespace
}  // namespace flowmind::uw_net
