// Runs uw_websocket sources in-process as the engine does: an io_context on its own threads, a
// SourceContext per source whose run() gets its own thread, and the events each one emitted.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "flowmind/context.hpp"
#include "uw_options.hpp"
#include "uw_websocket_source.hpp"

namespace flowmind::uw_websocket::testing {

// The engine's shared io_context with two threads (stops and joins them on destruction).
class IoThreads {
 public:
  IoThreads() : work_(boost::asio::make_work_guard(io_)) {
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~IoThreads() {
    work_.reset();
    io_.stop();
    for (auto& thread : threads_) thread.join();
  }
  IoThreads(const IoThreads&) = delete;
  IoThreads& operator=(const IoThreads&) = delete;
  boost::asio::io_context& io() { return io_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

class RecordingLogger final : public Logger {
 public:
  void log(LogLevel level, const std::string& message) override {
    std::lock_guard lock(mutex_);
    messages_.emplace_back(level, message);
  }
  [[nodiscard]] bool enabled(LogLevel /*level*/) const override { return true; }
  [[nodiscard]] std::vector<std::pair<LogLevel, std::string>> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<LogLevel, std::string>> messages_;
};

struct Received {
  std::string channel;
  std::string payload;
};

// A pipeline's side of a source: collects events; emit() can be held to play a slow pipeline.
class TestSourceContext final : public SourceContext {
 public:
  TestSourceContext(boost::asio::io_context& io, std::string pipeline) : io_(io), pipeline_(std::move(pipeline)) {}

  [[nodiscard]] const std::string& pipeline_name() const override { return pipeline_; }
  [[nodiscard]] const std::string& stage_name() const override { return stage_; }
  Logger& log() override { return logger_; }
  Counter& counter(const std::string& name) override {
    std::lock_guard lock(mutex_);
    return counters_.try_emplace(name, 0).first->second;
  }
  boost::asio::io_context& io_context() override { return io_; }

  bool emit(Event event) override {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !held_ || stopping_; });
    if (stopping_) return false;
    events_.push_back({event.channel(), std::string(event.raw())});
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
  [[nodiscard]] std::vector<Received> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  [[nodiscard]] std::size_t count(const std::string& channel) const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& event : events_) n += event.channel == channel ? 1 : 0;
    return n;
  }
  [[nodiscard]] std::vector<std::pair<LogLevel, std::string>> logs() const { return logger_.messages(); }
  [[nodiscard]] std::string all_logs() const {
    std::string text;
    for (const auto& [level, message] : logger_.messages()) text += message + "\n";
    return text;
  }

 private:
  boost::asio::io_context& io_;
  std::string pipeline_;
  std::string stage_ = "source";
  RecordingLogger logger_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  bool held_ = false;
  std::vector<Received> events_;
  std::map<std::string, Counter> counters_;
};

// One source with its context and run() thread, as a pipeline has them.
class RunningSource {
 public:
  RunningSource(boost::asio::io_context& io, Options options, std::string pipeline = "test")
      : ctx_(io, std::move(pipeline)), source_(std::make_unique<UwWebSocketSource>(std::move(options))) {
    thread_ = std::thread([this] {
      try {
        source_->run(ctx_);
      } catch (...) {
        std::lock_guard lock(mutex_);
        failure_ = std::current_exception();
      }
      done_ = true;
    });
  }
  ~RunningSource() { stop(); }
  RunningSource(const RunningSource&) = delete;
  RunningSource& operator=(const RunningSource&) = delete;

  // As the engine stops a pipeline: stopping() turns true, then Source::stop(), then join.
  void stop() {
    if (!thread_.joinable()) return;
    ctx_.request_stop();
    source_->stop();
    thread_.join();
  }
  [[nodiscard]] bool done() const { return done_; }
  // The what() of the exception run() ended with, if any.
  [[nodiscard]] std::optional<std::string> failure() const {
    std::lock_guard lock(mutex_);
    if (!failure_) return std::nullopt;
    try {
      std::rethrow_exception(failure_);
    } catch (const std::exception& error) {
      return std::string(error.what());
    } catch (...) {
      return std::string("unknown exception");
    }
  }
  [[nodiscard]] bool failed_fatally() const {
    std::lock_guard lock(mutex_);
    if (!failure_) return false;
    try {
      std::rethrow_exception(failure_);
    } catch (const FatalSourceError&) {
      return true;
    } catch (...) {
      return false;
    }
  }
  TestSourceContext& ctx() { return ctx_; }
  UwWebSocketSource& source() { return *source_; }
  [[nodiscard]] nlohmann::json status() const { return source_->status(); }

 private:
  TestSourceContext ctx_;
  std::unique_ptr<UwWebSocketSource> source_;
  mutable std::mutex mutex_;
  std::exception_ptr failure_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace flowmind::uw_websocket::testing
