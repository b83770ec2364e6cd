// The stdout sink: one flushed line per event, write errors counted instead of thrown.
#include "stdout.hpp"

#include <stdio_ext.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace flowmind {

namespace {

StdoutSink::Format parse_format(const std::string& format) {
  if (format == "envelope") return StdoutSink::Format::envelope;
  if (format == "payload") return StdoutSink::Format::payload;
  throw PluginError("stdout: unknown format '" + format + "' (envelope or payload)");
}

}  // namespace

StdoutSink::StdoutSink(const Config& config) : format_(parse_format(config.string("format"))) {}

void StdoutSink::start(StageContext& ctx) {
  log_ = &ctx.log();
  write_errors_counter_ = &ctx.counter("write_errors");
}

void StdoutSink::consume(const EventPtr& event) {
  const std::string_view line = format_ == Format::envelope ? std::string_view(event->wire()) : event->raw();
  // One lock for the whole line: sinks of other pipelines may write to stdout at the same time.
  flockfile(stdout);
  const bool ok = fwrite_unlocked(line.data(), 1, line.size(), stdout) == line.size() &&
                  fputc_unlocked('\n', stdout) != EOF && fflush_unlocked(stdout) == 0;
  const int error = errno;
  if (!ok) {
    // Forget the unwritten bytes so they never show up later, and let the next line try again.
    __fpurge(stdout);
    clearerr_unlocked(stdout);
  }
  funlockfile(stdout);
  if (ok) {
    written_.fetch_add(1, std::memory_order_relaxed);
  } else {
    on_write_error(error);
  }
}

void StdoutSink::flush() {
  flockfile(stdout);
  const bool ok = fflush_unlocked(stdout) == 0;
  const int error = errno;
  if (!ok) {
    __fpurge(stdout);
    clearerr_unlocked(stdout);
  }
  funlockfile(stdout);
  if (!ok) on_write_error(error);
}

void StdoutSink::on_write_error(int error) {
  write_errors_.fetch_add(1, std::memory_order_relaxed);
  if (write_errors_counter_ != nullptr) write_errors_counter_->fetch_add(1, std::memory_order_relaxed);
  if (!error_logged_ && log_ != nullptr) {
    error_logged_ = true;
    log_->warn(std::string("cannot write to standard output (") + std::strerror(error) +
               (error == EPIPE ? ": the reader went away" : "") +
               "); events are dropped and counted in write_errors, this is logged once");
  }
}

nlohmann::json StdoutSink::status() const {
  return {{"format", format_ == Format::envelope ? "envelope" : "payload"},
          {"written", written_.load(std::memory_order_relaxed)},
          {"write_errors", write_errors_.load(std::memory_order_relaxed)}};
}

}  // namespace flowmind
