// A StageContext for relay tests that runs a real io_context on threads and implements the engine's
// PipelineControl, recording demand and reconnect requests.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "browser_relay_sink.hpp"
#include "flowmind/context.hpp"
#include "plugin_test_context.hpp"
#include "relay_options.hpp"

namespace flowmind::browser_relay::testing {

// An io_context run by threads; sinks of one "engine" share it (the relay's servers are per io_context).
class TestLoop {
 public:
  explicit TestLoop(unsigned threads = 2) : work_(boost::asio::make_work_guard(io_)) {
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~TestLoop() {
    // Every handler of a stopped server finishes by itself; stop the loop only if one does not.
    work_.reset();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!io_.stopped() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    io_.stop();
    for (auto& thread : threads_) thread.join();
  }
  TestLoop(const TestLoop&) = delete;
  TestLoop& operator=(const TestLoop&) = delete;
  boost::asio::io_context& io() { return io_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

class RelayTestContext final : public StageContext, public PipelineControl {
 public:
  explicit RelayTestContext(std::string pipeline = "test", std::shared_ptr<TestLoop> loop = nullptr)
      : pipeline_(std::move(pipeline)), loop_(loop ? std::move(loop) : std::make_shared<TestLoop>()) {}
  RelayTestContext(const RelayTestContext&) = delete;
  RelayTestContext& operator=(const RelayTestContext&) = delete;

  [[nodiscard]] const std::string& pipeline_name() const override { return pipeline_; }
  [[nodiscard]] const std::string& stage_name() const override { return stage_; }
  Logger& log() override { return logger_; }
  Counter& counter(const std::string& name) override {
    std::lock_guard lock(mutex_);
    return counters_.try_emplace(name, 0).first->second;
  }
  boost::asio::io_context& io_context() override { return loop_->io(); }

  void set_demand(std::size_t consumers) override {
    std::lock_guard lock(mutex_);
    demands_.push_back(consumers);
  }
  bool request_reconnect() override {
    reconnects_.fetch_add(1);
    return reconnect_result_.load();
  }
  [[nodiscard]] nlohmann::json source_status() const override {
    std::lock_guard lock(mutex_);
    return source_status_;
  }

  void set_source_status(nlohmann::json status) {
    std::lock_guard lock(mutex_);
    source_status_ = std::move(status);
  }
  void set_reconnect_result(bool result) { reconnect_result_ = result; }
  [[nodiscard]] int reconnects() const { return reconnects_.load(); }
  [[nodiscard]] std::vector<std::size_t> demands() const {
    std::lock_guard lock(mutex_);
    return demands_;
  }
  [[nodiscard]] std::size_t last_demand() const {
    std::lock_guard lock(mutex_);
    return demands_.empty() ? 0 : demands_.back();
  }
  [[nodiscard]] std::string log_text() const { return logger_.text(); }

 private:
  std::string pipeline_;
  std::string stage_ = "sink[0]";
  flowmind::testing::RecordingLogger logger_;
  std::shared_ptr<TestLoop> loop_;
  mutable std::mutex mutex_;
  std::map<std::string, Counter> counters_;
  std::vector<std::size_t> demands_;
  std::atomic<int> reconnects_{0};
  std::atomic<bool> reconnect_result_{true};
  nlohmann::json source_status_ = {{"type", "test"}, {"state", "running"}, {"status", nullptr}};
};

// The options the engine would hand the plugin for `values` (schema defaults applied).
inline RelayOptions relay_options(nlohmann::json values) {
  Schema schema;
  describe_options(schema);
  return read_options(flowmind::testing::with_defaults(schema, std::move(values)));
}

// A started relay sink with its own context, stopped when it goes.
class TestRelay {
 public:
  explicit TestRelay(nlohmann::json values, std::string pipeline = "test", std::shared_ptr<TestLoop> loop = nullptr)
      : context_(std::make_unique<RelayTestContext>(std::move(pipeline), std::move(loop))) {
    if (!values.contains("listen")) values["listen"] = "127.0.0.1:0";
    sink_ = std::make_unique<BrowserRelaySink>(relay_options(std::move(values)));
    sink_->start(*context_);
  }
  ~TestRelay() { stop(); }
  TestRelay(const TestRelay&) = delete;
  TestRelay& operator=(const TestRelay&) = delete;

  [[nodiscard]] int port() const { return sink_->port(); }
  [[nodiscard]] RelayTestContext& context() { return *context_; }
  [[nodiscard]] BrowserRelaySink& sink() { return *sink_; }
  [[nodiscard]] nlohmann::json status() const { return sink_->status(); }

  void emit(const std::string& channel, const std::string& raw_payload,
            const std::map<std::string, nlohmann::json>& annotations = {}) {
    Event event(channel, raw_payload);
    for (const auto& [key, value] : annotations) event.annotate(key, value);
    sink_->consume(std::make_shared<const Event>(std::move(event)));
  }
  void stop() {
    if (sink_) sink_->stop();
  }

 private:
  std::unique_ptr<RelayTestContext> context_;
  std::unique_ptr<BrowserRelaySink> sink_;
};

}  // namespace flowmind::browser_relay::testing
