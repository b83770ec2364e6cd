// Unit tests of the relay's logic without sockets: routes, framing, handshake, frame log, access
// control, static file resolution, config validation, the stepwise fan-out walk.
#include <fstream>

#include <gtest/gtest.h>

#include "access_control.hpp"
#include "channel_routes.hpp"
#include "endpoint.hpp"
#include "frame_log.hpp"
#include "plugin_test_context.hpp"
#include "relay_options.hpp"
#include "static_files.hpp"
#include "test_support.hpp"
#include "ws_frame.hpp"
#include "ws_handshake.hpp"

namespace flowmind::browser_relay {
namespace {

using flowmind::testing::TempDir;

TEST(RelayRoutes, ChannelPatterns) {
  EXPECT_TRUE(ChannelPattern("flow-alerts").matches("flow-alerts"));
  EXPECT_FALSE(ChannelPattern("flow-alerts").matches("flow-alerts2"));
  EXPECT_TRUE(ChannelPattern("price:*").matches("price:SPY"));
  EXPECT_FALSE(ChannelPattern("price:*").matches("gex:SPY"));
  EXPECT_TRUE(ChannelPattern("*").matches("anything"));
  std::string ticker;
  EXPECT_TRUE(ChannelPattern("gex:{TICKER}").matches("gex:spy", &ticker));
  EXPECT_EQ(ticker, "SPY");
  EXPECT_FALSE(ChannelPattern("gex:{TICKER}").matches("gex:"));
  EXPECT_FALSE(ChannelPattern("gex:{TICKER}").matches("gex_strike:SPY"));
  EXPECT_FALSE(ChannelPattern("gex:{TICKER}").matches("gex:BRK/B"));
}

TEST(RelayRoutes, PathTemplates) {
  const PathTemplate fixed("/api/stream/ws/flow");
  EXPECT_FALSE(fixed.templated());
  EXPECT_FALSE(fixed.ticker_of("/api/stream/ws/flow"));
  const PathTemplate gex("/api/stream/ws/gex/{TICKER}");
  EXPECT_EQ(gex.ticker_of("/api/stream/ws/gex/qqq").value_or(""), "QQQ");
  EXPECT_FALSE(gex.ticker_of("/api/stream/ws/gex/"));
  EXPECT_FALSE(gex.ticker_of("/api/stream/ws/gex/A/B"));
  EXPECT_EQ(gex.path_for("SPY"), "/api/stream/ws/gex/SPY");
  EXPECT_EQ(default_route_id("/api/stream/ws/option-trades/{TICKER}"), "option-trades");
}

TEST(RelayRoutes, RouteChecksReportEachProblem) {
  EXPECT_TRUE(check_route({"/api/stream/ws/gex/{TICKER}", {"gex:{TICKER}"}, "", "", ""}).empty());
  EXPECT_TRUE(check_route({"/x", {"*"}, "", "", ""}).empty());
  const auto field_of = [](const RouteOptions& route) {
    const auto issues = check_route(route);
    return issues.empty() ? std::string("none") : issues.front().field + ": " + issues.front().message;
  };
  EXPECT_NE(field_of({"relative", {"a"}, "", "", ""}).find("path"), std::string::npos);
  EXPECT_NE(field_of({"/a/../b", {"a"}, "", "", ""}).find("'..'"), std::string::npos);
  EXPECT_NE(field_of({"/a?b", {"a"}, "", "", ""}).find("query"), std::string::npos);
  EXPECT_NE(field_of({"/gex/x{TICKER}", {"gex:{TICKER}"}, "", "", ""}).find("whole path segment"), std::string::npos);
  EXPECT_NE(field_of({"/gex/{TICKER}", {"gex"}, "", "", ""}).find("channels/0"), std::string::npos);
  EXPECT_NE(field_of({"/gex", {"gex:{TICKER}"}, "", "", ""}).find("needs {TICKER} in the path"), std::string::npos);
  EXPECT_NE(field_of({"/a", {"pri*ce"}, "", "", ""}).find("only at the end"), std::string::npos);
  EXPECT_NE(field_of({"/a", {}, "", "", ""}).find("at least one channel"), std::string::npos);
  EXPECT_NE(field_of({"/api/stream/status", {"a"}, "", "", ""}).find("HTTP API path"), std::string::npos);
}

TEST(RelayFrames, HeadersUseTheShortestLength) {
  unsigned char header[10];
  EXPECT_EQ(encode_header(Opcode::text, 125, header), 2U);
  EXPECT_EQ(header[0], 0x81);
  EXPECT_EQ(header[1], 125);
  EXPECT_EQ(encode_header(Opcode::text, 126, header), 4U);
  EXPECT_EQ(header[1], 126);
  EXPECT_EQ(header[2], 0);
  EXPECT_EQ(header[3], 126);
  EXPECT_EQ(encode_header(Opcode::ping, 70000, header), 10U);
  EXPECT_EQ(header[0], 0x89);
  EXPECT_EQ(header[1], 127);
  EXPECT_EQ((header[7] << 16) | (header[8] << 8) | header[9], 70000);
}

TEST(RelayFrames, EventFrameCarriesTheWireEnvelopeWithoutCopying) {
  auto event = std::make_shared<const Event>(Event("flow-alerts", R"({"id":"a"})"));
  const auto frame = make_event_frame(event);
  EXPECT_TRUE(frame->data);
  EXPECT_EQ(frame->payload.data(), event->wire().data());  // the event's own buffer
  EXPECT_EQ(frame->size(), 2 + event->wire().size());
}

std::string masked(unsigned char first, const std::string& payload) {
  std::string frame;
  frame += static_cast<char>(first);
  frame += static_cast<char>(0x80U | payload.size());
  const char mask[4] = {1, 2, 3, 4};
  frame.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) frame += static_cast<char>(payload[i] ^ mask[i % 4]);
  return frame;
}

TEST(RelayFrames, ParserUnmasksControlFramesAndSkipsData) {
  FrameParser parser(4096);
  std::vector<std::pair<Opcode, std::string>> seen;
  const auto stream = masked(0x81, "hello") + masked(0x89, "ping!") + masked(0x88, std::string("\x03\xe8", 2));
  // Byte by byte: frames split anywhere are reassembled.
  for (char byte : stream) {
    ASSERT_EQ(parser.feed(std::string_view(&byte, 1),
                          [&](Opcode op, std::string_view payload) { seen.emplace_back(op, std::string(payload)); }),
              FrameParser::Status::ok);
  }
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen[0].first, Opcode::text);
  EXPECT_EQ(seen[0].second, "");  // data is not kept
  EXPECT_EQ(seen[1].first, Opcode::ping);
  EXPECT_EQ(seen[1].second, "ping!");
  EXPECT_EQ(seen[2].first, Opcode::close);
  EXPECT_EQ(parser.data_frames(), 1U);
}

