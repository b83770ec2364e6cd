// A test CA and a server certificate for 127.0.0.1/localhost, made with OpenSSL for --tls.
#pragma once

#include <filesystem>

namespace flowmind::uwsim {

struct CertificateFiles {
  std::filesystem::path ca;    // ca.pem: what clients verify against
  std::filesystem::path cert;  // server.pem: the server certificate followed by the CA
  std::filesystem::path key;   // server.key
  bool generated = false;      // false when existing files were reused
};

// Reuses ca.pem/server.pem/server.key in `dir` when all exist, otherwise writes new ones.
// Throws std::runtime_error when OpenSSL or the file system fails.
CertificateFiles ensure_certificates(const std::filesystem::path& dir);

}  // namespace flowmind::uwsim
