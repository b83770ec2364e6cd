// Tests of the DOM-free JSON scanner: members, nesting, escapes, envelopes and malformed input.
#include "uw/json_scan.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace flowmind::uw {
namespace {

struct Member {
  std::string key;
  JsonType type;
  std::string text;
};

std::vector<Member> members(std::string_view text, bool* ok = nullptr) {
  std::vector<Member> out;
  ObjectCursor cursor(text);
  std::string_view key;
  bool escaped = false;
  JsonView value;
  while (cursor.next(key, escaped, value)) out.push_back({std::string(key), value.type, std::string(value.text)});
  if (ok != nullptr) *ok = cursor.ok();
  return out;
}

TEST(JsonScan, WalksEveryMemberWithItsTypeAndText) {
  bool ok = false;
  const auto found =
      members(R"( { "a" : 1.5e3 , "b":"x y","c":true,"d":false,"e":null,"f":[1,{"g":"]"}],"h":{"i":[]}} )", &ok);
  ASSERT_TRUE(ok);
  ASSERT_EQ(found.size(), 7U);
  EXPECT_EQ(found[0].key, "a");
  EXPECT_EQ(found[0].type, JsonType::number);
  EXPECT_EQ(found[0].text, "1.5e3");
  EXPECT_EQ(found[1].type, JsonType::string);
  EXPECT_EQ(found[1].text, "x y");
  EXPECT_EQ(found[2].type, JsonType::boolean);
  EXPECT_EQ(found[3].type, JsonType::boolean);
  EXPECT_EQ(found[4].type, JsonType::null);
  EXPECT_EQ(found[5].type, JsonType::array);
  EXPECT_EQ(found[5].text, R"([1,{"g":"]"}])");
  EXPECT_EQ(found[6].key, "h");
  EXPECT_EQ(found[6].type, JsonType::object);
  EXPECT_EQ(found[6].text, R"({"i":[]})");
}

TEST(JsonScan, EmptyObjectIsValid) {
  bool ok = false;
  EXPECT_TRUE(members("{}", &ok).empty());
  EXPECT_TRUE(ok);
  EXPECT_TRUE(members(" { } \n", &ok).empty());
  EXPECT_TRUE(ok);
}

TEST(JsonScan, StringsWithEscapedQuotesAndBackslashes) {
  bool ok = false;
  const auto found = members(R"({"k\"ey":"a\"b","p":"c:\\","q":"\\\"","r":"plain"})", &ok);
  ASSERT_TRUE(ok);
  ASSERT_EQ(found.size(), 4U);
  EXPECT_EQ(found[0].key, R"(k\"ey)");
  EXPECT_EQ(found[0].text, R"(a\"b)");
  EXPECT_EQ(found[1].text, R"(c:\\)");
  EXPECT_EQ(found[2].text, R"(\\\")");
  EXPECT_EQ(found[3].text, "plain");
}

TEST(JsonScan, EscapedFlagIsSetOnlyWhenABackslashOccurs) {
  ObjectCursor cursor(R"({"a":"x\ny","b":"xy"})");
  std::string_view key;
  bool key_escaped = true;
  JsonView value;
  ASSERT_TRUE(cursor.next(key, key_escaped, value));
  EXPECT_TRUE(value.escaped);
  EXPECT_FALSE(key_escaped);
  ASSERT_TRUE(cursor.next(key, key_escaped, value));
  EXPECT_FALSE(value.escaped);
}

TEST(JsonScan, MalformedInputIsReportedNeverThrown) {
  const std::vector<std::string> bad = {
      "",
      "   ",
      "[1,2]",
      "nope",
      "{",
      R"({"a")",
      R"({"a":})",
      R"({"a":1,})",
      R"({"a":1 "b":2})",
      R"({"a":"unterminated})",
      R"({"a":[1,2})",
      R"({"a":{"b":1]})",
      R"({"a":tru})",
      R"({"a":nul})",
      R"({a:1})",
      R"({"a":1}trailing)",
      R"({"a":1}})",
      R"({"a":-})"
      "x",
      std::string(100, '['),
  };
  for (const auto& text : bad) {
    bool ok = true;
    members(text, &ok);
    EXPECT_FALSE(ok) << text;
  }
}

