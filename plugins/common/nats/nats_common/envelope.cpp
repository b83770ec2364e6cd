// The wire envelope carried over NATS: back to an Event without parsing the payload, and its message ID.
#include "nats_common/envelope.hpp"

#include <openssl/evp.h>

#include <array>

#include "uw/json_scan.hpp"

namespace flowmind::nats {
namespace {

std::optional<std::string> string_value(const uw::JsonView& value) {
  if (value.type != uw::JsonType::string) return std::nullopt;
  if (!value.escaped) return std::string(value.text);
  // Escapes are rare in channel names and timestamps: let nlohmann decode them.
  std::string quoted;
  quoted.reserve(value.text.size() + 2);
  quoted += '"';
  quoted += value.text;
  quoted += '"';
  auto decoded = nlohmann::json::parse(quoted, nullptr, false);
  if (decoded.is_discarded() || !decoded.is_string()) return std::nullopt;
  return decoded.get<std::string>();
}

bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm, the inverse of the SDK's).
long long days_from_civil(int year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const long long era = (year >= 0 ? year : year - 399) / 400;
  const long long year_of_era = year - era * 400;
  const long long day_of_year = (153LL * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const long long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146'097 + day_of_era - 719'468;
}

}  // namespace

std::optional<Event::Clock::time_point> parse_iso8601_ms(std::string_view text) {
  // 2024-09-18T14:32:07.692Z
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != '.' || text[23] != 'Z') {
    return std::nullopt;
  }
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!digits(text, 0, 4, year) || !digits(text, 5, 2, month) || !digits(text, 8, 2, day) ||
      !digits(text, 11, 2, hour) || !digits(text, 14, 2, minute) || !digits(text, 17, 2, second) ||
      !digits(text, 20, 3, millis)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const auto days = days_from_civil(year, month, day);
  const auto ms = ((days * 24 + hour) * 60 + minute) * 60'000LL + second * 1000LL + millis;
  return Event::Clock::time_point(std::chrono::duration_cast<Event::Clock::duration>(std::chrono::milliseconds(ms)));
}

std::optional<Event> event_from_envelope(std::string_view text, std::string& error) {
  std::optional<std::string> channel;
  std::optional<Event::Clock::time_point> timestamp;
  std::optional<std::string_view> data;
  std::optional<std::string_view> annotations;
  uw::ObjectCursor cursor(text);
  std::string_view key;
  bool key_escaped = false;
  uw::JsonView value;
  while (cursor.next(key, key_escaped, value)) {
    if (key_escaped) continue;  // none of ours is escaped
    if (key == "channel") {
      channel = string_value(value);
      if (!channel) {
        error = "\"channel\" is not a string";
        return std::nullopt;
      }
    } else if (key == "timestamp") {
      const auto stamp = string_value(value);
      timestamp = stamp ? parse_iso8601_ms(*stamp) : std::nullopt;
      if (!timestamp) {
        error = "\"timestamp\" is not an ISO-8601 UTC time with milliseconds";
        return std::nullopt;
      }
    } else if (key == "data") {
      // The raw text: strings keep their quotes (JsonView::text holds what is between them).
      data = value.type == uw::JsonType::string ? std::string_view(value.text.data() - 1, value.text.size() + 2)
                                                : value.text;
    } else if (key == "annotations") {
      if (value.type != uw::JsonType::object) {
        error = "\"annotations\" is not an object";
        return std::nullopt;
      }
      annotations = value.text;
    }
  }
  if (!cursor.ok()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  if (!channel || !timestamp || !data) {
    error = std::string("missing \"") + (!channel ? "channel" : !timestamp ? "timestamp" : "data") + "\"";
    return std::nullopt;
  }
  Event event(std::move(*channel), *data == "null" ? std::string() : std::string(*data), *timestamp);
  if (annotations) {
    // ordered_json: the annotations keep the order they had on the sender's wire.
    const auto parsed = nlohmann::ordered_json::parse(*annotations, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      error = "\"annotations\" is not valid JSON";
      return std::nullopt;
    }
    for (const auto& [name, annotation] : parsed.items()) event.annotate(name, nlohmann::json(annotation));
  }
  return event;
}

std::string message_id(const Event& event) {
  const auto& wire = event.wire();
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(wire.data(), wire.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string id;
  id.reserve(32 + 21);
  for (unsigned int i = 0; i < 16 && i < length; ++i) {
    id += hex[digest[i] >> 4U];
    id += hex[digest[i] & 0xFU];
  }
  id += '-';
  id += std::to_string(event.sequence());
  return id;
}

}  // namespace flowmind::nats
