// Throwaway TLS material for tests: a CA and the certificates it signed, made with the openssl CLI.
#include "test_certificates.hpp"

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace flowmind::testing {
namespace {

void openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "openssl");
  const auto result = run_process(args, std::chrono::seconds(30));
  if (result.exit_code != 0) throw std::runtime_error("openssl " + args[1] + " failed: " + result.out + result.err);
}

// A self-signed CA; the key usage marks it as one, as verifiers require of an issuer.
void make_ca(const std::filesystem::path& cert, const std::filesystem::path& key, const std::string& name) {
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           key.string(), "-out", cert.string(), "-days", "2", "-subj", "/CN=" + name, "-addext",
           "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
}

void make_signed(const std::filesystem::path& dir, const std::string& name, const std::string& extensions,
                 const std::filesystem::path& cert, const std::filesystem::path& key) {
  const auto request = dir / (name + ".csr");
  const auto extension_file = dir / (name + ".ext");
  std::ofstream(extension_file) << extensions;
  openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           key.string(), "-out", request.string(), "-subj", "/CN=" + name});
  openssl({"x509", "-req", "-in", request.string(), "-CA", (dir / "ca.pem").string(), "-CAkey",
           (dir / "ca.key").string(), "-CAcreateserial", "-out", cert.string(), "-days", "2", "-extfile",
           extension_file.string()});
}

}  // namespace

TestCertificates make_test_certificates(const std::filesystem::path& dir) {
  TestCertificates files{dir / "ca.pem",     dir / "server.pem", dir / "server.key",
                         dir / "client.pem", dir / "client.key", dir / "other-ca.pem"};
  make_ca(files.ca, dir / "ca.key", "FlowMind test CA");
  make_ca(files.other_ca, dir / "other-ca.key", "FlowMind other test CA");
  make_signed(dir, "localhost",
              "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
              files.server_cert, files.server_key);
  make_signed(dir, "flowmind-client", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n", files.client_cert,
              files.client_key);
  return files;
}

}  // namespace flowmind::testing
