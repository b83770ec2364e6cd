// The shared connection options: checks beyond the schema, secrets from files, TLS implied by its keys.
#include <gtest/gtest.h>

#include "flowmind/plugin.hpp"
#include "nats_common/connection_options.hpp"
#include "plugin_test_context.hpp"
#include "test_support.hpp"

namespace flowmind::nats {
namespace {

using flowmind::testing::TempDir;
using flowmind::testing::with_defaults;

Schema schema() {
  Schema s;
  describe_connection_options(s);
  return s;
}

std::vector<std::string> issues(const nlohmann::json& values) {
  std::vector<std::string> out;
  for (const auto& issue : validate_connection_options(with_defaults(schema(), values))) {
    out.push_back(issue.path + ": " + issue.message);
  }
  return out;
}

TEST(ConnectionOptions, DefaultsAreValidAndPointAtLocalhost) {
  EXPECT_TRUE(issues(nlohmann::json::object()).empty());
  const auto options = read_connection_options(with_defaults(schema(), nlohmann::json::object()));
  EXPECT_EQ(options.servers, std::vector<std::string>{"nats://127.0.0.1:4222"});
  EXPECT_FALSE(options.tls);
  EXPECT_EQ(options.reconnect_attempts, 0);
  EXPECT_EQ(options.connect_timeout, std::chrono::seconds(5));
}

TEST(ConnectionOptions, RejectsBadUrlsAndCredentialsInUrls) {
  EXPECT_EQ(issues({{"servers", nlohmann::json::array()}}).size(), 1U);
  const auto bad = issues({{"servers", {"http://x:4222", "nats://u:p@x:4222", "nats://", "tls://ok:4222"}}});
  ASSERT_EQ(bad.size(), 3U);
  EXPECT_NE(bad[0].find("servers/0"), std::string::npos);
  EXPECT_NE(bad[1].find("not in the URL"), std::string::npos);
  EXPECT_NE(bad[2].find("servers/2"), std::string::npos);
}

TEST(ConnectionOptions, CredentialKindsAreExclusiveAndPaired) {
  EXPECT_FALSE(issues({{"token", "t"}, {"token_file", "/f"}}).empty());
  EXPECT_FALSE(issues({{"token", "t"}, {"user", "u"}}).empty());
  EXPECT_FALSE(issues({{"password", "p"}}).empty());
  EXPECT_FALSE(issues({{"credentials_file", "/c"}, {"user", "u"}}).empty());
  EXPECT_FALSE(issues({{"cert_file", "/c"}}).empty());
  EXPECT_FALSE(issues({{"token", "has space"}}).empty());
  EXPECT_TRUE(issues({{"user", "u"}, {"password", "p"}}).empty());
  EXPECT_TRUE(issues({{"cert_file", "/c"}, {"key_file", "/k"}}).empty());
}

TEST(ConnectionOptions, SecretsComeFromFilesWithoutTheTrailingNewline) {
  TempDir dir;
  const auto token = dir.write("token", "s3cret-token\n");
  const auto password = dir.write("password", "pw\r\n");
  auto options = read_connection_options(with_defaults(schema(), {{"token_file", token.string()}}));
  EXPECT_EQ(options.token, "s3cret-token");
  EXPECT_EQ(options.secrets(), std::vector<std::string>{"s3cret-token"});
  options = read_connection_options(with_defaults(schema(), {{"user", "u"}, {"password_file", password.string()}}));
  EXPECT_EQ(options.password, "pw");
  EXPECT_THROW(read_connection_options(with_defaults(schema(), {{"token_file", (dir.path() / "none").string()}})),
               PluginError);
  const auto empty = dir.write("empty", "\n");
  EXPECT_THROW(read_connection_options(with_defaults(schema(), {{"token_file", empty.string()}})), PluginError);
}

TEST(ConnectionOptions, TlsIsImpliedByTlsUrlsAndFilesAndFilesMustExist) {
  TempDir dir;
  const auto ca = dir.write("ca.pem", "not really a CA");
  EXPECT_TRUE(read_connection_options(with_defaults(schema(), {{"servers", {"tls://h:4222"}}})).tls);
  EXPECT_TRUE(read_connection_options(with_defaults(schema(), {{"ca_file", ca.string()}})).tls);
  EXPECT_TRUE(read_connection_options(with_defaults(schema(), {{"tls", true}})).tls);
  EXPECT_THROW(read_connection_options(with_defaults(schema(), {{"ca_file", (dir.path() / "missing.pem").string()}})),
               PluginError);
}

}  // namespace
}  // namespace flowmind::nats
