// Runs a UwRestSource on its own thread, as the engine does, and stops it like the engine does.
#pragma once

#include <atomic>
#include <exception>
#include <memory>
#include <thread>

#include "rest_test_context.hpp"
#include "uw_rest.hpp"

namespace flowmind::uw_rest::testing {

class RunningSource {
 public:
  explicit RunningSource(const Config& config) : source_(std::make_unique<UwRestSource>(config)) {
    thread_ = std::thread([this] {
      try {
        source_->run(ctx_);
      } catch (...) {
        error_ = std::current_exception();
      }
      finished_ = true;
    });
  }
  ~RunningSource() { stop(); }
  RunningSource(const RunningSource&) = delete;
  RunningSource& operator=(const RunningSource&) = delete;

  // The engine's order: the stop signal first, then Source::stop(), then the thread ends.
  void stop() {
    if (!thread_.joinable()) return;
    ctx_.request_stop();
    source_->stop();
    thread_.join();
  }

  [[nodiscard]] bool finished() const { return finished_; }
  // What run() threw; read it once finished() holds.
  [[nodiscard]] std::exception_ptr error() const { return error_; }
  RestTestContext& ctx() { return ctx_; }
  [[nodiscard]] nlohmann::json status() const { return source_->status(); }

 private:
  RestTestContext ctx_;
  std::unique_ptr<UwRestSource> source_;
  std::thread thread_;
  std::exception_ptr error_;
  std::atomic<bool> finished_{false};
};

}  // namespace flowmind::uw_rest::testing
