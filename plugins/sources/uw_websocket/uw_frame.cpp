// Classifies one text frame from UW: a data message, a join/leave acknowledgement, or malformed.
#include "uw_frame.hpp"

#include "uw/json_scan.hpp"

namespace flowmind::uw_websocket {
namespace {

Frame malformed(const char* problem) {
  Frame frame;
  frame.problem = problem;
  return frame;
}

// An ack payload has a string "status" and nothing but "response", "message" or "error" besides.
bool read_ack(std::string_view payload, std::string& status) {
  uw::ObjectCursor members(payload);
  std::string_view key;
  bool escaped = false;
  uw::JsonView value;
  bool has_status = false;
  while (members.next(key, escaped, value)) {
    if (key == "status" && value.type == uw::JsonType::string) {
      status = uw::string_text(value);
      has_status = true;
    } else if (key != "response" && key != "message" && key != "error") {
      return false;
    }
  }
  return members.ok() && has_status;
}

}  // namespace

Frame parse_frame(std::string_view text) {
  uw::ArrayCursor elements(text);
  if (!elements.ok()) return malformed("not a JSON array");
  uw::JsonView channel;
  uw::JsonView payload;
  uw::JsonView extra;
  if (!elements.next(channel)) return malformed(elements.ok() ? "empty array" : "not valid JSON");
  if (!elements.next(payload)) {
    return malformed(elements.ok() ? "array of 1 element (expected [channel, payload])" : "not valid JSON");
  }
  if (elements.next(extra)) return malformed("array of more than 2 elements (expected [channel, payload])");
  if (!elements.ok()) return malformed("not valid JSON");
  if (channel.type != uw::JsonType::string) return malformed("channel is not a string");
  if (payload.type != uw::JsonType::object) return malformed("payload is not an object");
  Frame frame;
  frame.channel = uw::string_text(channel);
  if (frame.channel.empty()) return malformed("empty channel name");
  if (read_ack(payload.text, frame.status)) {
    frame.kind = Frame::Kind::ack;
    return frame;
  }
  frame.kind = Frame::Kind::data;
  frame.payload = payload.text;
  return frame;
}

}  // namespace flowmind::uw_websocket