TEST(RelayFrames, ParserRefusesWhatRfc6455Forbids) {
  const auto status_of = [](const std::string& bytes, std::size_t limit = 4096) {
    FrameParser parser(limit);
    return parser.feed(bytes, [](Opcode, std::string_view) {});
  };
  EXPECT_EQ(status_of(std::string("\x81\x05hello", 7)), FrameParser::Status::protocol_error);  // unmasked
  EXPECT_EQ(status_of(masked(0xC1, "x")), FrameParser::Status::protocol_error);                // RSV1
  EXPECT_EQ(status_of(masked(0x83, "x")), FrameParser::Status::protocol_error);                // opcode 3
  EXPECT_EQ(status_of(masked(0x09, "x")), FrameParser::Status::protocol_error);                // fragmented ping
  EXPECT_EQ(status_of(masked(0x80, "x")), FrameParser::Status::protocol_error);                // lone continuation
  EXPECT_EQ(status_of(masked(0x81, std::string(100, 'x')), 64), FrameParser::Status::too_big);
  // Fragments add up against the limit.
  EXPECT_EQ(status_of(masked(0x01, std::string(40, 'x')) + masked(0x80, std::string(40, 'x')), 64),
            FrameParser::Status::too_big);
  EXPECT_EQ(status_of(masked(0x01, std::string(30, 'x')) + masked(0x80, std::string(30, 'x')), 64),
            FrameParser::Status::ok);
}

