// Keeps secrets (the UW token) out of logs, error messages, status and metrics.
#pragma once

#include <string>
#include <string_view>

namespace flowmind::uw_net {

// Every occurrence of `secret` in `text` becomes "***" (no-op if the secret is empty).
std::string redact(std::string text, std::string_view secret);

// The values of query parameters named token, apikey, api_key or key become "***".
std::string redact_url(std::string_view url);

}  // namespace flowmind::uw_net
