// Loading a JSONL recording (plain or gzip) for --replay.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace flowmind::uwsim {

struct RecordedMessage {
  std::int64_t offset_ms = 0;  // since the first message
  std::string channel;
  std::string frame;  // the serialized [channel, payload]
};

// Lines are {"channel","timestamp","data"} envelopes (file_writer sink) or raw [channel, payload] arrays.
// Raw lines have no time: they are spaced 100 ms apart. Throws std::runtime_error on unreadable input.
std::vector<RecordedMessage> load_recording(const std::filesystem::path& file);

// "2024-09-18T14:30:00.303Z" -> epoch ms; -1 when it is not such a timestamp.
std::int64_t parse_iso_ms(const std::string& text);

}  // namespace flowmind::uwsim
