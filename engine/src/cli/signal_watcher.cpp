// Turns SIGINT/SIGTERM into a graceful stop, a second signal into an immediate exit, SIGHUP into a reload.
#include "cli/signal_watcher.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "log/logging.hpp"

namespace flowmind::cli {
namespace {

sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void SignalWatcher::block_signals() {
  const sigset_t set = watched_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::SignalWatcher(std::function<void()> on_first, std::function<void()> on_hangup)
    : on_first_(std::move(on_first)), on_hangup_(std::move(on_hangup)), thread_([this] { watch(); }) {}

SignalWatcher::~SignalWatcher() {
  done_ = true;
  thread_.join();
}

void SignalWatcher::watch() {
  const sigset_t set = watched_signals();
  bool stopping = false;
  while (!done_) {
    // A short timeout so the destructor can end the loop without a signal of its own.
    const timespec timeout{0, 200'000'000};
    const int signal = sigtimedwait(&set, nullptr, &timeout);
    if (signal < 0) continue;  // EAGAIN (timeout) or EINTR
    if (signal == SIGHUP) {
      if (stopping || !on_hangup_) {
        engine_log().info("SIGHUP received: ignored ({})", stopping ? "stopping" : "no reload here");
      } else {
        engine_log().info("SIGHUP received: reloading");
        on_hangup_();
      }
      continue;
    }
    if (!stopping) {
      stopping = true;
      engine_log().info("{} received: stopping gracefully (send it again to exit at once)", strsignal(signal));
      on_first_();
    } else {
      engine_log().warn("second signal: exiting now");
      engine_log().flush();
      std::_Exit(130);
    }
  }
}

}  // namespace flowmind::cli
