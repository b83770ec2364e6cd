// Filter annotations stored flat and kept as ready wire text, so the envelope needs no DOM.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "flowmind/json_text.hpp"

namespace flowmind {

// Integers an annotation takes as numbers: not bool, not the character types (a `char` is text
// to a reader, and `'x'` silently stored as 120 would be a surprise).
template <typename T>
concept AnnotationInteger =
    std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char> && !std::same_as<T, wchar_t> &&
    !std::same_as<T, char8_t> && !std::same_as<T, char16_t> && !std::same_as<T, char32_t>;

// One annotation value as a view: null, bool, integer, number, text, or an array/object held by
// an nlohmann::json. It does not own its text or json: pass it straight to Event::annotate()
// (which copies) and read one from Event::annotation() before the next annotate() on that event.
// A chain adds a dozen annotations to every event; this keeps each one free of allocations.
class AnnotationValue {
 public:
  // unsigned_integer: a whole number above the int64 range (kept exact, as nlohmann keeps it).
  enum class Kind : std::uint8_t { null, boolean, integer, unsigned_integer, number, text, json };

  constexpr AnnotationValue() noexcept = default;  // null
  // Deleted so that `event.annotation("k") != nullptr` (a habit from pointer lookups) does not
  // compile instead of comparing the value with null; Event::annotate(key, nullptr) sets null.
  AnnotationValue(std::nullptr_t) = delete;
  // Implicit on purpose: `event.annotate("side", "buy")`, `annotate("late", true)`, ... read
  // like assigning a json value.
  template <typename T>
  requires std::same_as<T, bool>
  constexpr AnnotationValue(T value) noexcept : kind_(Kind::boolean), boolean_(value) {}  // NOLINT
  template <AnnotationInteger T>
  constexpr AnnotationValue(T value) noexcept  // NOLINT
      : kind_(Kind::integer), integer_(static_cast<std::int64_t>(value)) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        kind_ = Kind::unsigned_integer;
        unsigned_ = value;
      }
    }
  }
  template <std::floating_point T>
  constexpr AnnotationValue(T value) noexcept : kind_(Kind::number), number_(static_cast<double>(value)) {}  // NOLINT
  constexpr AnnotationValue(std::string_view text) noexcept : kind_(Kind::text), text_(text) {}              // NOLINT
  constexpr AnnotationValue(const char* text) noexcept  // NOLINT: a null pointer is a null value
      : kind_(text != nullptr ? Kind::text : Kind::null), text_(text != nullptr ? text : "") {}
  AnnotationValue(const std::string& text) noexcept : kind_(Kind::text), text_(text) {}  // NOLINT
  // Scalars and strings of a json read as the constructors above; arrays and objects by pointer.
  AnnotationValue(const nlohmann::json& value) noexcept {  // NOLINT
    using Type = nlohmann::json::value_t;
    switch (value.type()) {
      case Type::null:
      case Type::discarded: return;
      case Type::boolean: *this = AnnotationValue(value.get_ref<const bool&>()); return;
      case Type::number_integer: *this = AnnotationValue(value.get_ref<const std::int64_t&>()); return;
      case Type::number_unsigned: *this = AnnotationValue(value.get_ref<const std::uint64_t&>()); return;
      case Type::number_float: *this = AnnotationValue(value.get_ref<const double&>()); return;
      case Type::string: *this = AnnotationValue(value.get_ref<const std::string&>()); return;
      case Type::object:
      case Type::array:
      case Type::binary:
        kind_ = Kind::json;
        json_ = &value;
        return;
    }
  }

  [[nodiscard]] constexpr Kind kind() const noexcept { return kind_; }
  [[nodiscard]] constexpr bool is_null() const noexcept { return kind_ == Kind::null; }
  [[nodiscard]] constexpr bool is_boolean() const noexcept { return kind_ == Kind::boolean; }
  [[nodiscard]] constexpr bool is_number() const noexcept {
    return kind_ == Kind::integer || kind_ == Kind::unsigned_integer || kind_ == Kind::number;
  }
  [[nodiscard]] constexpr bool is_text() const noexcept { return kind_ == Kind::text; }
  // The value as the type asked for; a value of another kind gives the fallback.
  [[nodiscard]] constexpr bool boolean_or(bool fallback) const noexcept {
    return kind_ == Kind::boolean ? boolean_ : fallback;
  }
  // An integer that fits int64 (an unsigned_integer does not: the fallback).
  [[nodiscard]] constexpr std::int64_t integer_or(std::int64_t fallback) const noexcept {
    return kind_ == Kind::integer ? integer_ : fallback;
  }
  // A whole number that is not negative, whatever its size.
  [[nodiscard]] constexpr std::uint64_t unsigned_or(std::uint64_t fallback) const noexcept {
    if (kind_ == Kind::unsigned_integer) return unsigned_;
    return kind_ == Kind::integer && integer_ >= 0 ? static_cast<std::uint64_t>(integer_) : fallback;
  }
  [[nodiscard]] constexpr double number_or(double fallback) const noexcept {
    if (kind_ == Kind::integer) return static_cast<double>(integer_);
    if (kind_ == Kind::unsigned_integer) return static_cast<double>(unsigned_);
    return kind_ == Kind::number ? number_ : fallback;
  }
  [[nodiscard]] constexpr std::string_view text_or(std::string_view fallback) const noexcept {
    return kind_ == Kind::text ? text_ : fallback;
  }
  // The array or object of a Kind::json value, else null.
  [[nodiscard]] constexpr const nlohmann::json* structured() const noexcept { return json_; }

  [[nodiscard]] nlohmann::json to_json() const {
    switch (kind_) {
      case Kind::null: return nullptr;
      case Kind::boolean: return boolean_;
      case Kind::integer: return integer_;
      case Kind::unsigned_integer: return unsigned_;
      case Kind::number: return number_;
      case Kind::text: return std::string(text_);
      case Kind::json: return *json_;
    }
    return nullptr;
  }

  // Equal as JSON values (7 equals 7.0, as nlohmann compares numbers); the other side may be
  // anything a value converts from. On a lookup, compare the optional itself, which is false when
  // the key is absent: `event.annotation("side") == "buy"`.
  friend bool operator==(const AnnotationValue& a, const AnnotationValue& b) {
    if (a.is_number() && b.is_number()) {
      const bool a_whole = a.kind_ != Kind::number;
      const bool b_whole = b.kind_ != Kind::number;
      if (a_whole && b_whole) {  // exact, whatever the sizes
        const bool a_negative = a.kind_ == Kind::integer && a.integer_ < 0;
        const bool b_negative = b.kind_ == Kind::integer && b.integer_ < 0;
        if (a_negative || b_negative) return a_negative && b_negative && a.integer_ == b.integer_;
        return a.unsigned_or(0) == b.unsigned_or(0);
      }
      return a.number_or(0) == b.number_or(0);
    }
    if (a.kind_ != b.kind_) return false;
    switch (a.kind_) {
      case Kind::null: return true;
      case Kind::boolean: return a.boolean_ == b.boolean_;
      case Kind::text: return a.text_ == b.text_;
      case Kind::json: return *a.json_ == *b.json_;
      default: return false;
    }
  }
  friend std::ostream& operator<<(std::ostream& out, const AnnotationValue& value) { return out << value.to_json(); }

 private:
  Kind kind_ = Kind::null;
  bool boolean_ = false;
  std::int64_t integer_ = 0;
  std::uint64_t unsigned_ = 0;
  double number_ = 0;
  std::string_view text_;
  const nlohmann::json* json_ = nullptr;
};

