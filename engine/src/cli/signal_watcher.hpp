// Turns SIGINT/SIGTERM into a graceful stop, a second signal into an immediate exit, SIGHUP into a reload.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace flowmind::cli {

class SignalWatcher {
 public:
  // Blocks SIGINT, SIGTERM and SIGHUP in the calling thread, so threads started afterwards
  // inherit the mask and only this watcher receives them. Call before starting any thread.
  static void block_signals();

  // `on_first` runs (on the watcher's thread) at the first SIGINT/SIGTERM; the second one
  // exits the process at once with status 130. `on_hangup` runs (on the same thread) at each
  // SIGHUP; without it SIGHUP is logged and ignored.
  explicit SignalWatcher(std::function<void()> on_first, std::function<void()> on_hangup = {});
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  void watch();

  std::function<void()> on_first_;
  std::function<void()> on_hangup_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace flowmind::cli
