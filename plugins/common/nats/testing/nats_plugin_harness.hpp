// Runs a nats source in-process as the engine does (a SourceContext, run() on its own thread) and
// records what it emitted; emit() can be held to play a pipeline that is full.
#pragma once

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "flowmind/plugin.hpp"
#include "plugin_test_context.hpp"

namespace flowmind::testing {

class RecordingSourceContext final : public TestContextBase<SourceContext> {
 public:
  explicit RecordingSourceContext(std::string pipeline = "test") : TestContextBase(std::move(pipeline), "source") {}

  // Waits while held (a full pipeline with the block policy); false once stopping.
  bool emit(Event event) override {
    std::unique_lock lock(mutex_);
    ++emit_calls_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !held_ || stopping_; });
    if (stopping_) return false;
    wires_.push_back(event.wire());
    changed_.notify_all();
    return true;
  }
  EmitResult try_emit(Event& event) override {
    return emit(std::move(event)) ? EmitResult::accepted : EmitResult::stopping;
  }
  [[nodiscard]] bool stopping() const override {
    std::lock_guard lock(mutex_);
    return stopping_;
  }
  bool wait_for_stop(std::chrono::nanoseconds timeout) override {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [this] { return stopping_; });
    return stopping_;
  }

  void request_stop() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    changed_.notify_all();
  }
  void hold(bool held) {
    std::lock_guard lock(mutex_);
    held_ = held;
    changed_.notify_all();
  }
  // Waits until emit() was called `count` times (accepted or not).
  bool wait_emit_calls(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return emit_calls_ >= count; });
  }
  bool wait_events(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return wires_.size() >= count; });
  }
  [[nodiscard]] std::vector<std::string> wires() const {
    std::lock_guard lock(mutex_);
    return wires_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  bool held_ = false;
  std::size_t emit_calls_ = 0;
  std::vector<std::string> wires_;
};

// A source with its context and run() thread, stopped as the engine stops a pipeline.
class RunningSource {
 public:
  RunningSource(std::unique_ptr<Source> source, std::string pipeline = "test")
      : ctx_(std::move(pipeline)), source_(std::move(source)) {
    thread_ = std::thread([this] {
      try {
        source_->run(ctx_);
      } catch (const std::exception& error) {
        std::lock_guard lock(mutex_);
        failure_ = error.what();
      }
    });
  }
  ~RunningSource() { stop(); }
  RunningSource(const RunningSource&) = delete;
  RunningSource& operator=(const RunningSource&) = delete;

  void stop() {
    if (!thread_.joinable()) return;
    ctx_.request_stop();
    source_->stop();
    thread_.join();
  }
  RecordingSourceContext& ctx() { return ctx_; }
  [[nodiscard]] nlohmann::json status() const { return source_->status(); }
  [[nodiscard]] std::string failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
  }

 private:
  RecordingSourceContext ctx_;
  std::unique_ptr<Source> source_;
  mutable std::mutex mutex_;
  std::string failure_;
  std::thread thread_;
};

}  // namespace flowmind::testing
