// Record identity for the REST poller's dedupe: key groups and a stable hash of the chosen fields.
#include "record_key.hpp"

#include <array>
#include <stdexcept>

#include <openssl/evp.h>

namespace flowmind::uw_rest {
namespace {

std::string sha256_hex_prefix(const std::string& text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 || length < 16) {
    throw std::runtime_error("SHA-256 is not available from OpenSSL");
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (std::size_t i = 0; i < 16; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0x0f];
  }
  return out;
}

// A value's text: strings as they are (so "123" and 123 from two encodings of one record
// agree), everything else as compact JSON.
std::string value_text(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

bool complete(const nlohmann::json& record, const std::vector<std::string>& group) {
  for (const auto& field : group) {
    const auto it = record.find(field);
    if (it == record.end() || it->is_null()) return false;
  }
  return true;
}

}  // namespace

KeyGroups parse_key_fields(const std::vector<std::string>& items) {
  KeyGroups groups;
  for (const auto& item : items) {
    std::vector<std::string> group;
    std::size_t start = 0;
    while (true) {
      const auto plus = item.find('+', start);
      const std::string field = item.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
      if (field.empty()) {
        throw std::invalid_argument("'" + item + "' has an empty field name (write fields joined by '+')");
      }
      group.push_back(field);
      if (plus == std::string::npos) break;
      start = plus + 1;
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

KeyGroups default_key_groups(std::string_view path) {
  if (path.starts_with("/api/congress/")) {
    return {{"politician_id", "ticker", "transaction_date", "txn_type", "amounts"},
            {"name", "ticker", "transaction_date", "txn_type", "amounts"}};
  }
  if (path.starts_with("/api/darkpool/")) {
    return {{"tracking_id"}, {"executed_at", "ticker", "size", "price"}};
  }
  return {};
}

std::vector<std::string> describe_key_groups(const KeyGroups& groups) {
  std::vector<std::string> out;
  for (const auto& group : groups) {
    std::string text;
    for (const auto& field : group) {
      if (!text.empty()) text += '+';
      text += field;
    }
    out.push_back(std::move(text));
  }
  return out;
}

std::string record_key(const nlohmann::json& record, const KeyGroups& groups) {
  if (record.is_object()) {
    for (const auto& group : groups) {
      if (!complete(record, group)) continue;
      // Names and lengths are part of the text, so no two different groups or values collide.
      std::string text = "fields";
      for (const auto& field : group) {
        const std::string value = value_text(record.at(field));
        text += '\n' + std::to_string(field.size()) + ':' + field + '=' + std::to_string(value.size()) + ':' + value;
      }
      return sha256_hex_prefix(text);
    }
  }
  // nlohmann objects keep their keys sorted, so equal records dump to equal text.
  return sha256_hex_prefix("record\n" + record.dump());
}

}  // namespace flowmind::uw_rest
