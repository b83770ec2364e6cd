// The uw_rest source's config table, its validation, and the options read from a validated config.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"
#include "record_key.hpp"
#include "request_budget.hpp"
#include "uw_net/url.hpp"

namespace flowmind::uw_rest {

const Schema& uw_rest_schema();

// Checks beyond the table: URL and scheme (http:// only on loopback), path, query values, the
// token's characters (never repeated in a message), key_fields, seen_limit against the page size.
std::vector<ConfigIssue> validate_uw_rest(const Config& config);

struct UwRestOptions {
  uw_net::Url url;          // base_url + path + query: what is requested
  std::string display_url;  // the same as text, for status and messages (holds no token)
  std::string path;
  std::string token;
  std::string channel;
  std::chrono::nanoseconds interval{std::chrono::seconds(60)};
  KeyGroups key_groups;
  bool default_keys = true;  // key_groups came from the path, not from key_fields
  std::size_t seen_limit = 10000;
  std::string state_file;  // empty = none
  std::string ca_file;     // empty = the system CA store
  std::chrono::nanoseconds timeout{std::chrono::seconds(30)};
  BudgetLimits budget;
  std::chrono::nanoseconds backoff_initial{std::chrono::seconds(1)};
  std::chrono::nanoseconds backoff_max{std::chrono::minutes(5)};
  std::size_t max_response = 16 * 1024 * 1024;

  // Throws PluginError when the config cannot be used (what validate_uw_rest reports as errors).
  static UwRestOptions from_config(const Config& config);
};

// The query string for `query` (a map of scalars), percent-encoded, without the '?'.
std::string encode_query(const nlohmann::json& query);

}  // namespace flowmind::uw_rest
