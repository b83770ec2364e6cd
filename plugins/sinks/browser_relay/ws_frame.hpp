// WebSocket framing (RFC 6455) without Beast: server frames encoded once and shared, client frames parsed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "flowmind/event.hpp"

namespace flowmind::browser_relay {

enum class Opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

// Close codes the relay sends.
inline constexpr std::uint16_t close_normal = 1000;
inline constexpr std::uint16_t close_going_away = 1001;
inline constexpr std::uint16_t close_protocol_error = 1002;
inline constexpr std::uint16_t close_too_big = 1009;

// One unmasked server frame (or raw bytes such as the 101 response), immutable once built and
// shared by every client it goes to. A data frame holds its event: the payload is event->wire().
struct Frame {
  EventPtr event;
  std::string owned;
  std::string_view payload;
  std::array<unsigned char, 10> header{};
  std::uint8_t header_size = 0;
  bool data = false;  // an event (counted as a message sent), not a control frame or raw bytes

  [[nodiscard]] std::size_t size() const { return header_size + payload.size(); }
};
using FramePtr = std::shared_ptr<const Frame>;

// The header of an unmasked final frame; returns its size (2, 4 or 10).
std::size_t encode_header(Opcode opcode, std::uint64_t length, unsigned char* out);

// A text frame carrying the event's wire envelope (built once by the event, shared).
FramePtr make_event_frame(EventPtr event);
// A text, ping, pong or close frame owning its payload.
FramePtr make_frame(Opcode opcode, std::string payload);
FramePtr make_close_frame(std::uint16_t code, std::string_view reason = {});
// Bytes sent as they are (the HTTP 101 answer before the first frame).
FramePtr make_raw(std::string bytes);

// Text frames must carry UTF-8: an event that is not is never sent (a browser would fail the socket).
bool valid_utf8(std::string_view text);

// Reads client frames from a byte stream: they must be masked, without extensions; control frames
// are unmasked and handed over, data frames are only counted and skipped (the relay ignores what
// clients say), never buffered beyond one control frame.
class FrameParser {
 public:
  enum class Status { ok, protocol_error, too_big };
  // (opcode, unmasked payload) of each control frame; (opcode, {}) for each data frame.
  using Handler = std::function<void(Opcode, std::string_view)>;

  explicit FrameParser(std::size_t max_message_size) : max_message_(max_message_size) {}
  // Consumes every byte; after an error the parser stays failed and consumes nothing more.
  Status feed(std::string_view bytes, const Handler& on_frame);
  [[nodiscard]] std::uint64_t data_frames() const { return data_frames_; }

 private:
  Status start_frame(const Handler& on_frame);

  std::size_t max_message_;
  Status status_ = Status::ok;
  std::array<unsigned char, 14> head_{};
  std::size_t head_size_ = 0;
  std::size_t head_needed_ = 2;
  bool in_payload_ = false;
  Opcode opcode_ = Opcode::text;
  bool control_ = false;
  std::array<unsigned char, 4> mask_{};
  std::uint64_t remaining_ = 0;
  std::uint64_t offset_ = 0;  // bytes of the current payload seen (mask position)
  std::string control_payload_;
  bool in_message_ = false;  // a fragmented data message is open
  std::uint64_t message_size_ = 0;
  std::uint64_t data_frames_ = 0;
};

}  // namespace flowmind::browser_relay
