// WebSocket framing (RFC 6455) without Beast: server frames encoded once and shared, client frames parsed.
#include "ws_frame.hpp"

#include <cstring>

namespace flowmind::browser_relay {

std::size_t encode_header(Opcode opcode, std::uint64_t length, unsigned char* out) {
  out[0] = static_cast<unsigned char>(0x80U | static_cast<unsigned>(opcode));
  if (length < 126) {
    out[1] = static_cast<unsigned char>(length);
    return 2;
  }
  if (length <= 0xffff) {
    out[1] = 126;
    out[2] = static_cast<unsigned char>(length >> 8U);
    out[3] = static_cast<unsigned char>(length & 0xffU);
    return 4;
  }
  out[1] = 127;
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<unsigned char>((length >> (56 - 8 * i)) & 0xffU);
  return 10;
}

FramePtr make_event_frame(EventPtr event) {
  auto frame = std::make_shared<Frame>();
  frame->payload = event->wire();
  frame->event = std::move(event);
  frame->header_size =
      static_cast<std::uint8_t>(encode_header(Opcode::text, frame->payload.size(), frame->header.data()));
  frame->data = true;
  return frame;
}

FramePtr make_frame(Opcode opcode, std::string payload) {
  auto frame = std::make_shared<Frame>();
  frame->owned = std::move(payload);
  frame->payload = frame->owned;
  frame->header_size = static_cast<std::uint8_t>(encode_header(opcode, frame->payload.size(), frame->header.data()));
  frame->data = opcode == Opcode::text || opcode == Opcode::binary;
  return frame;
}

FramePtr make_close_frame(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload += static_cast<char>(code >> 8U);
  payload += static_cast<char>(code & 0xffU);
  payload += reason.substr(0, 123);
  return make_frame(Opcode::close, std::move(payload));
}

FramePtr make_raw(std::string bytes) {
  auto frame = std::make_shared<Frame>();
  frame->owned = std::move(bytes);
  frame->payload = frame->owned;
  return frame;
}

bool valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Plain ASCII eight bytes at a time: the common case for JSON.
    if (i + 8 <= n) {
      std::uint64_t block = 0;
      std::memcpy(&block, s + i, 8);
      if ((block & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
      code = c & 0x1fU;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      code = c & 0x0fU;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      code = c & 0x07U;
    } else {
      return false;
    }
    if (i + extra >= n) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const unsigned char next = s[i + k];
      if ((next & 0xc0U) != 0x80U) return false;
      code = (code << 6U) | (next & 0x3fU);
    }
    if ((extra == 2 && code < 0x800) || (extra == 3 && (code < 0x10000 || code > 0x10ffff)) ||
        (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

FrameParser::Status FrameParser::start_frame(const Handler& on_frame) {
  const unsigned char b0 = head_[0];
  const unsigned char b1 = head_[1];
  if ((b0 & 0x70U) != 0) return Status::protocol_error;  // no extension was negotiated
  if ((b1 & 0x80U) == 0) return Status::protocol_error;  // client frames are masked
  const bool fin = (b0 & 0x80U) != 0;
  const auto op = static_cast<unsigned>(b0 & 0x0fU);
  if (op > 2 && op < 8) return Status::protocol_error;
  if (op > 10) return Status::protocol_error;
  opcode_ = static_cast<Opcode>(op);
  control_ = op >= 8;
  std::uint64_t length = b1 & 0x7fU;
  std::size_t at = 2;
  if (length == 126) {
    length = (std::uint64_t{head_[2]} << 8U) | head_[3];
    at = 4;
  } else if (length == 127) {
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8U) | head_[2 + i];
    at = 10;
  }
  std::memcpy(mask_.data(), head_.data() + at, 4);
  if (control_) {
    if (!fin || length > 125) return Status::protocol_error;
  } else {
    if (opcode_ == Opcode::continuation && !in_message_) return Status::protocol_error;
    if (opcode_ != Opcode::continuation && in_message_) return Status::protocol_error;
    if (length > max_message_) return Status::too_big;
    message_size_ = opcode_ == Opcode::continuation ? message_size_ + length : length;
    if (message_size_ > max_message_) return Status::too_big;
    in_message_ = !fin;
    ++data_frames_;
    on_frame(opcode_, {});
  }
  remaining_ = length;
  offset_ = 0;
  control_payload_.clear();
  in_payload_ = true;
  if (remaining_ == 0) {
    in_payload_ = false;
    if (control_) on_frame(opcode_, control_payload_);
  }
  return Status::ok;
}

FrameParser::Status FrameParser::feed(std::string_view bytes, const Handler& on_frame) {
  std::size_t i = 0;
  while (status_ == Status::ok && i < bytes.size()) {
    if (!in_payload_) {
      head_[head_size_++] = static_cast<unsigned char>(bytes[i++]);
      if (head_size_ == 2) {
        const unsigned length = head_[1] & 0x7fU;
        head_needed_ = 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + ((head_[1] & 0x80U) != 0 ? 4 : 0);
        if ((head_[1] & 0x80U) == 0) {
          status_ = Status::protocol_error;
          break;
        }
      }
      if (head_size_ >= 2 && head_size_ == head_needed_) {
        head_size_ = 0;
        head_needed_ = 2;
        status_ = start_frame(on_frame);
      }
      continue;
    }
    const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size() - i));
    if (control_) {
      for (std::size_t k = 0; k < take; ++k) {
        control_payload_ += static_cast<char>(static_cast<unsigned char>(bytes[i + k]) ^ mask_[(offset_ + k) % 4]);
      }
    }
    i += take;
    offset_ += take;
    remaining_ -= take;
    if (remaining_ == 0) {
      in_payload_ = false;
      if (control_) on_frame(opcode_, control_payload_);
    }
  }
  return status_;
}

}  // namespace flowmind::browser_relay
