// Throwaway TLS material for tests, made with the openssl command line: a CA, a server certificate
// it signed for 127.0.0.1 and localhost, a client certificate, and a second CA that signed neither.
#pragma once

#include <filesystem>

namespace flowmind::testing {

struct TestCertificates {
  std::filesystem::path ca;           // PEM certificate of the CA that signed the server and client certificates
  std::filesystem::path server_cert;  // subjectAltName IP:127.0.0.1, DNS:localhost
  std::filesystem::path server_key;
  std::filesystem::path client_cert;  // for mutual TLS
  std::filesystem::path client_key;
  std::filesystem::path other_ca;  // a CA unrelated to the certificates above
};

// Writes the files into `dir` (EC P-256 keys, valid for two days); throws std::runtime_error with
// openssl's output when a step fails.
TestCertificates make_test_certificates(const std::filesystem::path& dir);

}  // namespace flowmind::testing
