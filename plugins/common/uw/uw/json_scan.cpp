// The DOM-free JSON scanner: string, number, literal and bracket skipping over raw payload text.
#include "uw/json_scan.hpp"

#include <array>
#include <bit>
#include <cstring>

namespace flowmind::uw {
namespace {

// Nested containers deeper than this are refused (the depth stack is one 64-bit word).
constexpr int max_depth = 64;

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

const char* skip_space(const char* p, const char* end) {
  while (p < end && is_space(*p)) ++p;
  return p;
}

// The high bit of each byte of `word` (little-endian order) that is '"' or '\\', exact up to
// the first such byte (SWAR zero-byte test after XOR; later bytes may show false hits).
std::uint64_t quote_or_backslash_bits(std::uint64_t word) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  const std::uint64_t quote = word ^ (ones * static_cast<unsigned char>('"'));
  const std::uint64_t backslash = word ^ (ones * static_cast<unsigned char>('\\'));
  return (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash)) & highs;
}

// `p` is just past an opening quote. Returns the closing quote (nullptr when there is none) and
// says whether a backslash occurs. Eight bytes at a time to the next quote or backslash: most
// of a UW payload is plain string text.
const char* scan_string(const char* p, const char* end, bool& escaped) {
  escaped = false;
  while (p < end) {
    if constexpr (std::endian::native == std::endian::little) {
      if (end - p >= 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, sizeof word);
        const std::uint64_t hits = quote_or_backslash_bits(word);
        if (hits == 0) {
          p += 8;
          continue;
        }
        p += std::countr_zero(hits) / 8;  // the first quote or backslash
      }
    }
    const char c = *p;
    if (c == '"') return p;
    if (c == '\\') {
      if (end - p < 2) return nullptr;
      escaped = true;
      p += 2;  // the escaped character, whatever it is, cannot end the string
      continue;
    }
    ++p;
  }
  return nullptr;
}