namespace detail {

// A growable byte buffer written through pointers: std::string storage with its own size (the
// bytes past it are scratch), so appends skip std::string's zero fill and per-call checks.
class ByteBuffer {
 public:
  // At least `size` writable bytes at the end; commit() what was written.
  char* room(std::size_t size) {
    if (size_ + size > bytes_.size()) [[unlikely]]
      grow(size);
    return bytes_.data() + size_;
  }
  void commit(const char* end) noexcept { size_ = static_cast<std::size_t>(end - bytes_.data()); }
  // `bytes` must not lie in this buffer unless room() for it was made before (see offset_of).
  void append(std::string_view bytes) {
    if (bytes.empty()) return;
    std::memcpy(room(bytes.size()), bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  // Where `bytes` starts in this buffer, or npos when it lies elsewhere.
  [[nodiscard]] std::size_t offset_of(std::string_view bytes) const noexcept {
    const char* base = bytes_.data();
    const bool inside =
        !bytes.empty() && std::less_equal<>()(base, bytes.data()) && std::less<>()(bytes.data(), base + size_);
    return inside ? static_cast<std::size_t>(bytes.data() - base) : std::string_view::npos;
  }
  // Replaces `old_size` bytes at `at` by `replacement` (which must not lie in this buffer),
  // moving what follows.
  void splice(std::size_t at, std::size_t old_size, std::string_view replacement) {
    const std::size_t tail = size_ - at - old_size;
    if (replacement.size() > old_size) room(replacement.size() - old_size);
    char* base = bytes_.data();
    if (replacement.size() != old_size) std::memmove(base + at + replacement.size(), base + at + old_size, tail);
    if (!replacement.empty()) std::memcpy(base + at, replacement.data(), replacement.size());
    size_ = at + replacement.size() + tail;
  }
  void clear() noexcept { size_ = 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] char* data() noexcept { return bytes_.data(); }
  [[nodiscard]] std::string_view view() const noexcept { return {bytes_.data(), size_}; }
  [[nodiscard]] std::string_view view(std::size_t at, std::size_t size) const noexcept {
    return {bytes_.data() + at, size};
  }

 private:
  // Offsets into the buffer are 32-bit (a slot stays small): more than 4 GiB of annotation text
  // on one event is refused rather than wrapped.
  void grow(std::size_t size) {
    constexpr std::size_t limit = std::numeric_limits<std::uint32_t>::max();
    if (size > limit - size_) throw std::length_error("an event's annotations exceed 4 GiB");
    bytes_.resize(std::min(limit, std::max(2 * bytes_.size(), size_ + size + 256)));
  }

  std::string bytes_;
  std::size_t size_ = 0;
};

}  // namespace detail

// The annotations of one event, in the order their keys were first set. Besides the values,
// it keeps their members' JSON text ("k":v,...) up to date as they are set, so the wire
// envelope copies it in one piece; lookups are a linear scan (a chain adds about a dozen).
class Annotations {
 public:
  struct Entry {
    std::string_view key;
    AnnotationValue value;
  };

