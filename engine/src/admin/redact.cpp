// A pipeline definition made safe to show: environment values and secret-named options masked.
#include "admin/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace flowmind {
namespace {

constexpr std::array<std::string_view, 6> secret_words = {"token",  "password",   "passwd",
                                                          "secret", "credential", "api_key"};

// Masks literal values under secret keys; values that are environment references stay (they
// show the variable's name, never its value).
void mask(nlohmann::json& value, const std::string& pointer, const nlohmann::json& references, bool secret) {
  if (value.is_object()) {
    for (auto& [key, child] : value.items()) {
      std::string token;
      for (const char c : key) token += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
      mask(child, pointer + "/" + token, references, secret || is_secret_key(key));
    }
    return;
  }
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      mask(value[i], pointer + "/" + std::to_string(i), references, secret);
    return;
  }
  if (references.contains(pointer)) return;
  if (secret && !value.is_null()) value = std::string(redacted_text);
}

}  // namespace

bool is_secret_key(std::string_view key) {
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::any_of(secret_words.begin(), secret_words.end(),
                     [&](std::string_view word) { return lower.find(word) != std::string::npos; });
}

nlohmann::json redact_definition(const nlohmann::json& definition, const nlohmann::json& references) {
  auto shown = definition;
  if (references.is_object()) {
    for (const auto& [pointer, reference] : references.items()) {
      const nlohmann::json::json_pointer where(pointer);
      if (shown.contains(where)) shown[where] = reference;
    }
  }
  mask(shown, "", references.is_object() ? references : nlohmann::json::object(), false);
  return shown;
}

}  // namespace flowmind
