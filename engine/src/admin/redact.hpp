// A pipeline definition made safe to show: environment values and secret-named options masked.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace flowmind {

// What a masked literal secret shows.
inline constexpr std::string_view redacted_text = "<redacted>";

// True for option keys that name a secret: containing token, password, passwd, secret,
// credential or api_key (any case): `token`, `admin_token`, `aws_secret_key`, `credentials`.
bool is_secret_key(std::string_view key);

// `definition` with every value that came from the environment replaced by its reference as
// written (`references`: {JSON pointer: "${VAR}"}), and every other value under a secret-named
// key (at any depth) replaced by "<redacted>".
nlohmann::json redact_definition(const nlohmann::json& definition, const nlohmann::json& references);

}  // namespace flowmind