  // Sets `key` (copying the value's text or json); an existing key keeps its position.
  void set(std::string_view key, AnnotationValue value) {
    // The key or the text may have been read back from this very object: make room for both
    // first, then point them at the grown buffer.
    const std::string_view text = value.text_or({});
    const std::size_t key_offset = text_.offset_of(key);
    const std::size_t text_offset = text_.offset_of(text);
    const char* before = text_.data();
    text_.room(key.size() + text.size());
    if (text_.data() != before) {
      if (key_offset != std::string_view::npos) key = text_.view(key_offset, key.size());
      if (text_offset != std::string_view::npos) value = text_.view(text_offset, text.size());
    }
    if (Slot* slot = find_slot(key)) {
      store(*slot, value);
      replace_value(*slot);
      if (text_.size() > 1024) compact_text();
      return;
    }
    if (slots_.empty()) slots_.reserve(16);
    Slot slot;
    slot.key_at = static_cast<std::uint32_t>(text_.size());
    slot.key_size = static_cast<std::uint32_t>(key.size());
    text_.append(key);
    store(slot, value);
    slots_.push_back(slot);
    append_member(slots_.back());
  }

  [[nodiscard]] std::optional<AnnotationValue> find(std::string_view key) const noexcept {
    const Slot* slot = const_cast<Annotations*>(this)->find_slot(key);
    if (slot == nullptr) return std::nullopt;
    return value_of(*slot);
  }

