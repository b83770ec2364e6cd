// A DOM-free JSON scanner: walks an object's members as text spans so hot paths never build a tree.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace flowmind::uw {

enum class JsonType : std::uint8_t { missing, null, boolean, number, string, array, object };

// A value as it appears in the text. No allocation, no decoding: `text` points into the input.
//   string: the characters between the quotes, escapes left as written (`escaped` says if any)
//   number: the literal; boolean: "true"/"false"; null: "null"
//   array/object: the whole value including its brackets
struct JsonView {
  JsonType type = JsonType::missing;
  std::string_view text;
  bool escaped = false;

  [[nodiscard]] bool missing() const { return type == JsonType::missing; }
  [[nodiscard]] bool is_true() const { return type == JsonType::boolean && text.size() == 4; }
};

// Iterates the members of one JSON object. Top-level structure is checked strictly (quotes,
// colons, commas, closing brace, nothing but whitespace after it); nested arrays and objects are
// only checked for balanced brackets outside strings, because the hot path never looks inside
// them (a plugin that needs them asks the event for the full DOM, which validates everything).
class ObjectCursor {
 public:
  // `text` must hold one object, optionally surrounded by whitespace.
  explicit ObjectCursor(std::string_view text);

  // Moves to the next member; false at the end or on malformed input (then ok() is false).
  bool next(std::string_view& key, bool& key_escaped, JsonView& value);
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  bool fail() {
    ok_ = false;
    done_ = true;
    return false;
  }

  const char* p_;
  const char* end_;
  bool ok_ = true;
  bool first_ = true;
  bool done_ = false;
};

// Iterates the elements of one JSON array (same checks as ObjectCursor).
class ArrayCursor {
 public:
  explicit ArrayCursor(std::string_view text);
  bool next(JsonView& value);
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  bool fail() {
    ok_ = false;
    done_ = true;
    return false;
  }

  const char* p_;
  const char* end_;
  bool ok_ = true;
  bool first_ = true;
  bool done_ = false;
};

// Scans one value starting at text[pos] (leading whitespace allowed); on success `pos` is just
// past it. Returns false on malformed input.
bool scan_value(std::string_view text, std::size_t& pos, JsonView& out);

// The payload object of a raw event: the text itself when it is an object, or the second element
// of a UW WebSocket message `["channel", {...}]`. Empty when neither.
std::string_view payload_object(std::string_view raw);

// Decodes a string's escapes (\n, \", \uXXXX with surrogate pairs) and appends to `out`. Returns
// false on a malformed escape (what was decoded so far stays appended).
bool decode_string(std::string_view escaped_text, std::string& out);
// The text of a string value, decoded when needed.
std::string string_text(const JsonView& value);

// The member `key` of an object (missing when absent or when the object is malformed).
JsonView find_member(std::string_view object_text, std::string_view key);
// A member by dotted path ("a.b.c"), descending through nested objects.
JsonView find_path(std::string_view object_text, std::string_view dotted_path);

// A cheap name code for dispatching on member names in `case` labels: the length and the first
// eight bytes, mixed. Different names can share a code (names sharing length and first eight
// bytes always do), so a match must still be confirmed by comparing the names; duplicate case
// labels make the compiler refuse codes that collide among the names a switch lists.
constexpr std::uint64_t name_code(std::string_view text) {
  std::uint64_t word = 0;
  if (!std::is_constant_evaluated() && std::endian::native == std::endian::little && text.size() >= 8) {
    std::memcpy(&word, text.data(), sizeof word);  // one load instead of eight
  } else {
    const std::size_t n = text.size() < 8 ? text.size() : 8;
    for (std::size_t i = 0; i < n; ++i) word |= std::uint64_t{static_cast<unsigned char>(text[i])} << (8 * i);
  }
  return (word ^ (std::uint64_t{text.size()} * 0x9E3779B97F4A7C15ULL)) * 0xD6E8FEB86659FD93ULL;
}

}  // namespace flowmind::uw
