// Loading a JSONL recording (plain or gzip, read through zlib either way) for --replay.
#include "recording.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "generator.hpp"

namespace flowmind::uwsim {

std::int64_t parse_iso_ms(const std::string& text) {
  if (text.size() < 20) return -1;
  const auto days = days_from_date(text.substr(0, 10));
  if (days < 0 || text[10] != 'T') return -1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (std::sscanf(text.c_str() + 11, "%2d:%2d:%2d", &hour, &minute, &second) != 3) return -1;
  std::int64_t millis = 0;
  std::size_t position = 19;
  if (position < text.size() && text[position] == '.') {
    int digits = 0;
    for (++position; position < text.size() && std::isdigit(static_cast<unsigned char>(text[position])); ++position) {
      if (digits < 3) millis = millis * 10 + (text[position] - '0');
      ++digits;
    }
    for (; digits < 3; ++digits) millis *= 10;
  }
  return ((days * 24 + hour) * 60 + minute) * 60'000LL + second * 1000LL + millis;
}

std::vector<RecordedMessage> load_recording(const std::filesystem::path& file) {
  gzFile input = gzopen(file.c_str(), "rb");
  if (input == nullptr) throw std::runtime_error("cannot open recording " + file.string());
  std::vector<RecordedMessage> messages;
  std::string line;
  char chunk[65536];
  std::int64_t first_ms = -1;
  std::int64_t last_offset = 0;
  std::size_t line_number = 0;
  auto take_line = [&] {
    ++line_number;
    if (line.empty() || line.find_first_not_of(" \t\r") == std::string::npos) return;
    nlohmann::json parsed;
    try {
      parsed = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
      throw std::runtime_error(file.string() + ":" + std::to_string(line_number) + ": not JSON");
    }
    RecordedMessage message;
    nlohmann::json payload;
    std::int64_t at_ms = -1;
    if (parsed.is_object() && parsed.contains("channel") && parsed["channel"].is_string() && parsed.contains("data")) {
      message.channel = parsed["channel"].get<std::string>();
      payload = parsed["data"];
      if (parsed.contains("timestamp") && parsed["timestamp"].is_string()) {
        at_ms = parse_iso_ms(parsed["timestamp"].get<std::string>());
      } else if (parsed.contains("timestamp") && parsed["timestamp"].is_number()) {
        at_ms = parsed["timestamp"].get<std::int64_t>();
      }
    } else if (parsed.is_array() && parsed.size() == 2 && parsed[0].is_string()) {
      message.channel = parsed[0].get<std::string>();
      payload = parsed[1];
    } else {
      throw std::runtime_error(file.string() + ":" + std::to_string(line_number) +
                               ": neither {channel,timestamp,data} nor [channel,payload]");
    }
    if (at_ms >= 0) {
      if (first_ms < 0) first_ms = at_ms - last_offset;
      message.offset_ms = std::max(last_offset, at_ms - first_ms);
    } else {
      message.offset_ms = messages.empty() ? 0 : last_offset + 100;
    }
    last_offset = message.offset_ms;
    message.frame = nlohmann::json::array({message.channel, payload}).dump();
    messages.push_back(std::move(message));
  };
  for (;;) {
    const int count = gzread(input, chunk, sizeof chunk);
    if (count < 0) {
      gzclose(input);
      throw std::runtime_error("cannot read recording " + file.string());
    }
    if (count == 0) break;
    for (int index = 0; index < count; ++index) {
      if (chunk[index] == '\n') {
        try {
          take_line();
        } catch (...) {
          gzclose(input);
          throw;
        }
        line.clear();
      } else {
        line += chunk[index];
      }
    }
  }
  gzclose(input);
  take_line();
  if (messages.empty()) throw std::runtime_error("recording " + file.string() + " holds no messages");
  return messages;
}

}  // namespace flowmind::uwsim
