// Keeps secrets (the UW token) out of logs, error messages, status and metrics.
#include "uw_net/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace flowmind::uw_net {
namespace {

bool secret_parameter(std::string_view name) {
  static constexpr std::array<std::string_view, 6> names = {"token", "apikey",       "api_key",
                                                            "key",   "access_token", "api_token"};
  return std::any_of(names.begin(), names.end(), [&](std::string_view candidate) {
    return candidate.size() == name.size() &&
           std::equal(candidate.begin(), candidate.end(), name.begin(),
                      [](char a, unsigned char b) { return a == static_cast<char>(std::tolower(b)); });
  });
}

}  // namespace

std::string redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

std::string redact_url(std::string_view url) {
  const auto query = url.find('?');
  if (query == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, query + 1));
  std::size_t at = query + 1;
  while (at <= url.size()) {
    auto end = url.find_first_of("&#", at);
    if (end == std::string_view::npos) end = url.size();
    const auto parameter = url.substr(at, end - at);
    const auto equals = parameter.find('=');
    if (equals != std::string_view::npos && secret_parameter(parameter.substr(0, equals))) {
      out.append(parameter.substr(0, equals + 1));
      out.append("***");
    } else {
      out.append(parameter);
    }
    if (end == url.size()) break;
    if (url[end] == '#') {
      out.append(url.substr(end));
      break;
    }
    out.push_back('&');
    at = end + 1;
  }
  return out;
}

}  // namespace flowmind::uw_net
