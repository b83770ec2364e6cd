// Which fields identify a REST record, and the stable key (a hash) the dedupe remembers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace flowmind::uw_rest {

// Key groups: each group is a list of field names; the first group whose fields are all
// present (and not null) in a record identifies it. A record matching no group (or an empty
// spec) is identified by a hash of the whole record.
using KeyGroups = std::vector<std::vector<std::string>>;

// Parses the `key_fields` option: each item is one group, fields joined by '+'
// ("tracking_id", "executed_at+ticker+size+price"). Throws std::invalid_argument on an
// empty group or field name.
KeyGroups parse_key_fields(const std::vector<std::string>& items);

// The groups used when `key_fields` is not given, chosen by the endpoint path: congress
// trades by member, ticker, dates, type and amount; dark-pool prints by tracking_id (else
// time, ticker, size and price); anything else by the whole record.
KeyGroups default_key_groups(std::string_view path);

// The `key_fields` form of groups ("a+b"), for status and docs.
std::vector<std::string> describe_key_groups(const KeyGroups& groups);

// A stable 32-hex-digit key (truncated SHA-256, identical across runs and builds, so it can be
// persisted): of the first complete group's names and values, else of the whole record.
std::string record_key(const nlohmann::json& record, const KeyGroups& groups);

}  // namespace flowmind::uw_rest
