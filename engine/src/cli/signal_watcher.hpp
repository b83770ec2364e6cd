// Turns SIGINT/SIGTERM into a graceful stop, and a second signal into an immediate exit.
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
  // exits the process at once with status 130.
  explicit SignalWatcher(std::function<void()> on_first);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  void watch();

  std::function<void()> on_first_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace flowmind::cli
