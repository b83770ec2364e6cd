// Test certificate generation with OpenSSL's EVP/X509 API: an EC P-256 CA and a server certificate it signs.
#include "certificates.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

namespace flowmind::uwsim {
namespace {

namespace fs = std::filesystem;

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct FileClose {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using CertPtr = std::unique_ptr<X509, CertFree>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("OpenSSL failed: ") + what);
}

KeyPtr make_key() {
  KeyPtr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_nconf_nid(nullptr, &context, nid, value);
  check(extension != nullptr, "X509V3_EXT_nconf_nid");
  const int added = X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
  check(added == 1, "X509_add_ext");
}

CertPtr make_certificate(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key, bool ca) {
  CertPtr cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
  unsigned char serial_bytes[16];
  check(RAND_bytes(serial_bytes, sizeof serial_bytes) == 1, "RAND_bytes");
  serial_bytes[0] &= 0x7f;  // a positive serial
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  check(serial != nullptr && BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get())) != nullptr, "serial");
  BN_free(serial);
  // Valid from a day ago (clock skew) for ten years: test certificates must not expire under a long-lived cert dir.
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -86400) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 86400) != nullptr, "notAfter");
  check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("FlowMind uw-sim"),
                                   -1, -1, 0) == 1,
        "subject O");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1,
                                   -1, 0) == 1,
        "subject CN");
  X509* signer = issuer != nullptr ? issuer : cert.get();
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "X509_set_issuer_name");
  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (ca) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    add_extension(cert.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  }
  check(X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

std::unique_ptr<std::FILE, FileClose> open_for_write(const fs::path& path) {
  std::unique_ptr<std::FILE, FileClose> file(std::fopen(path.c_str(), "wb"));
  if (!file) throw std::runtime_error("cannot write " + path.string());
  return file;
}

}  // namespace

CertificateFiles ensure_certificates(const fs::path& dir) {
  CertificateFiles files{dir / "ca.pem", dir / "server.pem", dir / "server.key", false};
  if (fs::exists(files.ca) && fs::exists(files.cert) && fs::exists(files.key)) return files;
  fs::create_directories(dir);
  const auto ca_key = make_key();
  const auto ca_cert = make_certificate(ca_key.get(), "uw-sim test CA", nullptr, nullptr, true);
  const auto server_key = make_key();
  const auto server_cert = make_certificate(server_key.get(), "localhost", ca_cert.get(), ca_key.get(), false);
  {
    auto out = open_for_write(files.key);
    check(PEM_write_PrivateKey(out.get(), server_key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1, "key");
  }
  fs::permissions(files.key, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  {
    auto out = open_for_write(files.cert);
    check(PEM_write_X509(out.get(), server_cert.get()) == 1, "server.pem");
    check(PEM_write_X509(out.get(), ca_cert.get()) == 1, "server.pem chain");
  }
  {
    auto out = open_for_write(files.ca);
    check(PEM_write_X509(out.get(), ca_cert.get()) == 1, "ca.pem");
  }
  files.generated = true;
  return files;
}

}  // namespace flowmind::uwsim
