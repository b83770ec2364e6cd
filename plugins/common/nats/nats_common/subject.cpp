// Channel names -> NATS subjects, and the subject syntax check.
#include "nats_common/subject.hpp"

namespace flowmind::nats {
namespace {

bool keeps(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

void append_token(std::string& out, std::string_view token) {
  static constexpr char hex[] = "0123456789ABCDEF";
  if (token.empty()) {
    out += '%';
    return;
  }
  for (const char raw : token) {
    const auto c = static_cast<unsigned char>(raw);
    if (keeps(c)) {
      out += raw;
    } else {
      out += '%';
      out += hex[c >> 4U];
      out += hex[c & 0xFU];
    }
  }
}

}  // namespace

std::string channel_subject_tokens(std::string_view channel) {
  std::string out;
  out.reserve(channel.size() + 8);
  std::size_t start = 0;
  while (true) {
    const auto colon = channel.find(':', start);
    append_token(out, channel.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) break;
    out += '.';
    start = colon + 1;
  }
  return out;
}

std::string render_subject(std::string_view subject_template, std::string_view channel) {
  static constexpr std::string_view placeholder = "{channel}";
  std::string out;
  std::size_t start = 0;
  while (true) {
    const auto at = subject_template.find(placeholder, start);
    out += subject_template.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start);
    if (at == std::string_view::npos) break;
    out += channel_subject_tokens(channel);
    start = at + placeholder.size();
  }
  return out;
}

std::string subject_problem(std::string_view subject, bool wildcards) {
  if (subject.empty()) return "the subject is empty";
  std::size_t start = 0;
  while (true) {
    const auto dot = subject.find('.', start);
    const auto token = subject.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (token.empty()) return "the subject '" + std::string(subject) + "' has an empty token";
    for (const char raw : token) {
      const auto c = static_cast<unsigned char>(raw);
      if (c <= ' ' || c == 0x7f) return "the subject '" + std::string(subject) + "' contains white space";
    }
    const bool star = token.find('*') != std::string_view::npos;
    const bool gt = token.find('>') != std::string_view::npos;
    if (star || gt) {
      if (!wildcards) return "the subject '" + std::string(subject) + "' contains a wildcard ('*' or '>')";
      if (token != "*" && token != ">") {
        return "in '" + std::string(subject) + "' a wildcard must be a whole token";
      }
      if (token == ">" && dot != std::string_view::npos) {
        return "in '" + std::string(subject) + "' '>' may only be the last token";
      }
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return {};
}

}  // namespace flowmind::nats
