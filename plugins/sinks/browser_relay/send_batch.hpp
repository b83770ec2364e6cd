// Writes to many sockets in one system call: an io_uring of non-blocking sendmsg operations that all
// complete before the call returns, so a fan-out step over 32 clients enters the kernel once, not 32 times.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

struct io_uring;

namespace flowmind::browser_relay {

// A writer with bytes in a batch: told what its sendmsg returned (bytes written, or -errno).
class BatchedWriter {
 public:
  virtual ~BatchedWriter() = default;
  virtual void batch_sent(long result) = 0;
};

// Used on one strand at a time (not thread-safe). Writes are never left in flight: each operation
// carries MSG_DONTWAIT, so a full socket answers -EAGAIN at once instead of waiting in the kernel.
class SendBatch {
 public:
  // Null, with the reason in `why_not`, when this kernel (or its seccomp policy) refuses io_uring
  // or would hold a non-blocking send instead of completing it.
  static std::unique_ptr<SendBatch> create(std::size_t max_writes, std::size_t max_buffers_per_write,
                                           std::string& why_not);
  ~SendBatch();
  SendBatch(const SendBatch&) = delete;
  SendBatch& operator=(const SendBatch&) = delete;

  // Between begin() and flush(), writers add their writes instead of sending them.
  void begin() { collecting_ = true; }
  [[nodiscard]] bool collecting() const { return collecting_ && ring_ && writes_.size() < max_writes_; }
  // Where the next write's buffers go (max_buffers_per_write of them), valid until flush().
  [[nodiscard]] std::span<iovec> buffers() { return {iov_.data() + iov_used_, max_buffers_}; }
  // Queues a write of the first `count` buffers of buffers() to `fd`.
  void add(int fd, std::size_t count, std::shared_ptr<BatchedWriter> writer);
  // Sends every queued write, then calls each writer's batch_sent in the order they were added
  // (with collecting() false, so a writer may go on with ordinary sends). False the one time the
  // kernel refused a submission: the writes went out as plain sendmsg calls, and the batch
  // collects nothing from then on (failure() says why).
  bool flush();
  // Why the batch stopped using io_uring (empty while it works). Readable from any thread.
  [[nodiscard]] std::string failure() const;

 private:
  struct Write {
    int fd = -1;
    msghdr message{};
    std::shared_ptr<BatchedWriter> writer;
    long result = 0;
  };
  SendBatch(std::unique_ptr<io_uring> ring, std::size_t max_writes, std::size_t max_buffers);
  bool submit_and_collect();

  std::unique_ptr<io_uring> ring_;
  const std::size_t max_writes_;
  const std::size_t max_buffers_;
  std::vector<iovec> iov_;
  std::size_t iov_used_ = 0;
  std::vector<Write> writes_;
  std::vector<Write> done_;  // the writes being reported on (their storage is reused)
  bool collecting_ = false;
  std::string failure_;  // set once, before failed_
  std::atomic<bool> failed_{false};
};

}  // namespace flowmind::browser_relay