  [[nodiscard]] bool empty() const noexcept { return slots_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return slots_.size(); }

  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Entry;
    Iterator() = default;
    Iterator(const Annotations* owner, std::size_t index) : owner_(owner), index_(index) {}
    Entry operator*() const { return owner_->entry(index_); }
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++index_;
      return before;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    const Annotations* owner_ = nullptr;
    std::size_t index_ = 0;
  };
  [[nodiscard]] Iterator begin() const noexcept { return {this, 0}; }
  [[nodiscard]] Iterator end() const noexcept { return {this, slots_.size()}; }
  [[nodiscard]] Entry entry(std::size_t index) const {
    const Slot& slot = slots_[index];
    return {text_.view(slot.key_at, slot.key_size), value_of(slot)};
  }

  // {"key":value,...}: the members' text kept since the keys were set.
  void append_json(std::string& out) const {
    out += '{';
    out += members_.view();
    out += '}';
  }
  [[nodiscard]] nlohmann::json to_json() const {
    auto object = nlohmann::json::object();
    for (const auto& [key, value] : *this) object[std::string(key)] = value.to_json();
    return object;
  }

 private:
  // Fixed-size record of one annotation; its key and text live in text_, its array or object
  // in structured_, so adding one costs no allocation once the buffers have grown.
  struct Slot {
    std::uint32_t key_at = 0;
    std::uint32_t key_size = 0;
    std::uint32_t text_at = 0;
    std::uint32_t text_size = 0;
    std::uint32_t structured_index = 0;
    std::uint32_t value_at = 0;  // the value's JSON text in members_
    std::uint32_t value_size = 0;
    AnnotationValue::Kind kind = AnnotationValue::Kind::null;
    bool boolean = false;
    std::int64_t integer = 0;
    double number = 0;
  };

  Slot* find_slot(std::string_view key) noexcept {
    for (auto& slot : slots_) {
      if (slot.key_size == key.size() && text_.view(slot.key_at, slot.key_size) == key) {
        return &slot;
      }
    }
    return nullptr;
  }

  void store(Slot& slot, AnnotationValue value) {
    const auto previous = slot.kind;
    slot.kind = value.kind();
    switch (value.kind()) {
      case AnnotationValue::Kind::null: break;
      case AnnotationValue::Kind::boolean: slot.boolean = value.boolean_or(false); break;
      case AnnotationValue::Kind::integer: slot.integer = value.integer_or(0); break;
      case AnnotationValue::Kind::unsigned_integer:  // the same 64 bits; the kind says how to read them
        slot.integer = static_cast<std::int64_t>(value.unsigned_or(0));
        break;
      case AnnotationValue::Kind::number: slot.number = value.number_or(0); break;
      case AnnotationValue::Kind::text: {
        const std::string_view text = value.text_or({});
        // A replaced text that fits is written over the old one; otherwise appended.
        if (previous == AnnotationValue::Kind::text && text.size() <= slot.text_size) {
          std::memmove(text_.data() + slot.text_at, text.data(), text.size());
        } else {
          slot.text_at = static_cast<std::uint32_t>(text_.size());
          text_.append(text);
        }
        slot.text_size = static_cast<std::uint32_t>(text.size());
        break;
      }
      case AnnotationValue::Kind::json:
        if (previous == AnnotationValue::Kind::json) {
          structured_[slot.structured_index] = *value.structured();
        } else {
          slot.structured_index = static_cast<std::uint32_t>(structured_.size());
          structured_.push_back(*value.structured());
        }
        break;
    }
  }

  [[nodiscard]] AnnotationValue value_of(const Slot& slot) const noexcept {
    switch (slot.kind) {
      case AnnotationValue::Kind::null: return {};
      case AnnotationValue::Kind::boolean: return slot.boolean;
      case AnnotationValue::Kind::integer: return slot.integer;
      case AnnotationValue::Kind::unsigned_integer: return static_cast<std::uint64_t>(slot.integer);
      case AnnotationValue::Kind::number: return slot.number;
      case AnnotationValue::Kind::text: return text_.view(slot.text_at, slot.text_size);
      case AnnotationValue::Kind::json: return structured_[slot.structured_index];
    }
    return {};
  }

