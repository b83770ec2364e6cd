// The stdout sink: writes each event as one line (envelope or raw payload) to standard output.
#pragma once

#include <atomic>
#include <cstdint>

#include "flowmind/config.hpp"
#include "flowmind/plugin.hpp"

namespace flowmind {

class StdoutSink final : public Sink {
 public:
  enum class Format {
    envelope,  // Event::wire(): {"channel":..., "timestamp":..., "data":..., "annotations":...}
    payload,   // the payload text exactly as received
  };

  // Throws PluginError for an unknown format.
  explicit StdoutSink(const Config& config);

  void start(StageContext& ctx) override;
  // Writes the line and flushes it; a failed write (EPIPE when the reader went away) is counted
  // and logged once, never thrown.
  void consume(const EventPtr& event) override;
  void flush() override;
  // stdio may block on a slow reader: the sink gets a thread of its own.
  [[nodiscard]] bool blocking() const override { return true; }
  // {"format": ..., "written": n, "write_errors": n}
  [[nodiscard]] nlohmann::json status() const override;

  [[nodiscard]] Format format() const { return format_; }

 private:
  void on_write_error(int error);

  Format format_;
  Logger* log_ = nullptr;
  Counter* write_errors_counter_ = nullptr;
  bool error_logged_ = false;
  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> write_errors_{0};
};

}  // namespace flowmind
