// Flat annotations: every kind of value, replacement, aliasing, escaping, the lazy DOM, the wire.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "flowmind/event.hpp"

namespace flowmind {
namespace {

nlohmann::json wire_annotations(const Event& event) { return nlohmann::json::parse(event.wire())["annotations"]; }

// The annotations' keys in the order the wire text lists them.
std::vector<std::string> wire_keys(const Event& event) {
  const std::string& wire = event.wire();
  const auto at = wire.find(R"("annotations":)");
  std::vector<std::string> keys;
  if (at == std::string::npos) return keys;
  const auto object = nlohmann::json::parse(wire.substr(at + 14, wire.size() - at - 15));
  // nlohmann sorts keys; the order comes from scanning the text itself.
  for (const auto& [key, value] : object.items()) {
    (void)value;
    keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end(), [&wire, at](const std::string& a, const std::string& b) {
    return wire.find('"' + a + "\":", at) < wire.find('"' + b + "\":", at);
  });
  return keys;
}

TEST(AnnotationsTest, EveryKindReadsBackAsSetAndReachesTheWire) {
  Event event("flow-alerts", R"({"ticker":"SPY"})");
  const std::string owned = "owned text longer than fifteen bytes";
  event.annotate("null", nullptr);
  event.annotate("flag", true);
  event.annotate("count", 42);
  event.annotate("negative", std::int64_t{-7});
  event.annotate("huge", std::numeric_limits<std::uint64_t>::max());
  event.annotate("price", 4.05);
  event.annotate("literal", "buy");
  event.annotate("owned", owned);
  event.annotate("view", std::string_view(owned).substr(0, 5));
  event.annotate("array", nlohmann::json::array({1, "two", nullptr}));
  event.annotate("object", {{"bucket", 3}, {"name", "x"}});
  event.annotate("from_json_number", nlohmann::json(12.5));

  EXPECT_TRUE(event.annotation("null")->is_null());
  EXPECT_TRUE(event.annotation("flag")->boolean_or(false));
  EXPECT_EQ(event.annotation("count")->integer_or(0), 42);
  EXPECT_EQ(event.annotation("negative")->integer_or(0), -7);
  EXPECT_EQ(event.annotation("huge")->kind(), AnnotationValue::Kind::unsigned_integer);
  EXPECT_EQ(event.annotation("huge")->unsigned_or(0), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(event.annotation("huge")->integer_or(-1), -1);  // does not fit int64
  EXPECT_DOUBLE_EQ(event.annotation("price")->number_or(0), 4.05);
  EXPECT_EQ(event.annotation("literal")->text_or(""), "buy");
  EXPECT_EQ(event.annotation("owned")->text_or(""), owned);
  EXPECT_EQ(event.annotation("view")->text_or(""), "owned");
  ASSERT_NE(event.annotation("array")->structured(), nullptr);
  EXPECT_EQ(*event.annotation("array")->structured(), nlohmann::json::array({1, "two", nullptr}));
  EXPECT_EQ(event.annotation("object")->to_json(), nlohmann::json({{"bucket", 3}, {"name", "x"}}));
  EXPECT_EQ(event.annotation("from_json_number")->kind(), AnnotationValue::Kind::number);
  EXPECT_FALSE(event.annotation("absent").has_value());
  // A value of another kind gives the fallback.
  EXPECT_EQ(event.annotation("count")->text_or("none"), "none");
  EXPECT_EQ(event.annotation("literal")->number_or(-1), -1);

  const auto wire = wire_annotations(event);
  EXPECT_EQ(wire, event.annotations());
  EXPECT_EQ(wire["huge"], std::numeric_limits<std::uint64_t>::max());  // exact, as nlohmann keeps it
  EXPECT_NE(event.wire().find(R"("huge":18446744073709551615,)"), std::string::npos) << event.wire();
  EXPECT_EQ(wire["price"], 4.05);
  EXPECT_EQ(wire["object"]["bucket"], 3);
  EXPECT_EQ(event.annotation_list().size(), 12U);
}

// A literal 0 converts to nullptr_t as well as to int: it must still be the number 0.
TEST(AnnotationsTest, ZeroIsANumberAndNullptrIsNull) {
  Event event("c", "{}");
  event.annotate("zero", 0);
  event.annotate("zero_unsigned", 0U);
  event.annotate("zero_long", 0L);
  event.annotate("null", nullptr);
  EXPECT_EQ(event.annotation("zero")->kind(), AnnotationValue::Kind::integer);
  EXPECT_EQ(event.annotation("zero_unsigned")->kind(), AnnotationValue::Kind::integer);
  EXPECT_EQ(event.annotation("zero_long")->kind(), AnnotationValue::Kind::integer);
  EXPECT_TRUE(event.annotation("null")->is_null());
  EXPECT_EQ(wire_annotations(event),
            nlohmann::json({{"zero", 0}, {"zero_unsigned", 0}, {"zero_long", 0}, {"null", nullptr}}));
}

// Character types are not numbers to a reader: 'x' must not become 120 silently.
static_assert(!std::is_convertible_v<char, AnnotationValue>);
static_assert(!std::is_convertible_v<char16_t, AnnotationValue>);
static_assert(std::is_convertible_v<std::uint8_t, AnnotationValue>);

TEST(AnnotationsTest, WholeNumbersCompareExactlyWhateverTheirSize) {
  constexpr auto top = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(AnnotationValue(top), AnnotationValue(top));
  EXPECT_NE(AnnotationValue(top), AnnotationValue(top - 1));  // equal as doubles, not as integers
  EXPECT_NE(AnnotationValue(top), AnnotationValue(std::int64_t{-1}));
  EXPECT_EQ(AnnotationValue(std::uint64_t{5}), AnnotationValue(5));
  EXPECT_EQ(AnnotationValue(-5), AnnotationValue(-5.0));
  EXPECT_EQ(AnnotationValue(nlohmann::json(top)).kind(), AnnotationValue::Kind::unsigned_integer);
}

// Setting a value read from the DOM of the same event: the DOM entry is replaced after the
// value was copied (ASan would see a read of the freed string otherwise).
TEST(AnnotationsTest, AValueReadFromTheDomCanBeSetAgain) {
  Event event("c", "{}");
  event.annotate("side", std::string(64, 's'));
  event.annotate("tags", nlohmann::json::array({std::string(64, 't')}));
  const nlohmann::json& dom = event.annotations();
  event.annotate("side", dom.at("side"));
  event.annotate("tags", dom.at("tags").at(0));
  EXPECT_EQ(event.annotation("side")->text_or(""), std::string(64, 's'));
  EXPECT_EQ(event.annotation("tags")->text_or(""), std::string(64, 't'));
  EXPECT_EQ(dom.at("tags"), std::string(64, 't'));
  EXPECT_EQ(wire_annotations(event), dom);
}

TEST(AnnotationsTest, TheWireListsKeysInTheOrderTheyWereFirstSet) {
  Event event("flow-alerts", "{}");
  event.annotate("zeta", 1);
  event.annotate("alpha", 2);
  event.annotate("mid", 3);
  event.annotate("zeta", "replaced");  // keeps its place
  EXPECT_EQ(wire_keys(event), (std::vector<std::string>{"zeta", "alpha", "mid"}));
  std::vector<std::string> listed;
  for (const auto& [key, value] : event.annotation_list()) listed.emplace_back(key);
  EXPECT_EQ(listed, (std::vector<std::string>{"zeta", "alpha", "mid"}));
  EXPECT_NE(event.wire().find(R"("annotations":{"zeta":"replaced","alpha":2,"mid":3})"), std::string::npos)
      << event.wire();
}

TEST(AnnotationsTest, ReplacingChangesKindAndLengthAndTheWireFollows) {
  Event event("c", "{}");
  event.annotate("a", "short");
  event.annotate("b", 1);
  EXPECT_EQ(wire_annotations(event), nlohmann::json({{"a", "short"}, {"b", 1}}));
  event.annotate("a", "a much longer text than before");
  EXPECT_EQ(wire_annotations(event)["a"], "a much longer text than before");
  event.annotate("a", "s");
  EXPECT_EQ(wire_annotations(event)["a"], "s");
  event.annotate("a", 2.5);
  event.annotate("b", nlohmann::json::array({1}));
  EXPECT_EQ(wire_annotations(event), nlohmann::json({{"a", 2.5}, {"b", {1}}}));
  event.annotate("b", nlohmann::json::array({1, 2}));
  event.annotate("a", "text again");
  EXPECT_EQ(wire_annotations(event), nlohmann::json({{"a", "text again"}, {"b", {1, 2}}}));
  EXPECT_EQ(event.annotation_list().size(), 2U);

  // Many replacements with growing texts: every value stays right (dead text is compacted).
  for (int i = 0; i < 5000; ++i) event.annotate("a", std::string(static_cast<std::size_t>(i % 300), 'x'));
  EXPECT_EQ(event.annotation("a")->text_or(""), std::string(4999 % 300, 'x'));
  EXPECT_EQ(event.annotation("b")->to_json(), nlohmann::json::array({1, 2}));
  EXPECT_EQ(wire_annotations(event)["a"], std::string(4999 % 300, 'x'));
}

// Random sets and replacements of a few keys, each checked against a model: the wire text is
// exactly the model's members, in first-set order.
TEST(AnnotationsTest, RandomReplacementsKeepTheWireTextExact) {
  std::mt19937 random(7);
  const std::vector<std::string> keys = {"a", "side", "premium", "k\"q", "executed_at", "x", "tags", "n"};
  Event event("c", "{}");
  nlohmann::ordered_json model = nlohmann::ordered_json::object();
  for (int step = 0; step < 3000; ++step) {
    const std::string& key = keys[random() % keys.size()];
    nlohmann::json value;
    switch (random() % 6) {
      case 0: value = static_cast<int>(random() % 100000) - 50000; break;
      case 1: value = static_cast<double>(random() % 100000) / 100.0 + 0.01; break;
      case 2: value = std::string(random() % 40, static_cast<char>('a' + random() % 26)); break;
      case 3: value = random() % 2 == 0; break;
      case 4: value = nlohmann::json::array({static_cast<int>(random() % 10), "t"}); break;
      default: value = nullptr; break;
    }
    event.annotate(key, value);
    model[key] = value;
    const std::string& wire = event.wire();
    const std::string expected = R"("annotations":)" + model.dump() + "}";
    ASSERT_EQ(wire.substr(wire.size() - expected.size()), expected) << "step " << step;
  }
}

TEST(AnnotationsTest, AValueReadFromTheSameEventCanBeSetAgain) {
  Event event("c", "{}");
  event.annotate("first", std::string(40, 'a'));
  // The key and the text both point into the event's own buffer; setting them must grow the
  // buffer without reading freed memory (ASan checks this).
  for (int i = 0; i < 50; ++i) {
    const auto value = *event.annotation("first");
    event.annotate("copy" + std::to_string(i), value);
  }
  for (const auto& [key, value] : event.annotation_list()) EXPECT_EQ(value.text_or(""), std::string(40, 'a')) << key;
  const auto entry = event.annotation_list().entry(3);
  event.annotate(entry.key, std::string(200, 'b'));
  EXPECT_EQ(event.annotation("copy2")->text_or(""), std::string(200, 'b'));
  EXPECT_EQ(wire_annotations(event)["copy2"], std::string(200, 'b'));
}

TEST(AnnotationsTest, KeysAndTextsAreEscapedLikeNlohmann) {
  Event event("c", "{}");
  event.annotate("quote\"key", "line\nbreak\t\"quoted\" \\ \x01");
  event.annotate("unicode", "é € 𝄞");
  event.annotate("invalid", std::string("bad \xff byte"));
  const auto wire = wire_annotations(event);
  EXPECT_EQ(wire["quote\"key"], "line\nbreak\t\"quoted\" \\ \x01");
  EXPECT_EQ(wire["unicode"], "é € 𝄞");
  EXPECT_EQ(wire["invalid"], "bad \xef\xbf\xbd byte");  // replaced, never invalid JSON
}

TEST(AnnotationsTest, TheDomIsBuiltOnFirstUseAndKeptUpToDate) {
  Event event("c", "{}");
  EXPECT_TRUE(event.annotations().empty());
  event.annotate("side", "buy");
  const nlohmann::json& dom = event.annotations();
  EXPECT_EQ(dom, nlohmann::json({{"side", "buy"}}));
  event.annotate("side", "sell");
  event.annotate("size", 10);
  EXPECT_EQ(&event.annotations(), &dom);
  EXPECT_EQ(dom, nlohmann::json({{"side", "sell"}, {"size", 10}}));
}

TEST(AnnotationsTest, CloneCopiesTheAnnotationsIndependently) {
  Event event("c", R"({"a":1})");
  event.annotate("side", "buy");
  event.annotate("tags", nlohmann::json::array({"x"}));
  Event copy = event.clone();
  copy.annotate("side", "sell");
  EXPECT_EQ(event.annotation("side")->text_or(""), "buy");
  EXPECT_EQ(copy.annotation("side")->text_or(""), "sell");
  EXPECT_EQ(copy.annotation("tags")->to_json(), nlohmann::json::array({"x"}));
  EXPECT_EQ(wire_annotations(copy), nlohmann::json({{"side", "sell"}, {"tags", {"x"}}}));
}

// A lookup is an optional, not a pointer: comparing it with nullptr must not compile (it would
// compare the value with null instead of asking whether the key is there).
template <typename Found>
concept ComparesWithNull = requires(Found found) {
  found != nullptr;
}
|| requires(Found found) { found == nullptr; };
static_assert(!ComparesWithNull<std::optional<AnnotationValue>>);
static_assert(ComparesWithNull<const AnnotationValue*>);  // the check itself works

TEST(AnnotationsTest, ValuesCompareAsJsonValues) {
  EXPECT_EQ(AnnotationValue(7), AnnotationValue(7.0));
  EXPECT_NE(AnnotationValue(7), AnnotationValue(7.5));
  EXPECT_EQ(AnnotationValue("buy"), AnnotationValue(std::string("buy")));
  EXPECT_NE(AnnotationValue("buy"), AnnotationValue("sell"));
  EXPECT_NE(AnnotationValue("1"), AnnotationValue(1));
  EXPECT_EQ(AnnotationValue(nlohmann::json()), AnnotationValue());
  EXPECT_EQ(AnnotationValue(static_cast<const char*>(nullptr)), AnnotationValue());
  EXPECT_NE(AnnotationValue(false), AnnotationValue());
  const auto array = nlohmann::json::array({1, 2});
  EXPECT_EQ(AnnotationValue(array), AnnotationValue(nlohmann::json::array({1, 2})));
  Event event("c", "{}");
  event.annotate("side", "buy");
  EXPECT_EQ(*event.annotation("side"), "buy");
  EXPECT_TRUE(event.annotation("side") == "buy");
  EXPECT_FALSE(event.annotation("absent") == "buy");  // the optional compares false when absent
}

// The reference: std::to_chars' shortest text, with ".0" on whole numbers as nlohmann writes.
std::string reference_double(double value) {
  if (!std::isfinite(value)) return "null";
  std::array<char, 64> buffer{};
  const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  std::string text(buffer.data(), end);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

TEST(AnnotationsTest, DecimalsAreWrittenExactlyAsToCharsWritesThem) {
  std::mt19937_64 random(20261127);
  std::uniform_int_distribution<int> decimals(0, 7);
  std::uniform_int_distribution<std::int64_t> digits(0, 999'999'999'999);
  std::uniform_int_distribution<int> exponent(-12, 12);
  std::string out;
  int mismatches = 0;
  for (int i = 0; i < 1'000'000 && mismatches < 5; ++i) {
    // Prices and strikes (few decimals) and arbitrary magnitudes, both signs.
    const double value = i % 2 == 0
                             ? static_cast<double>(digits(random) % 10'000'000) / std::pow(10.0, decimals(random))
                             : static_cast<double>(digits(random)) * std::pow(10.0, exponent(random));
    for (const double v : {value, -value}) {
      out.clear();
      json_text::append_double(out, v);
      if (out != reference_double(v)) {
        ++mismatches;
        ADD_FAILURE() << "value " << reference_double(v) << " written as " << out;
      }
    }
  }
  for (const double v : {0.0, -0.0, 0.001, 0.0001, 1e15, 999999999999999.9, 0.1 + 0.2, 1e-300, 5e-324,
                         std::numeric_limits<double>::max(), std::numeric_limits<double>::quiet_NaN(),
                         std::numeric_limits<double>::infinity()}) {
    out.clear();
    json_text::append_double(out, v);
    EXPECT_EQ(out, reference_double(v));
  }
}

}  // namespace
}  // namespace flowmind
