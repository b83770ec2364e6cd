// Parses recorded lines (envelopes and raw captures) and the times they carry.
#include "record.hpp"

#include <charconv>
#include <cmath>
#include <ctime>

#include "json_scan.hpp"

namespace flowmind {
namespace {

using Clock = Record::Clock;

ParsedLine bad(std::string problem) {
  ParsedLine parsed;
  parsed.kind = LineKind::bad;
  parsed.problem = std::move(problem);
  return parsed;
}

// Reads exactly `count` digits at `pos`.
bool digits(std::string_view text, std::size_t& pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::optional<Clock::time_point> from_epoch_number(double number) {
  if (!std::isfinite(number) || number < 0 || number > 1e16) return std::nullopt;
  // Below 1e11 a value cannot be milliseconds of a plausible date (1e11 ms is 1973): seconds.
  const double ms = number < 1e11 ? number * 1000.0 : number;
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(ms)));
}

}  // namespace

std::optional<Clock::time_point> parse_iso8601(std::string_view text) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' || !digits(text, pos, 2, month) ||
      pos >= text.size() || text[pos++] != '-' || !digits(text, pos, 2, day)) {
    return std::nullopt;
  }
  std::chrono::nanoseconds fraction{0};
  int offset_minutes = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    if (!digits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' || !digits(text, pos, 2, minute)) {
      return std::nullopt;
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!digits(text, pos, 2, second)) return std::nullopt;
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        long long scale = 100'000'000;
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          fraction += std::chrono::nanoseconds((text[pos] - '0') * scale);
          scale /= 10;
          ++pos;
        }
        if (pos == start) return std::nullopt;
      }
    }
    if (pos < text.size()) {
      const char zone = text[pos++];
      if (zone == 'Z' || zone == 'z') {
        // UTC
      } else if (zone == '+' || zone == '-') {
        int zone_hours = 0, zone_minutes = 0;
        if (!digits(text, pos, 2, zone_hours)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (pos < text.size() && !digits(text, pos, 2, zone_minutes)) return std::nullopt;
        offset_minutes = (zone == '+' ? 1 : -1) * (zone_hours * 60 + zone_minutes);
      } else {
        return std::nullopt;
      }
    }
  }
  if (pos != text.size() || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::tm fields{};
  fields.tm_year = year - 1900;
  fields.tm_mon = month - 1;
  fields.tm_mday = day;
  fields.tm_hour = hour;
  fields.tm_min = minute;
  fields.tm_sec = second;
  const std::time_t seconds = timegm(&fields);
  return Clock::from_time_t(seconds) - std::chrono::minutes(offset_minutes) +
         std::chrono::duration_cast<Clock::duration>(fraction);
}

std::optional<Clock::time_point> parse_time_value(std::string_view json_value) {
  if (json_value.empty()) return std::nullopt;
  if (json_value.front() == '"') {
    const auto text = unescape_json_string(json_value);
    if (!text || text->empty()) return std::nullopt;
    if (text->find_first_not_of("0123456789.") == std::string::npos) return parse_time_value(*text);
    return parse_iso8601(*text);
  }
  double number = 0;
  const auto [end, error] = std::from_chars(json_value.data(), json_value.data() + json_value.size(), number);
  if (error != std::errc() || end != json_value.data() + json_value.size()) return std::nullopt;
  return from_epoch_number(number);
}

ParsedLine parse_line(std::string_view line, const std::vector<std::string>& time_fields) {
  if (is_blank(line)) return {LineKind::blank, {}, {}};
  JsonScanner scan(line);
  scan.skip_space();
  ParsedLine parsed;
  parsed.kind = LineKind::record;
  Record& record = parsed.record;

  if (scan.peek() == '{') {
    std::optional<std::string_view> channel, data, timestamp, annotations;
    const bool ok = scan.object([&](const std::string& key, std::string_view value) {
      if (key == "channel")
        channel = value;
      else if (key == "data")
        data = value;
      else if (key == "timestamp")
        timestamp = value;
      else if (key == "annotations")
        annotations = value;
      return true;
    });
    scan.skip_space();
    if (!ok || !scan.at_end()) return bad("not a JSON object");
    if (!channel || !data) return bad("an envelope needs \"channel\" and \"data\"");
    auto name = unescape_json_string(*channel);
    if (!name) return bad("\"channel\" is not a string");
    record.channel = std::move(*name);
    record.payload = std::string(*data);
    if (timestamp && *timestamp != "null") {
      const auto text = unescape_json_string(*timestamp);
      record.time = text ? parse_iso8601(*text) : std::nullopt;
      if (!record.time) return bad("\"timestamp\" is not an ISO-8601 time");
    }
    if (annotations && *annotations != "null") {
      if (annotations->front() != '{') return bad("\"annotations\" is not an object");
      record.annotations = nlohmann::ordered_json::parse(*annotations, nullptr, false);
      if (record.annotations.is_discarded()) return bad("\"annotations\" is not valid JSON");
    }
    return parsed;
  }

  if (scan.peek() == '[') {
    scan.consume('[');
    auto name = scan.string();
    if (!name || !scan.consume(',')) return bad("a capture line is [\"channel\", payload]");
    auto payload = scan.value();
    if (!payload || !scan.consume(']')) return bad("a capture line is [\"channel\", payload]");
    scan.skip_space();
    if (!scan.at_end()) return bad("text after the capture's closing ']'");
    record.channel = std::move(*name);
    record.payload = std::string(*payload);
    if (payload->front() == '{') {
      std::vector<std::optional<std::string_view>> found(time_fields.size());
      bool has_status = false, has_response = false;
      JsonScanner members(*payload);
      members.object([&](const std::string& key, std::string_view value) {
        for (std::size_t i = 0; i < time_fields.size(); ++i) {
          if (!found[i] && key == time_fields[i]) found[i] = value;
        }
        has_status = has_status || key == "status";
        has_response = has_response || key == "response";
        return true;
      });
      if (has_status && has_response) parsed.kind = LineKind::control;
      for (const auto& value : found) {
        if (value && (record.time = parse_time_value(*value))) break;
      }
    }
    return parsed;
  }
  return bad("neither an envelope object nor a [channel, payload] capture");
}

}  // namespace flowmind