TEST(RelayFrames, Utf8Validation) {
  EXPECT_TRUE(valid_utf8(R"({"a":"plain ascii text that is long enough"})"));
  EXPECT_TRUE(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8b"));
  EXPECT_FALSE(valid_utf8("bad \xc3"));
  EXPECT_FALSE(valid_utf8("overlong \xc0\xaf"));
  EXPECT_FALSE(valid_utf8("surrogate \xed\xa0\x80"));
  EXPECT_FALSE(valid_utf8("\xff"));
}

TEST(RelayHandshake, AcceptKeyIsTheRfcExample) {
  EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_NE(switching_protocols("dGhlIHNhbXBsZSBub25jZQ==").find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
            std::string::npos);
}

TEST(RelayHandshake, ChecksTheUpgradeRequest) {
  bool mismatch = false;
  UpgradeRequest good{"GET", 11, "websocket", "keep-alive, Upgrade", "13", "dGhlIHNhbXBsZSBub25jZQ=="};
  EXPECT_TRUE(wants_websocket(good));
  EXPECT_FALSE(check_upgrade(good, mismatch));
  auto post = good;
  post.method = "POST";
  EXPECT_TRUE(check_upgrade(post, mismatch));
  auto old = good;
  old.version = "8";
  EXPECT_TRUE(check_upgrade(old, mismatch));
  EXPECT_TRUE(mismatch);
  auto bad_key = good;
  bad_key.key = "short";
  EXPECT_TRUE(check_upgrade(bad_key, mismatch));
  auto no_connection = good;
  no_connection.connection = "keep-alive";
  EXPECT_TRUE(check_upgrade(no_connection, mismatch));
}

FramePtr frame_of_size(std::size_t payload) { return make_frame(Opcode::text, std::string(payload, 'x')); }

TEST(RelayFrameLog, KeepsTheNewestWithinItsLimits) {
  FrameLog log(3, 1000);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(log.append(frame_of_size(10)), static_cast<std::uint64_t>(i));
  EXPECT_EQ(log.size(), 3U);
  EXPECT_EQ(log.head(), 5U);
  EXPECT_EQ(log.start_for_backlog(2), 3U);
  EXPECT_EQ(log.start_for_backlog(10), 2U);
  FrameLog bytes(100, 50);
  for (int i = 0; i < 5; ++i) bytes.append(frame_of_size(18));  // 20 bytes each with the header
  EXPECT_EQ(bytes.size(), 2U);
  EXPECT_LE(bytes.bytes(), 50U);
  bytes.append(frame_of_size(200));  // bigger than the limit: kept alone
  EXPECT_EQ(bytes.size(), 1U);
  bytes.trim_to(0);
  EXPECT_EQ(bytes.size(), 0U);
}

TEST(RelayFrameLog, TakeAppliesDropOldestAndCountsTheDrops) {
  FrameLog log(100, 1 << 20);
  for (int i = 0; i < 10; ++i) log.append(frame_of_size(8));
  std::deque<FramePtr> out;
  const QueueLimits limits{4, 1 << 20, false};
  auto take = log.take(0, 0, 0, limits, 2, 1 << 20, out);
  EXPECT_EQ(take.dropped, 6U);  // 10 waiting, 4 allowed
  EXPECT_EQ(out.size(), 2U);
  EXPECT_EQ(take.cursor, 8U);
  // Two taken but not written yet count against the limit.
  for (int i = 0; i < 3; ++i) log.append(frame_of_size(8));
  take = log.take(take.cursor, 2, 20, limits, 10, 1 << 20, out);
  EXPECT_EQ(take.dropped, 3U);  // 5 waiting + 2 pending, 4 allowed
  EXPECT_EQ(take.cursor, 13U);
  EXPECT_EQ(out.size(), 4U);
}

TEST(RelayFrameLog, TakeReportsOverflowUnderDisconnect) {
  FrameLog log(100, 1 << 20);
  for (int i = 0; i < 5; ++i) log.append(frame_of_size(8));
  std::deque<FramePtr> out;
  const auto take = log.take(0, 0, 0, {4, 1 << 20, true}, 10, 1 << 20, out);
  EXPECT_TRUE(take.overflow);
  EXPECT_TRUE(out.empty());
  const auto fine = log.take(1, 0, 0, {4, 1 << 20, true}, 10, 1 << 20, out);
  EXPECT_FALSE(fine.overflow);
  EXPECT_EQ(out.size(), 4U);
}

TEST(RelayFrameLog, TakeHonoursTheByteLimitAndEvictedFramesCountAsDropped) {
  FrameLog log(3, 1 << 20);
  for (int i = 0; i < 6; ++i) log.append(frame_of_size(98));  // 100 bytes each
  std::deque<FramePtr> out;
  auto take = log.take(0, 0, 0, {100, 250, false}, 10, 1 << 20, out);
  EXPECT_EQ(take.dropped, 4U);  // 3 evicted from the log, 1 over 250 bytes
  EXPECT_EQ(out.size(), 2U);
}

// A client of the walk tests: counts its visits, and can leave its slot when visited.
struct CountingSubscriber : Subscriber {
  void on_round() override {
    ++visits;
    if (leave_on_visit != nullptr) leave_on_visit->remove(this);
  }
  void close_now(std::uint16_t) override {}
  int visits = 0;
  ShardSlot* leave_on_visit = nullptr;
};

TEST(RelayFanoutWalk, VisitsEveryClientOnceInSteps) {
  ShardSlot slot;
  std::vector<std::shared_ptr<CountingSubscriber>> clients;
  for (int i = 0; i < 10; ++i) {
    clients.push_back(std::make_shared<CountingSubscriber>());
    slot.add(clients.back());
  }
  const auto visit = [](Subscriber& client) { client.on_round(); };
  EXPECT_FALSE(slot.walk_step(4, visit));
  EXPECT_TRUE(slot.walking());
  EXPECT_FALSE(slot.walk_step(4, visit));
  EXPECT_TRUE(slot.walk_step(4, visit));  // 10 clients: 4 + 4 + 2
  EXPECT_FALSE(slot.walking());
  for (const auto& client : clients) EXPECT_EQ(client->visits, 1);
  EXPECT_TRUE(slot.walk_step(64, visit));  // a new walk, in one step
  for (const auto& client : clients) EXPECT_EQ(client->visits, 2);
}

TEST(RelayFanoutWalk, ClientsLeavingDuringAWalkAreRemovedAfterIt) {
  ShardSlot slot;
  std::vector<std::shared_ptr<CountingSubscriber>> clients;
  for (int i = 0; i < 6; ++i) {
    clients.push_back(std::make_shared<CountingSubscriber>());
    slot.add(clients.back());
  }
  clients[1]->leave_on_visit = &slot;  // leaves while being visited
  const auto visit = [](Subscriber& client) { client.on_round(); };
  EXPECT_FALSE(slot.walk_step(3, visit));
  slot.remove(clients[4].get());  // leaves between two steps: not visited any more
  EXPECT_EQ(slot.count.load(), 4U);
  EXPECT_EQ(slot.clients.size(), 6U);  // the list keeps its order until the walk ends
  EXPECT_TRUE(slot.walk_step(3, visit));
  EXPECT_EQ(slot.clients.size(), 4U);
  EXPECT_EQ(clients[4]->visits, 0);
  EXPECT_TRUE(slot.walk_step(64, visit));
  EXPECT_EQ(clients[0]->visits, 2);
  EXPECT_EQ(clients[1]->visits, 1);
  EXPECT_EQ(clients[5]->visits, 2);
}

TEST(RelayFanoutWalk, TakingAllClientsEndsTheWalk) {
  ShardSlot slot;
  auto first = std::make_shared<CountingSubscriber>();
  auto second = std::make_shared<CountingSubscriber>();
  slot.add(first);
  slot.add(second);
  const auto visit = [](Subscriber& client) { client.on_round(); };
  EXPECT_FALSE(slot.walk_step(1, visit));
  EXPECT_EQ(slot.take_all().size(), 2U);
  EXPECT_TRUE(slot.walk_step(1, visit));
  EXPECT_EQ(second->visits, 0);
  EXPECT_EQ(slot.count.load(), 0U);
}

TEST(RelayAccess, DefaultOriginsAreTheServersOwn) {
  ServerOptions options;
  options.port = 8000;
  const AccessPolicy access(options, 8000);
  EXPECT_TRUE(access.origin_allowed(std::nullopt));
  EXPECT_TRUE(access.origin_allowed("http://127.0.0.1:8000"));
  EXPECT_TRUE(access.origin_allowed("http://LOCALHOST:8000"));
  EXPECT_FALSE(access.origin_allowed("http://localhost:8001"));
  EXPECT_FALSE(access.origin_allowed("https://127.0.0.1:8000"));
  EXPECT_FALSE(access.origin_allowed("http://evil.example"));
  EXPECT_FALSE(access.origin_allowed("null"));
  options.allowed_origins = {"https://desk.example.com"};
  const AccessPolicy configured(options, 8000);
  EXPECT_TRUE(configured.origin_allowed("https://desk.example.com"));
  EXPECT_FALSE(configured.origin_allowed("http://127.0.0.1:8000"));
  options.allowed_origins = {"*"};
  EXPECT_TRUE(AccessPolicy(options, 8000).origin_allowed("http://anything.example"));
}

TEST(RelayAccess, TokensFromHeaderOrQuery) {
  ServerOptions options;
  options.token = "s3cret";
  const AccessPolicy access(options, 8000);
  EXPECT_FALSE(access.client_token_ok("", "/api/stream/ws/flow"));
  EXPECT_TRUE(access.client_token_ok("Bearer s3cret", "/api/stream/ws/flow"));
  EXPECT_TRUE(access.client_token_ok("bearer  s3cret ", "/x"));
  EXPECT_FALSE(access.client_token_ok("Bearer s3cre", "/x"));
  EXPECT_TRUE(access.client_token_ok("", "/api/stream/ws/flow?a=1&access_token=s3cret"));
  EXPECT_FALSE(access.client_token_ok("", "/api/stream/ws/flow?token=s3cret"));
  EXPECT_EQ(redact_target("/ws?a=1&access_token=s3cret&token=x"), "/ws?a=1&access_token=***&token=***");
  EXPECT_EQ(access.admin("", "/"), AccessPolicy::Admin::unauthorized);  // loopback, client token needed
  EXPECT_EQ(access.admin("Bearer s3cret", "/"), AccessPolicy::Admin::allowed);
  options.host = "0.0.0.0";
  EXPECT_EQ(AccessPolicy(options, 8000).admin("Bearer s3cret", "/"), AccessPolicy::Admin::forbidden);
  options.admin_token = "adm1n";
  const AccessPolicy admin(options, 8000);
  EXPECT_EQ(admin.admin("Bearer adm1n", "/"), AccessPolicy::Admin::allowed);
  EXPECT_EQ(admin.admin("Bearer s3cret", "/"), AccessPolicy::Admin::unauthorized);
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

TEST(RelayAccess, DecodedPaths) {
  EXPECT_EQ(decoded_path("/a%20b?x=1").value_or(""), "/a b");
  EXPECT_FALSE(decoded_path("/a%2"));
  EXPECT_FALSE(decoded_path("/a%00b"));
  EXPECT_EQ(query_parameter("/p?x=1&access_token=a%2Bb", "access_token").value_or(""), "a+b");
}

TEST(RelayStatic, ServesFilesAndRefusesEverythingElse) {
  TempDir root;
  root.write("index.html", "<html>home</html>");
  std::filesystem::create_directories(root.path() / "js");
  root.write("js/app.js", "export {};");
  root.write(".env", "SECRET=1");
  std::filesystem::create_directories(root.path() / "empty");
  TempDir outside;
  outside.write("secret.txt", "outside");
  std::filesystem::create_symlink(outside.path() / "secret.txt", root.path() / "link.txt");

  auto reply = serve_static(root.path(), "/");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "<html>home</html>");
  EXPECT_EQ(reply.content_type, "text/html; charset=utf-8");
  reply = serve_static(root.path(), "/js/app.js");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("a.json"), "application/json; charset=utf-8");
  for (const auto* path : {"/../", "/js/../../etc/passwd", "/.env", "/empty/", "/empty", "/missing.html", "/link.txt",
                           "/js\\app.js", "relative"}) {
    EXPECT_EQ(serve_static(root.path(), path).status, 404) << path;
  }
  EXPECT_EQ(serve_static(root.path() / "missing-root", "/").status, 404);
}

