// The reload diff (added, removed, changed, unchanged) and the redaction of definitions for the admin API.
#include <gtest/gtest.h>

#include "admin/redact.hpp"
#include "runtime/pipeline_diff.hpp"

namespace flowmind::testing {
namespace {

using Names = std::vector<std::string>;

PipelineIdentity identity(const std::string& name, int rate) {
  return {name, {{"pipeline", name}, {"source", {{"type", "generator"}, {"rate", rate}}}}};
}

TEST(PipelineDiffTest, SortsEveryNameIntoExactlyOneOutcome) {
  const auto diff = diff_pipelines({identity("keep", 1), identity("edit", 1), identity("gone", 1)},
                                   {identity("new", 1), identity("edit", 2), identity("keep", 1)});
  EXPECT_EQ(diff.added, Names{"new"});
  EXPECT_EQ(diff.changed, Names{"edit"});
  EXPECT_EQ(diff.unchanged, Names{"keep"});
  EXPECT_EQ(diff.removed, Names{"gone"});
}

TEST(PipelineDiffTest, NothingRunningMeansEverythingIsAdded) {
  const auto diff = diff_pipelines({}, {identity("a", 1), identity("b", 1)});
  EXPECT_EQ(diff.added, (Names{"a", "b"}));
  EXPECT_TRUE(diff.removed.empty() && diff.changed.empty() && diff.unchanged.empty());
}

TEST(PipelineDiffTest, NothingWantedMeansEverythingIsRemovedInRunningOrder) {
  const auto diff = diff_pipelines({identity("b", 1), identity("a", 1)}, {});
  EXPECT_EQ(diff.removed, (Names{"b", "a"}));
  EXPECT_TRUE(diff.added.empty() && diff.changed.empty() && diff.unchanged.empty());
}

TEST(PipelineDiffTest, AnyDifferenceInTheDefinitionIsAChange) {
  auto nested = identity("p", 1);
  nested.definition["sinks"] = {{{"type", "stdout"}, {"buffer", {{"max_events", 10}}}}};
  auto deeper = nested;
  deeper.definition["sinks"][0]["buffer"]["max_events"] = 11;
  EXPECT_EQ(diff_pipelines({nested}, {deeper}).changed, Names{"p"});
  EXPECT_EQ(diff_pipelines({nested}, {nested}).unchanged, Names{"p"});
  // A key order of its own is not a difference: definitions are compared as JSON values.
  PipelineIdentity reordered{"p", nlohmann::json::parse(R"({"source":{"rate":1,"type":"generator"},"pipeline":"p"})")};
  EXPECT_EQ(diff_pipelines({identity("p", 1)}, {reordered}).unchanged, Names{"p"});
}

TEST(RedactTest, EnvironmentValuesShowTheirReference) {
  const auto definition = nlohmann::json::parse(R"({"pipeline":"live","source":{"type":"uw_websocket",
      "url":"wss://api.example/socket?token=s3cr3t","channels":["flow-alerts"],"rate":"5"}})");
  const auto references = nlohmann::json::parse(R"({"/source/url":"wss://api.example/socket?token=${UW_API_TOKEN}",
      "/source/rate":"${RATE:-5}"})");
  const auto shown = redact_definition(definition, references);
  EXPECT_EQ(shown["source"]["url"], "wss://api.example/socket?token=${UW_API_TOKEN}");
  EXPECT_EQ(shown["source"]["rate"], "${RATE:-5}");
  EXPECT_EQ(shown["source"]["channels"], nlohmann::json::array({"flow-alerts"}));
  EXPECT_EQ(shown.dump().find("s3cr3t"), std::string::npos) << shown.dump();
}

TEST(RedactTest, LiteralValuesOfSecretNamedKeysAreMaskedAtAnyDepth) {
  const auto definition = nlohmann::json::parse(R"({"pipeline":"p","source":{"type":"x","token":"abc",
      "auth":{"Password":"hunter2","user":"me"},"credentials":["k1","k2"],"api_key":7,"channels":["a"]},
      "sinks":[{"type":"browser_relay","admin_token":"zzz","path":"/ws"}]})");
  const auto shown = redact_definition(definition, nlohmann::json::object());
  EXPECT_EQ(shown["source"]["token"], "<redacted>");
  EXPECT_EQ(shown["source"]["auth"]["Password"], "<redacted>");
  EXPECT_EQ(shown["source"]["auth"]["user"], "me");
  EXPECT_EQ(shown["source"]["credentials"], nlohmann::json::array({"<redacted>", "<redacted>"}));
  EXPECT_EQ(shown["source"]["api_key"], "<redacted>");
  EXPECT_EQ(shown["sinks"][0]["admin_token"], "<redacted>");
  EXPECT_EQ(shown["sinks"][0]["path"], "/ws");
  EXPECT_EQ(shown["pipeline"], "p");
}

TEST(RedactTest, ASecretKeyHoldingAReferenceShowsTheReference) {
  const auto definition = nlohmann::json::parse(R"({"source":{"token":"the-real-token"}})");
  const auto shown = redact_definition(definition, {{"/source/token", "${UW_API_TOKEN}"}});
  EXPECT_EQ(shown["source"]["token"], "${UW_API_TOKEN}");
}

TEST(RedactTest, SecretKeyNames) {
  for (const auto* key :
       {"token", "admin_token", "TOKEN_FILE", "password", "passwd", "client_secret", "credentials", "api_key"}) {
    EXPECT_TRUE(is_secret_key(key)) << key;
  }
  for (const auto* key : {"path", "channels", "listen", "url", "type", "max_events"}) {
    EXPECT_FALSE(is_secret_key(key)) << key;
  }
}

}  // namespace
}  // namespace flowmind::testing
