// Small HTTP helpers without Beast: request targets, query strings, bearer tokens.
#include "http_util.hpp"

#include <cctype>

namespace flowmind::uwsim {

std::string url_decode(const std::string& text) {
  std::string result;
  result.reserve(text.size());
  for (std::size_t index = 0; index < text.size(); ++index) {
    const char c = text[index];
    if (c == '+') {
      result += ' ';
    } else if (c == '%' && index + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[index + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[index + 2]))) {
      result += static_cast<char>(std::stoi(text.substr(index + 1, 2), nullptr, 16));
      index += 2;
    } else {
      result += c;
    }
  }
  return result;
}

Target parse_target(const std::string& target) {
  Target parsed;
  const auto question = target.find('?');
  parsed.path = target.substr(0, question);
  if (question == std::string::npos) return parsed;
  const auto query = target.substr(question + 1);
  std::size_t start = 0;
  while (start <= query.size()) {
    auto end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const auto pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const auto equals = pair.find('=');
      const auto key = url_decode(pair.substr(0, equals));
      parsed.query[key] = equals == std::string::npos ? std::string() : url_decode(pair.substr(equals + 1));
    }
    start = end + 1;
  }
  return parsed;
}

std::string bearer_token(const std::string& authorization) {
  static const std::string prefix = "bearer ";
  if (authorization.size() <= prefix.size()) return {};
  for (std::size_t index = 0; index < prefix.size(); ++index) {
    if (std::tolower(static_cast<unsigned char>(authorization[index])) != prefix[index]) return {};
  }
  auto token = authorization.substr(prefix.size());
  while (!token.empty() && token.front() == ' ') token.erase(0, 1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\r')) token.pop_back();
  return token;
}

}  // namespace flowmind::uwsim