std::vector<ConfigIssue> issues_of(nlohmann::json values) {
  Schema schema;
  describe_options(schema);
  return validate_options(flowmind::testing::with_defaults(schema, std::move(values)));
}

std::string errors_of(nlohmann::json values) {
  std::string text;
  for (const auto& issue : issues_of(std::move(values))) {
    if (issue.severity == ConfigIssue::Severity::error) text += issue.path + ": " + issue.message + "\n";
  }
  return text;
}

TEST(RelayOptions, DefaultsAreTheOriginalBackend) {
  Schema schema;
  describe_options(schema);
  const auto options = read_options(flowmind::testing::with_defaults(schema, nlohmann::json::object()));
  EXPECT_EQ(options.server.listen(), "127.0.0.1:8000");
  EXPECT_TRUE(options.server.loopback());
  ASSERT_EQ(options.sink.routes.size(), 6U);
  EXPECT_EQ(options.sink.routes[0].path, "/api/stream/ws/flow");
  EXPECT_EQ(options.sink.routes[0].channels, std::vector<std::string>{"flow-alerts"});
  EXPECT_EQ(options.sink.routes[1].channels, (std::vector<std::string>{"movers", "price:*"}));
  EXPECT_EQ(options.sink.routes[3].channels, std::vector<std::string>{"congress-trades"});
  EXPECT_EQ(options.sink.routes[4].path, "/api/stream/ws/gex/{TICKER}");
  EXPECT_EQ(options.sink.when_full, WhenFull::drop_oldest);
  EXPECT_EQ(options.server.ping_interval, std::chrono::seconds(60));
  EXPECT_EQ(options.server.max_message_size, 4096U);
  EXPECT_TRUE(errors_of(nlohmann::json::object()).empty());
}

