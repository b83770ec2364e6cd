// Counts the handlers a pipeline posts to the io_context with a plain `this`, so it can wait until
// none is queued or running before it is freed (a reload frees pipelines while the engine runs).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <utility>

namespace flowmind {

class PendingWork {
 public:
  // `handler`, counted from now until it has returned. A handler that posts more work (counted
  // too) before it returns keeps the count above zero: zero means nothing is left anywhere.
  template <class Handler>
  auto track(Handler handler) {
    {
      std::lock_guard lock(mutex_);
      ++count_;
    }
    return [this, handler = std::move(handler)]() mutable {
      const Done done{*this};
      handler();
    };
  }

  // Returns once every tracked handler has run. Whoever could post more must be gone by then.
  void wait_idle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  struct Done {
    PendingWork& work;
    ~Done() { work.release(); }
  };
  void release() {
    std::lock_guard lock(mutex_);
    if (--count_ == 0) idle_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t count_ = 0;
};

}  // namespace flowmind
