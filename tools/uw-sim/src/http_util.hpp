// Small HTTP helpers without Beast: request targets, query strings, bearer tokens.
#pragma once

#include <map>
#include <string>

namespace flowmind::uwsim {

struct Target {
  std::string path;
  std::map<std::string, std::string> query;  // decoded
};

Target parse_target(const std::string& target);
std::string url_decode(const std::string& text);
// "Bearer abc" -> "abc"; empty when the header is not a bearer token.
std::string bearer_token(const std::string& authorization);

}  // namespace flowmind::uwsim