TEST(RelayOptions, ValidationNamesTheKey) {
  EXPECT_NE(errors_of({{"listen", "localhost"}}).find("listen: expected HOST:PORT"), std::string::npos);
  EXPECT_NE(errors_of({{"listen", "example.com:80"}}).find("not an IP address"), std::string::npos);
  EXPECT_NE(errors_of({{"path", "/a"}, {"endpoints", {{{"path", "/b"}, {"channels", {"x"}}}}}}).find("either path"),
            std::string::npos);
  EXPECT_NE(errors_of({{"path", "/gex/{TICKER}"}}).find("use endpoints"), std::string::npos);
  EXPECT_NE(errors_of({{"endpoints", {{{"path", "/a"}, {"channels", {"x"}}}, {{"path", "/a"}, {"channels", {"y"}}}}}})
                .find("endpoints/1/path"),
            std::string::npos);
  EXPECT_NE(errors_of({{"endpoints", {{{"path", "a"}, {"channels", {"x"}}}}}}).find("endpoints/0/path"),
            std::string::npos);
  EXPECT_NE(errors_of({{"backlog", 50}, {"queue_messages", 10}}).find("backlog"), std::string::npos);
  EXPECT_NE(errors_of({{"tls_cert", "a.pem"}}).find("tls_key: tls_cert and tls_key go together"), std::string::npos);
  EXPECT_NE(errors_of({{"allowed_origins", {"desk.example.com"}}}).find("allowed_origins/0"), std::string::npos);
  EXPECT_NE(errors_of({{"allowed_origins", {"https://desk.example.com/"}}}).find("no path"), std::string::npos);
  EXPECT_NE(errors_of({{"token", "has space"}}).find("token: token contains"), std::string::npos);
  bool warned = false;
  for (const auto& issue : issues_of({{"listen", "0.0.0.0:8000"}, {"token", "t"}})) {
    warned = warned || (issue.severity == ConfigIssue::Severity::warning && issue.path == "token");
  }
  EXPECT_TRUE(warned);
  const auto shorthand = errors_of({{"path", "/api/stream/ws/flow"}});
  EXPECT_TRUE(shorthand.empty()) << shorthand;
}

TEST(RelayOptions, ListenAddresses) {
  std::string reason;
  EXPECT_EQ(parse_listen("[::1]:9000", reason)->host, "::1");
  EXPECT_EQ(parse_listen(":9000", reason)->host, "127.0.0.1");
  EXPECT_FALSE(parse_listen("127.0.0.1:70000", reason));
  EXPECT_TRUE(is_loopback_ip("127.1.2.3"));
  EXPECT_TRUE(is_loopback_ip("::1"));
  EXPECT_FALSE(is_loopback_ip("0.0.0.0"));
  EXPECT_FALSE(is_loopback_ip("10.0.0.1"));
}

}  // namespace
}  // namespace flowmind::browser_relay
