// The NATS connection options both nats plugins share: schema rows, checks and the resolved values.
#include "nats_common/connection_options.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "flowmind/plugin.hpp"

namespace flowmind::nats {
namespace {

std::chrono::milliseconds millis(const Config& config, const std::string& key) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(config.duration(key));
}

bool given(const Config& config, const std::string& key) { return config.has(key) && !config.string(key).empty(); }

// A secret file holds the secret alone; a trailing newline (as editors write it) is not part of it.
std::string read_secret_file(const std::string& key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PluginError(key + ": cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  auto secret = text.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r' || secret.back() == ' ')) {
    secret.pop_back();
  }
  if (secret.empty()) throw PluginError(key + ": '" + path + "' is empty");
  return secret;
}

bool has_white_space(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char c) { return c <= ' ' || c >= 0x7f; });
}

}  // namespace

std::vector<std::string> ConnectionOptions::secrets() const {
  std::vector<std::string> out;
  if (!token.empty()) out.push_back(token);
  if (!password.empty()) out.push_back(password);
  return out;
}

void describe_connection_options(Schema& schema) {
  schema.option("servers", OptionType::list, "NATS server URLs (nats://host:port, tls://host:port), tried in turn")
      .items(OptionType::string)
      .def(nlohmann::json::array({"nats://127.0.0.1:4222"}));
  schema.option("token", OptionType::string, "Authentication token; write ${NATS_TOKEN}, never the token").def("");
  schema.option("token_file", OptionType::string, "File holding the authentication token").def("");
  schema.option("user", OptionType::string, "User name for user/password authentication").def("");
  schema.option("password", OptionType::string, "Password of user; write ${NATS_PASSWORD}, never the password").def("");
  schema.option("password_file", OptionType::string, "File holding the password of user").def("");
  schema.option("credentials_file", OptionType::string, "NATS .creds file (user JWT and NKey seed)").def("");
  schema.option("tls", OptionType::boolean, "Require TLS (implied by tls:// URLs and by ca_file/cert_file)").def(false);
  schema.option("ca_file", OptionType::string, "PEM file of the CAs to trust for the server's certificate").def("");
  schema.option("cert_file", OptionType::string, "PEM client certificate (mutual TLS), with key_file").def("");
  schema.option("key_file", OptionType::string, "PEM private key of cert_file").def("");
  schema.option("tls_hostname", OptionType::string, "Host name expected in the server's certificate").def("");
  schema.option("connect_timeout", OptionType::duration, "Limit for one connection attempt")
      .def("5s")
      .range("10ms", "5m");
  schema.option("reconnect_wait", OptionType::duration, "Delay between reconnect attempts to one server")
      .def("1s")
      .range("1ms", "1h");
  schema.option("reconnect_jitter", OptionType::duration, "Random delay added to reconnect_wait")
      .def("100ms")
      .range("0s", "1h");
  schema.option("reconnect_attempts", OptionType::integer, "Failed reconnects in a row before giving up, 0 = forever")
      .def(0)
      .min(0);
  schema.option("ping_interval", OptionType::duration, "Ping the server this often; two unanswered pings drop it")
      .def("10s")
      .range("10ms", "1h");
  schema.option("connection_name", OptionType::string, "Name shown by the server's monitoring")
      .def("")
      .default_doc("flowmind <pipeline>");
}

std::vector<ConfigIssue> validate_connection_options(const Config& config) {
  std::vector<ConfigIssue> issues;
  const auto error = [&](std::string path, std::string message) {
    issues.push_back({std::move(path), std::move(message), ConfigIssue::Severity::error});
  };
  if (config.has("servers")) {
    const auto& servers = config.at("servers");
    if (servers.empty()) error("servers", "at least one server URL is needed");
    for (std::size_t i = 0; i < servers.size(); ++i) {
      if (!servers[i].is_string()) continue;
      const auto url = servers[i].get<std::string>();
      const auto scheme_end = url.find("://");
      const auto scheme = scheme_end == std::string::npos ? std::string() : url.substr(0, scheme_end);
      if (scheme != "nats" && scheme != "tls") {
        error("servers/" + std::to_string(i), "a NATS server URL starts with nats:// or tls://");
      } else if (url.find('@') != std::string::npos) {
        error("servers/" + std::to_string(i), "put credentials in token/user/password, not in the URL");
      } else if (url.size() == scheme_end + 3 || has_white_space(url)) {
        error("servers/" + std::to_string(i), "the URL has no host or contains white space");
      }
    }
  }
  const auto exclusive = [&](const std::string& a, const std::string& b) {
    if (given(config, a) && given(config, b)) error(b, "give either " + a + " or " + b + ", not both");
  };
  exclusive("token", "token_file");
  exclusive("password", "password_file");
  exclusive("token", "user");
  exclusive("token_file", "user");
  exclusive("credentials_file", "token");
  exclusive("credentials_file", "token_file");
  exclusive("credentials_file", "user");
  if ((given(config, "password") || given(config, "password_file")) && !given(config, "user")) {
    error("password", "a password needs a user");
  }
  if (given(config, "token") && has_white_space(config.string("token"))) {
    error("token", "the token contains white space or control characters");
  }
  if (given(config, "cert_file") != given(config, "key_file")) {
    error(given(config, "cert_file") ? "key_file" : "cert_file", "cert_file and key_file come together");
  }
  return issues;
}

ConnectionOptions read_connection_options(const Config& config) {
  ConnectionOptions options;
  for (const auto& server : config.at("servers")) options.servers.push_back(server.get<std::string>());
  options.token = config.string("token");
  if (given(config, "token_file")) options.token = read_secret_file("token_file", config.string("token_file"));
  options.user = config.string("user");
  options.password = config.string("password");
  if (given(config, "password_file")) {
    options.password = read_secret_file("password_file", config.string("password_file"));
  }
  options.credentials_file = config.string("credentials_file");
  options.ca_file = config.string("ca_file");
  options.cert_file = config.string("cert_file");
  options.key_file = config.string("key_file");
  options.tls_hostname = config.string("tls_hostname");
  options.tls = config.boolean("tls") || !options.ca_file.empty() || !options.cert_file.empty() ||
                std::any_of(options.servers.begin(), options.servers.end(),
                            [](const std::string& url) { return url.rfind("tls://", 0) == 0; });
  for (const auto& [key, path] :
       {std::pair{"ca_file", options.ca_file}, std::pair{"cert_file", options.cert_file},
        std::pair{"key_file", options.key_file}, std::pair{"credentials_file", options.credentials_file}}) {
    if (!path.empty() && !std::ifstream(path)) throw PluginError(std::string(key) + ": cannot read '" + path + "'");
  }
  options.connect_timeout = millis(config, "connect_timeout");
  options.reconnect_wait = millis(config, "reconnect_wait");
  options.reconnect_jitter = millis(config, "reconnect_jitter");
  options.reconnect_attempts = static_cast<int>(config.integer("reconnect_attempts"));
  options.ping_interval = millis(config, "ping_interval");
  options.name = config.string("connection_name");
  return options;
}

}  // namespace flowmind::nats
