// Environment interpolation of scalar values, done before any type conversion.
#include "config/interpolate.hpp"

namespace flowmind {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!letter(name.front())) return false;
  for (char c : name) {
    if (!letter(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

Interpolated interpolate(std::string_view text, const EnvLookup& env) {
  Interpolated result;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text.compare(pos, 3, "$${") == 0) {
      result.text += "${";
      pos += 3;
      continue;
    }
    if (text.compare(pos, 2, "${") != 0) {
      result.text += text[pos++];
      continue;
    }
    const std::size_t close = text.find('}', pos + 2);
    if (close == std::string_view::npos) {
      result.error = "unterminated \"${\" (write \"$${\" for a literal \"${\")";
      return result;
    }
    const std::string_view body = text.substr(pos + 2, close - pos - 2);
    const std::size_t separator = body.find(":-");
    const std::string_view name = body.substr(0, separator);
    std::optional<std::string_view> fallback;
    if (separator != std::string_view::npos) fallback = body.substr(separator + 2);
    if (!valid_name(name)) {
      std::string message = "invalid variable name \"" + std::string(name) + "\" in \"${" + std::string(body) +
                            "}\": use letters, digits and '_', not starting with a digit";
      if (separator == std::string_view::npos && name.find(':') != std::string_view::npos) {
        message += " (a default is written ${NAME:-default})";
      }
      result.error = std::move(message);
      return result;
    }
    if (fallback && fallback->find("${") != std::string_view::npos) {
      result.error = "nested \"${\" in the default of ${" + std::string(name) + "} is not supported";
      return result;
    }
    const auto value = env ? env(std::string(name)) : std::nullopt;
    if (fallback && (!value || value->empty())) {
      result.text += *fallback;
    } else if (value) {
      result.text += *value;
    } else {
      result.error = "environment variable " + std::string(name) + " is not set (write ${" + std::string(name) +
                     ":-default} to give a default)";
      return result;
    }
    result.substituted = true;
    pos = close + 1;
  }
  return result;
}

}  // namespace flowmind
