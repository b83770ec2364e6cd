// The event that flows through a pipeline: raw UW payload text, lazily parsed DOM, filter annotations.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "flowmind/annotations.hpp"
#include "flowmind/json_text.hpp"

namespace flowmind {

// Thrown by Event::payload() when the raw text is not valid JSON.
class PayloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One message from a source. The payload stays exactly as received (raw text); the nlohmann DOM
// is built only when a plugin asks for it, so a pipeline that only relays never parses.
// Filters add annotations (kept apart from the payload). After the filters an event is frozen
// and shared by every sink as `EventPtr`; its wire text is then produced once and reused.
class Event {
 public:
  using Clock = std::chrono::system_clock;

  Event(std::string channel, std::string raw_payload, Clock::time_point received_at = Clock::now())
      : channel_(std::move(channel)),
        raw_(std::move(raw_payload)),
        received_at_(received_at),
        lazy_(std::make_unique<Lazy>()) {}

  // For sources that already hold a DOM (generators, REST pollers): the raw text is its dump.
  static Event from_json(std::string channel, nlohmann::json payload, Clock::time_point received_at = Clock::now()) {
    Event event(std::move(channel), payload.dump(), received_at);
    std::call_once(event.lazy_->parsed_once, [&] { event.lazy_->payload = std::move(payload); });
    return event;
  }

  Event(Event&&) noexcept = default;
  Event& operator=(Event&&) noexcept = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event() = default;

  // A deep copy with the same channel, payload, time and annotations (for filters that fork).
  [[nodiscard]] Event clone() const {
    Event copy(channel_, raw_, received_at_);
    copy.sequence_ = sequence_;
    copy.annotations_ = annotations_;
    copy.attachments_ = attachments_;
    return copy;
  }

  [[nodiscard]] const std::string& channel() const noexcept { return channel_; }
  [[nodiscard]] std::string_view raw() const noexcept { return raw_; }
  [[nodiscard]] Clock::time_point received_at() const noexcept { return received_at_; }
  [[nodiscard]] std::uint64_t sequence() const noexcept { return sequence_; }
  void set_sequence(std::uint64_t sequence) noexcept { sequence_ = sequence; }

  // The payload DOM, parsed on first use (thread-safe). Throws PayloadError on invalid JSON.
  [[nodiscard]] const nlohmann::json& payload() const {
    std::call_once(lazy_->parsed_once, [this] {
      lazy_->payload = nlohmann::json::parse(raw_, nullptr, false);
      lazy_->payload_valid = !lazy_->payload.is_discarded();
    });
    if (!lazy_->payload_valid) throw PayloadError("payload of channel '" + channel_ + "' is not valid JSON");
    return lazy_->payload;
  }

  // Annotations added by filters, kept flat in the order they were first set. annotation() and
  // annotation_list() read them without allocating; what they return is valid until the next
  // annotate() on this event (after the filters, events are frozen: for sinks, always).
  void annotate(std::string_view key, AnnotationValue value) {
    if (!lazy_->annotations_dom) {
      annotations_.set(key, value);
    } else {
      // The value or key may be read from the DOM itself (annotations()["x"]): store the copy
      // first, then update the DOM from it.
      std::string owned_key(key);
      annotations_.set(owned_key, value);
      (*lazy_->annotations_dom)[owned_key] = annotations_.find(owned_key)->to_json();
    }
    wire_valid_ = false;
  }
  // `annotate(key, nullptr)` sets null. A template, so that a literal 0 (which converts to
  // nullptr_t) still means the number 0.
  template <typename Null>
  requires std::same_as<Null, std::nullptr_t>
  void annotate(std::string_view key, Null /*null*/) { annotate(key, AnnotationValue()); }
  // `event.annotate("premium", {{"bucket", 3}})`: a braced json, as nlohmann builds one.
  void annotate(std::string_view key, nlohmann::json::initializer_list_t value) {
    annotate(key, nlohmann::json(value));
  }
  [[nodiscard]] std::optional<AnnotationValue> annotation(std::string_view key) const noexcept {
    return annotations_.find(key);
  }
  [[nodiscard]] const Annotations& annotation_list() const noexcept { return annotations_; }
  // The annotations as a JSON object (keys sorted, as nlohmann orders them), built on first use
  // (thread-safe) and kept up to date by later annotate() calls, for code that wants a DOM
  // (conditions on JSON paths, test expectations). Filters on the hot path use annotation().
  [[nodiscard]] const nlohmann::json& annotations() const {
    std::lock_guard lock(lazy_->annotations_mutex);
    if (!lazy_->annotations_dom) lazy_->annotations_dom = std::make_unique<nlohmann::json>(annotations_.to_json());
    return *lazy_->annotations_dom;
  }

  // Typed data a filter attaches for the filters after it, e.g. canonical UW fields parsed once
  // so later filters need no DOM. Keys are namespaced by convention ("uw.canonical"); the
  // type read must be the type attached. Attachments never reach the wire.
  template <typename T>
  void attach(const std::string& key, std::shared_ptr<const T> value) {
    for (auto& [existing, data] : attachments_) {
      if (existing == key) {
        data = std::move(value);
        return;
      }
    }
    attachments_.emplace_back(key, std::move(value));
  }
  template <typename T>
  [[nodiscard]] const T* attachment(std::string_view key) const {
    for (const auto& [existing, data] : attachments_) {
      if (existing == key) return static_cast<const T*>(data.get());
    }
    return nullptr;
  }

  // The JSON envelope sent on the wire, built once and reused by every sink and client:
  // {"channel":..., "timestamp":"<ISO-8601 UTC ms>", "data":<raw payload>, "annotations":{...}}
  // ("annotations" only when a filter added some, in the order they were first set).
  [[nodiscard]] const std::string& wire() const {
    std::lock_guard lock(lazy_->wire_mutex);
    if (!wire_valid_) {
      std::string text;
      text.reserve(raw_.size() + channel_.size() + 64 + (annotations_.empty() ? 0 : 256));
      text += R"({"channel":)";
      json_text::append_string(text, channel_);
      text += R"(,"timestamp":")";
      json_text::append_iso8601_ms(text, received_at_);
      text += R"(","data":)";
      text += raw_.empty() ? std::string_view("null") : std::string_view(raw_);
      if (!annotations_.empty()) {
        text += R"(,"annotations":)";
        annotations_.append_json(text);
      }
      text += '}';
      lazy_->wire = std::move(text);
      wire_valid_ = true;
    }
    return lazy_->wire;
  }

  // ISO-8601 UTC with milliseconds, e.g. 2024-09-18T14:32:07.692Z.
  static std::string iso8601_ms(Clock::time_point time) {
    std::string text;
    json_text::append_iso8601_ms(text, time);
    return text;
  }

 private:
  // Caches that must not move with the event's identity (once_flag and mutex are immovable).
  struct Lazy {
    std::once_flag parsed_once;
    nlohmann::json payload;
    bool payload_valid = true;
    std::mutex wire_mutex;
    std::string wire;
    std::mutex annotations_mutex;
    std::unique_ptr<nlohmann::json> annotations_dom;
  };

  std::string channel_;
  std::string raw_;
  Clock::time_point received_at_;
  std::uint64_t sequence_ = 0;
  Annotations annotations_;
  std::vector<std::pair<std::string, std::shared_ptr<const void>>> attachments_;
  mutable bool wire_valid_ = false;
  std::unique_ptr<Lazy> lazy_;
};

// A frozen event, shared by every sink after the filters.
using EventPtr = std::shared_ptr<const Event>;

}  // namespace flowmind