constexpr std::array<bool, 256> number_chars = [] {
  std::array<bool, 256> table{};
  for (char c : std::string_view("0123456789+-.eE")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

bool is_number_char(char c) { return number_chars[static_cast<unsigned char>(c)]; }

const char* scan_literal(const char* p, const char* end, std::string_view word) {
  if (static_cast<std::size_t>(end - p) < word.size() || std::memcmp(p, word.data(), word.size()) != 0) return nullptr;
  return p + word.size();
}

// `p` is at '[' or '{'. Returns the end of the container (just past the matching bracket), or
// nullptr. Strings are skipped whole so brackets inside them do not count.
const char* skip_container(const char* p, const char* end) {
  std::uint64_t kinds = 0;  // bit i set = level i is an object
  int depth = 0;
  while (p < end) {
    const char c = *p;
    if (c == '"') {
      bool escaped = false;
      p = scan_string(p + 1, end, escaped);
      if (p == nullptr) return nullptr;
      ++p;
      continue;
    }
    if (c == '{' || c == '[') {
      if (depth == max_depth) return nullptr;
      const std::uint64_t bit = std::uint64_t{1} << depth;
      kinds = c == '{' ? (kinds | bit) : (kinds & ~bit);
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return nullptr;
      --depth;
      const bool object = ((kinds >> depth) & 1U) != 0;
      if (object != (c == '}')) return nullptr;
      if (depth == 0) return p + 1;
    }
    ++p;
  }
  return nullptr;
}

// One value at `p` (leading whitespace allowed). Returns the end of the value, or nullptr.
const char* scan_value(const char* p, const char* end, JsonView& out) {
  p = skip_space(p, end);
  if (p >= end) return nullptr;
  const char* start = p;
  const char c = *p;
  out.escaped = false;
  switch (c) {
    case '"': {
      const char* close = scan_string(p + 1, end, out.escaped);
      if (close == nullptr) return nullptr;
      out.type = JsonType::string;
      out.text = std::string_view(p + 1, static_cast<std::size_t>(close - p - 1));
      return close + 1;
    }
    case '{':
    case '[':
      p = skip_container(p, end);
      if (p == nullptr) return nullptr;
      out.type = c == '{' ? JsonType::object : JsonType::array;
      break;
    case 't':
    case 'f':
      p = scan_literal(p, end, c == 't' ? "true" : "false");
      if (p == nullptr) return nullptr;
      out.type = JsonType::boolean;
      break;
    case 'n':
      p = scan_literal(p, end, "null");
      if (p == nullptr) return nullptr;
      out.type = JsonType::null;
      break;
    default:
      while (p < end && is_number_char(*p)) ++p;
      if (p == start) return nullptr;
      out.type = JsonType::number;
      break;
  }
  out.text = std::string_view(start, static_cast<std::size_t>(p - start));
  return p;
}

}  // namespace

bool scan_value(std::string_view text, std::size_t& pos, JsonView& out) {
  const char* end = scan_value(text.data() + pos, text.data() + text.size(), out);
  if (end == nullptr) return false;
  pos = static_cast<std::size_t>(end - text.data());
  return true;
}

ObjectCursor::ObjectCursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {
  p_ = skip_space(p_, end_);
  if (p_ >= end_ || *p_ != '{') {
    ok_ = false;
    done_ = true;
    return;
  }
  ++p_;
}

bool ObjectCursor::next(std::string_view& key, bool& key_escaped, JsonView& value) {
  if (done_) return false;
  const char* p = skip_space(p_, end_);
  if (p < end_ && *p == '}') {
    if (!first_) return fail();  // "{"a":1,}": a trailing comma
    ok_ = skip_space(p + 1, end_) == end_;
    done_ = true;
    return false;
  }
  first_ = false;
  if (p >= end_ || *p != '"') return fail();
  const char* close = scan_string(p + 1, end_, key_escaped);
  if (close == nullptr) return fail();
  key = std::string_view(p + 1, static_cast<std::size_t>(close - p - 1));
  p = skip_space(close + 1, end_);
  if (p >= end_ || *p != ':') return fail();
  p = scan_value(p + 1, end_, value);
  if (p == nullptr) return fail();
  p = skip_space(p, end_);
  if (p < end_ && *p == ',') {
    p_ = p + 1;
    return true;
  }
  if (p < end_ && *p == '}') {
    // The last member: valid only when nothing but whitespace follows the object.
    done_ = true;
    ok_ = skip_space(p + 1, end_) == end_;
    return ok_;
  }
  return fail();
}

ArrayCursor::ArrayCursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {
  p_ = skip_space(p_, end_);
  if (p_ >= end_ || *p_ != '[') {
    ok_ = false;
    done_ = true;
    return;
  }
  ++p_;
}

bool ArrayCursor::next(JsonView& value) {
  if (done_) return false;
  const char* p = skip_space(p_, end_);
  if (first_ && p < end_ && *p == ']') {
    ok_ = skip_space(p + 1, end_) == end_;
    done_ = true;
    return false;
  }
  first_ = false;
  p = scan_value(p, end_, value);
  if (p == nullptr) return fail();
  p = skip_space(p, end_);
  if (p < end_ && *p == ',') {
    p_ = p + 1;
    return true;
  }
  if (p < end_ && *p == ']') {
    done_ = true;
    ok_ = skip_space(p + 1, end_) == end_;
    return ok_;
  }
  return fail();
}

std::string_view payload_object(std::string_view raw) {
  const char* end = raw.data() + raw.size();
  const char* p = skip_space(raw.data(), end);
  if (p >= end) return {};
  if (*p == '{') return raw.substr(static_cast<std::size_t>(p - raw.data()));
  if (*p != '[') return {};
  JsonView channel;
  p = scan_value(p + 1, end, channel);
  if (p == nullptr || channel.type != JsonType::string) return {};
  p = skip_space(p, end);
  if (p >= end || *p != ',') return {};
  JsonView payload;
  p = scan_value(p + 1, end, payload);
  if (p == nullptr || payload.type != JsonType::object) return {};
  p = skip_space(p, end);
  if (p >= end || *p != ']') return {};
  return skip_space(p + 1, end) == end ? payload.text : std::string_view{};
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool read_hex4(std::string_view text, std::size_t pos, unsigned& out) {
  if (pos + 4 > text.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const int digit = hex_value(text[pos + i]);
    if (digit < 0) return false;
    out = out * 16 + static_cast<unsigned>(digit);
  }
  return true;
}

void append_utf8(unsigned code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

bool decode_string(std::string_view text, std::string& out) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= text.size()) return false;
    switch (text[i]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        unsigned code = 0;
        if (!read_hex4(text, i + 1, code)) return false;
        i += 4;
        if (code >= 0xD800 && code <= 0xDBFF) {  // high surrogate: a low one must follow
          unsigned low = 0;
          if (i + 2 >= text.size() || text[i + 1] != '\\' || text[i + 2] != 'u' || !read_hex4(text, i + 3, low) ||
              low < 0xDC00 || low > 0xDFFF) {
            return false;
          }
          i += 6;
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        } else if (code >= 0xDC00 && code <= 0xDFFF) {
          return false;
        }
        append_utf8(code, out);
        break;
      }
      default: return false;
    }
  }
  return true;
}

std::string string_text(const JsonView& value) {
  if (!value.escaped) return std::string(value.text);
  std::string out;
  decode_string(value.text, out);
  return out;
}

JsonView find_member(std::string_view object_text, std::string_view key) {
  ObjectCursor cursor(object_text);
  std::string_view name;
  bool escaped = false;
  JsonView value;
  std::string decoded;
  while (cursor.next(name, escaped, value)) {
    if (escaped) {
      decoded.clear();
      if (decode_string(name, decoded) && decoded == key) return value;
    } else if (name == key) {
      return value;
    }
  }
  return {};
}

JsonView find_path(std::string_view object_text, std::string_view dotted_path) {
  std::string_view current = object_text;
  while (true) {
    const auto dot = dotted_path.find('.');
    const JsonView value = find_member(current, dotted_path.substr(0, dot));
    if (dot == std::string_view::npos) return value;
    if (value.type != JsonType::object) return {};
    current = value.text;
    dotted_path.remove_prefix(dot + 1);
  }
}

}  // namespace flowmind::uw
