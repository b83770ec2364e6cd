// The replay's JSON scanner: RFC 8259 grammar checks while skipping values, nesting bounded.
#include "json_scan.hpp"

namespace flowmind {
namespace {

constexpr int max_depth = 256;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

unsigned hex_value(char c) {
  if (is_digit(c)) return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  return static_cast<unsigned>(c - 'A' + 10);
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

void JsonScanner::skip_space() {
  while (pos_ < text_.size() &&
         (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
    ++pos_;
  }
}

bool JsonScanner::consume(char c) {
  skip_space();
  if (peek() != c) return false;
  ++pos_;
  return true;
}

bool JsonScanner::skip_string() {
  if (peek() != '"') return false;
  ++pos_;
  while (pos_ < text_.size()) {
    const char c = text_[pos_++];
    if (c == '"') return true;
    if (static_cast<unsigned char>(c) < 0x20) return false;
    if (c == '\\') {
      if (pos_ >= text_.size()) return false;
      const char escaped = text_[pos_++];
      if (escaped == 'u') {
        for (int i = 0; i < 4; ++i) {
          if (pos_ >= text_.size() || !is_hex(text_[pos_++])) return false;
        }
      } else if (std::string_view("\"\\/bfnrt").find(escaped) == std::string_view::npos) {
        return false;
      }
    }
  }
  return false;
}

bool JsonScanner::skip_number() {
  if (peek() == '-') ++pos_;
  if (peek() == '0') {
    ++pos_;
  } else if (is_digit(peek())) {
    while (is_digit(peek())) ++pos_;
  } else {
    return false;
  }
  if (peek() == '.') {
    ++pos_;
    if (!is_digit(peek())) return false;
    while (is_digit(peek())) ++pos_;
  }
  if (peek() == 'e' || peek() == 'E') {
    ++pos_;
    if (peek() == '+' || peek() == '-') ++pos_;
    if (!is_digit(peek())) return false;
    while (is_digit(peek())) ++pos_;
  }
  return true;
}

bool JsonScanner::skip_literal(std::string_view word) {
  if (text_.substr(pos_, word.size()) != word) return false;
  pos_ += word.size();
  return true;
}

bool JsonScanner::skip_value(int depth) {
  if (depth > max_depth) return false;
  skip_space();
  switch (peek()) {
    case '"': return skip_string();
    case 't': return skip_literal("true");
    case 'f': return skip_literal("false");
    case 'n': return skip_literal("null");
    case '{': {
      ++pos_;
      if (consume('}')) return true;
      do {
        skip_space();
        if (!skip_string() || !consume(':') || !skip_value(depth + 1)) return false;
      } while (consume(','));
      return consume('}');
    }
    case '[': {
      ++pos_;
      if (consume(']')) return true;
      do {
        if (!skip_value(depth + 1)) return false;
      } while (consume(','));
      return consume(']');
    }
    default: return skip_number();
  }
}

std::optional<std::string_view> JsonScanner::value() {
  skip_space();
  const std::size_t start = pos_;
  if (!skip_value(0)) return std::nullopt;
  return text_.substr(start, pos_ - start);
}

std::optional<std::string> JsonScanner::string() {
  skip_space();
  const std::size_t start = pos_;
  if (!skip_string()) return std::nullopt;
  return unescape_json_string(text_.substr(start, pos_ - start));
}

bool JsonScanner::object(const std::function<bool(const std::string& key, std::string_view value)>& member) {
  if (!consume('{')) return false;
  if (consume('}')) return true;
  do {
    auto key = string();
    if (!key || !consume(':')) return false;
    auto item = value();
    if (!item || !member(*key, *item)) return false;
  } while (consume(','));
  return consume('}');
}

std::optional<std::string> unescape_json_string(std::string_view literal) {
  if (literal.size() < 2 || literal.front() != '"' || literal.back() != '"') return std::nullopt;
  const std::string_view body = literal.substr(1, literal.size() - 2);
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= body.size()) return std::nullopt;
    switch (body[i]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        const auto read_code = [&](std::size_t at) -> std::optional<unsigned> {
          if (at + 4 > body.size()) return std::nullopt;
          unsigned code = 0;
          for (std::size_t k = at; k < at + 4; ++k) {
            if (!is_hex(body[k])) return std::nullopt;
            code = code * 16 + hex_value(body[k]);
          }
          return code;
        };
        auto code = read_code(i + 1);
        if (!code) return std::nullopt;
        i += 4;
        if (*code >= 0xD800 && *code <= 0xDBFF && i + 2 < body.size() && body[i + 1] == '\\' && body[i + 2] == 'u') {
          if (auto low = read_code(i + 3); low && *low >= 0xDC00 && *low <= 0xDFFF) {
            *code = 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00);
            i += 6;
          }
        }
        append_utf8(*code, out);
        break;
      }
      default: return std::nullopt;
    }
  }
  return out;
}

}  // namespace flowmind
