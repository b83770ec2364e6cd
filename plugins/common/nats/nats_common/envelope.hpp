// The wire envelope (Event::wire()) carried over NATS: its message ID and the way back to an Event.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "flowmind/event.hpp"

namespace flowmind::nats {

// Turns an envelope {"channel", "timestamp", "data"[, "annotations"]} back into an Event with the
// same channel, receive time (milliseconds), raw data text (byte for byte) and annotations, so its
// wire() is the envelope again. nullopt, with `error` set, when the text is not such an envelope.
std::optional<Event> event_from_envelope(std::string_view text, std::string& error);

// Parses "YYYY-MM-DDTHH:MM:SS.mmmZ" (what Event::wire() writes); nullopt when malformed.
std::optional<Event::Clock::time_point> parse_iso8601_ms(std::string_view text);

// The Nats-Msg-Id of an event for JetStream's duplicate window: 32 hex digits of the SHA-256 of its
// wire envelope (channel, receive time, raw payload, annotations), then '-' and the pipeline's
// sequence number. A retried publish of the same event carries the same ID; events never share one.
std::string message_id(const Event& event);

}  // namespace flowmind::nats