  static void write_string(std::string_view text, detail::ByteBuffer& out) {
    if (json_text::plain_prefix(text) != text.size()) {
      std::string escaped;
      json_text::append_string(escaped, text);
      out.append(escaped);
      return;
    }
    char* at = out.room(text.size() + 2);
    *at++ = '"';
    if (!text.empty()) std::memcpy(at, text.data(), text.size());
    at += text.size();
    *at++ = '"';
    out.commit(at);
  }
  void write_value(const Slot& slot, detail::ByteBuffer& out) const {
    switch (slot.kind) {
      case AnnotationValue::Kind::null: out.append("null"); return;
      case AnnotationValue::Kind::boolean: out.append(slot.boolean ? "true" : "false"); return;
      case AnnotationValue::Kind::integer:
        out.commit(json_text::write_integer(out.room(json_text::max_number_size), slot.integer));
        return;
      case AnnotationValue::Kind::unsigned_integer:
        out.commit(
            json_text::write_integer(out.room(json_text::max_number_size), static_cast<std::uint64_t>(slot.integer)));
        return;
      case AnnotationValue::Kind::number:
        out.commit(json_text::write_double(out.room(json_text::max_number_size), slot.number));
        return;
      case AnnotationValue::Kind::text: write_string(text_.view(slot.text_at, slot.text_size), out); return;
      case AnnotationValue::Kind::json: {
        std::string text;
        json_text::append_value(text, structured_[slot.structured_index]);
        out.append(text);
        return;
      }
    }
  }
  // ,"key":value at the end of members_.
  void append_member(Slot& slot) {
    if (members_.size() != 0) members_.append(",");
    write_string(text_.view(slot.key_at, slot.key_size), members_);
    members_.append(":");
    slot.value_at = static_cast<std::uint32_t>(members_.size());
    write_value(slot, members_);
    slot.value_size = static_cast<std::uint32_t>(members_.size() - slot.value_at);
  }
  // After a value changed: its text replaces the old one in members_; the members after it move.
  void replace_value(Slot& slot) {
    scratch_.clear();
    write_value(slot, scratch_);
    members_.splice(slot.value_at, slot.value_size, scratch_.view());
    const auto new_size = static_cast<std::uint32_t>(scratch_.size());
    const std::uint32_t old_end = slot.value_at + slot.value_size;
    slot.value_size = new_size;
    for (auto& later : slots_) {
      if (later.value_at >= old_end) later.value_at = later.value_at - (old_end - slot.value_at) + new_size;
    }
  }
  // Replaced texts leave dead bytes in text_: compacted when they outgrow the live ones.
  void compact_text() {
    std::size_t live = 0;
    for (const auto& slot : slots_)
      live += slot.key_size + (slot.kind == AnnotationValue::Kind::text ? slot.text_size : 0);
    if (text_.size() <= 2 * live) return;
    detail::ByteBuffer compacted;
    for (auto& slot : slots_) {
      const auto key_at = static_cast<std::uint32_t>(compacted.size());
      compacted.append(text_.view(slot.key_at, slot.key_size));
      slot.key_at = key_at;
      if (slot.kind == AnnotationValue::Kind::text) {
        const auto text_at = static_cast<std::uint32_t>(compacted.size());
        compacted.append(text_.view(slot.text_at, slot.text_size));
        slot.text_at = text_at;
      }
    }
    text_ = std::move(compacted);
  }

  std::vector<Slot> slots_;
  detail::ByteBuffer text_;                 // keys and text values
  detail::ByteBuffer members_;              // "key":value,... as the wire writes it
  detail::ByteBuffer scratch_;              // a replaced value's new text
  std::vector<nlohmann::json> structured_;  // arrays and objects (a replaced one is overwritten)
};

}  // namespace flowmind