TEST(JsonScan, DeepNestingBeyondTheLimitIsRefused) {
  std::string deep = R"({"a":)";
  for (int i = 0; i < 70; ++i) deep += '[';
  for (int i = 0; i < 70; ++i) deep += ']';
  deep += '}';
  bool ok = true;
  members(deep, &ok);
  EXPECT_FALSE(ok);
  std::string fine = R"({"a":)" + std::string(60, '[') + std::string(60, ']') + "}";
  members(fine, &ok);
  EXPECT_TRUE(ok);
}

TEST(JsonScan, ArrayCursorWalksElements) {
  ArrayCursor cursor(R"([ "a", 2, [3], {"x":"]"} , null ])");
  std::vector<JsonType> types;
  JsonView value;
  while (cursor.next(value)) types.push_back(value.type);
  EXPECT_TRUE(cursor.ok());
  EXPECT_EQ(types, (std::vector<JsonType>{JsonType::string, JsonType::number, JsonType::array, JsonType::object,
                                          JsonType::null}));
  ArrayCursor empty("[]");
  EXPECT_FALSE(empty.next(value));
  EXPECT_TRUE(empty.ok());
  ArrayCursor trailing("[1,]");
  while (trailing.next(value)) {
  }
  EXPECT_FALSE(trailing.ok());
  ArrayCursor not_array("{}");
  EXPECT_FALSE(not_array.next(value));
  EXPECT_FALSE(not_array.ok());
}

TEST(JsonScan, PayloadObjectUnwrapsUwMessages) {
  EXPECT_EQ(payload_object(R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(payload_object(R"( ["price:SPY", {"close":"1"}] )"), R"({"close":"1"})");
  EXPECT_EQ(payload_object(R"(["price:SPY",{"close":"1"},3])"), "");
  EXPECT_EQ(payload_object(R"([1,{"close":"1"}])"), "");
  EXPECT_EQ(payload_object(R"(["x",[1]])"), "");
  EXPECT_EQ(payload_object(R"(["x",{"a":1})"), "");
  EXPECT_EQ(payload_object("42"), "");
  EXPECT_EQ(payload_object(""), "");
}

TEST(JsonScan, DecodeStringHandlesEveryEscape) {
  std::string out;
  ASSERT_TRUE(decode_string(R"(a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00)", out));
  EXPECT_EQ(out, "a\"b\\c/d\b\f\n\r\tA\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  for (const char* bad : {R"(\x)", R"(\u12)", R"(\uZZZZ)", R"(\ud83d)", R"(\ud83dx)", R"(\ude00)", "\\"}) {
    out.clear();
    EXPECT_FALSE(decode_string(bad, out)) << bad;
  }
}

TEST(JsonScan, FindMemberAndPath) {
  const std::string text = R"({"a":{"b":{"c":"deep"},"n":5},"x\u0079":"escaped key","t":"top"})";
  EXPECT_EQ(find_member(text, "t").text, "top");
  EXPECT_EQ(find_member(text, "xy").text, "escaped key");
  EXPECT_TRUE(find_member(text, "missing").missing());
  EXPECT_EQ(find_path(text, "a.b.c").text, "deep");
  EXPECT_EQ(find_path(text, "a.n").text, "5");
  EXPECT_TRUE(find_path(text, "a.n.z").missing());
  EXPECT_TRUE(find_path(text, "a.q").missing());
  EXPECT_TRUE(find_member("not json", "a").missing());
}

TEST(JsonScan, StringTextDecodesOnlyWhenNeeded) {
  JsonView plain{JsonType::string, "abc", false};
  EXPECT_EQ(string_text(plain), "abc");
  JsonView escaped{JsonType::string, R"(a\tb)", true};
  EXPECT_EQ(string_text(escaped), "a\tb");
}

TEST(JsonScan, NameCodeIsTheSameAtCompileTimeAndRunTime) {
  static_assert(name_code("ticker") != name_code("tickers"));
  static_assert(name_code("total_ask_side_prem") != name_code("total_bid_side_prem"));
  for (const std::string name : {"a", "price", "ticker", "executed_at", "total_ask_side_prem"}) {
    switch (name_code(name)) {
      case name_code("a"):
      case name_code("price"):
      case name_code("ticker"):
      case name_code("executed_at"):
      case name_code("total_ask_side_prem"): break;
      default: ADD_FAILURE() << name;
    }
  }
  // Names sharing length and first eight bytes share a code: callers confirm by comparing.
  EXPECT_EQ(name_code("abcdefgh1"), name_code("abcdefgh2"));
}

}  // namespace
}  // namespace flowmind::uw
