// Classifies one text frame from UW: a data message, a join/leave acknowledgement, or malformed.
#pragma once

#include <string>
#include <string_view>

namespace flowmind::uw_websocket {

struct Frame {
  enum class Kind { data, ack, malformed };
  Kind kind = Kind::malformed;
  std::string channel;
  // data: the raw text of the payload object, a view into the frame (never re-serialized).
  std::string_view payload;
  // ack: the "status" text ("ok" for a successful join).
  std::string status;
  // malformed: why, for counting and logging (never contains the frame's text).
  const char* problem = "";
};

// UW sends every message as `[channel, payload-object]`; an acknowledgement is such a message
// whose payload is `{"response":{...},"status":"ok"|...}`.
Frame parse_frame(std::string_view text);

}  // namespace flowmind::uw_websocket
