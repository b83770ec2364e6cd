// Writes to many sockets in one system call (io_uring), and the check that this kernel completes
// non-blocking sends at once, which the batch relies on to never leave a write in flight.
#include "send_batch.hpp"

#include <liburing.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <exception>

namespace flowmind::browser_relay {
namespace {

constexpr int send_flags = MSG_NOSIGNAL | MSG_DONTWAIT;

std::string errno_text(int error) { return std::strerror(error); }

// Closes a socket pair on every path out of the probe.
struct SocketPair {
  std::array<int, 2> fd{-1, -1};
  ~SocketPair() {
    for (const int f : fd) {
      if (f >= 0) ::close(f);
    }
  }
};

// Fills a socket, then asks the ring to send to it with MSG_DONTWAIT: the answer must be an
// immediate -EAGAIN. A kernel that parks the operation instead (waiting for room) is refused, and
// the parked operation is cancelled before the ring goes.
bool completes_at_once(io_uring& ring, std::string& why_not) {
  SocketPair pair;
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair.fd.data()) != 0) {
    why_not = "socketpair: " + errno_text(errno);
    return false;
  }
  const int small = 4096;
  (void)::setsockopt(pair.fd[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  std::array<char, 4096> filler{};
  while (::send(pair.fd[0], filler.data(), filler.size(), send_flags) > 0) {
  }
  iovec buffer{filler.data(), filler.size()};
  msghdr message{};
  message.msg_iov = &buffer;
  message.msg_iovlen = 1;
  io_uring_sqe* sqe = io_uring_get_sqe(&ring);
  io_uring_prep_sendmsg(sqe, pair.fd[0], &message, send_flags);
  io_uring_sqe_set_data64(sqe, 1);
  if (const int submitted = io_uring_submit(&ring); submitted != 1) {
    why_not = "submit: " + errno_text(submitted < 0 ? -submitted : EIO);
    return false;
  }
  io_uring_cqe* cqe = nullptr;
  if (io_uring_peek_cqe(&ring, &cqe) == 0) {
    const int result = cqe->res;
    io_uring_cqe_seen(&ring, cqe);
    if (result == -EAGAIN) return true;
    why_not = "a send to a full socket answered " + std::to_string(result) + ", not EAGAIN";
    return false;
  }
  // Parked: cancel it and wait for both completions before the socket pair is closed.
  sqe = io_uring_get_sqe(&ring);
  io_uring_prep_cancel64(sqe, 1, 0);
  io_uring_sqe_set_data64(sqe, 2);
  (void)io_uring_submit(&ring);
  // Whatever is still parked after a second goes with the ring (closing it cancels everything).
  __kernel_timespec patience{.tv_sec = 1, .tv_nsec = 0};
  for (int seen = 0; seen < 2;) {
    const int waited = io_uring_wait_cqe_timeout(&ring, &cqe, &patience);
    if (waited == -EINTR) continue;
    if (waited < 0) break;
    io_uring_cqe_seen(&ring, cqe);
    ++seen;
  }
  why_not = "this kernel holds non-blocking sends in io_uring instead of completing them";
  return false;
}

}  // namespace

std::unique_ptr<SendBatch> SendBatch::create(std::size_t max_writes, std::size_t max_buffers_per_write,
                                             std::string& why_not) {
  auto ring = std::make_unique<io_uring>();
  const auto entries = static_cast<unsigned>(max_writes + 2);  // + the probe's cancel
  // SUBMIT_ALL: a bad entry does not stop the ones after it. COOP_TASKRUN: completions are run
  // when this thread enters the kernel, without interrupting it. Both need Linux 5.19; older
  // kernels get a plain ring.
  int status = io_uring_queue_init(entries, ring.get(), IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN);
  if (status == -EINVAL) status = io_uring_queue_init(entries, ring.get(), 0);
  if (status < 0) {
    why_not = "io_uring_setup: " + errno_text(-status);
    return nullptr;
  }
  if (!completes_at_once(*ring, why_not)) {
    io_uring_queue_exit(ring.get());
    return nullptr;
  }
  return std::unique_ptr<SendBatch>(new SendBatch(std::move(ring), max_writes, max_buffers_per_write));
}

SendBatch::SendBatch(std::unique_ptr<io_uring> ring, std::size_t max_writes, std::size_t max_buffers)
    : ring_(std::move(ring)), max_writes_(max_writes), max_buffers_(max_buffers), iov_(max_writes * max_buffers) {
  writes_.reserve(max_writes);
  done_.reserve(max_writes);
}

SendBatch::~SendBatch() {
  if (ring_) io_uring_queue_exit(ring_.get());
}

void SendBatch::add(int fd, std::size_t count, std::shared_ptr<BatchedWriter> writer) {
  Write write;
  write.fd = fd;
  write.message.msg_iov = iov_.data() + iov_used_;
  write.message.msg_iovlen = count;
  write.writer = std::move(writer);
  writes_.push_back(std::move(write));
  iov_used_ += max_buffers_;
}

bool SendBatch::flush() {
  collecting_ = false;
  bool kept = true;
  if (!writes_.empty()) kept = submit_and_collect();
  // The batch is empty again before any writer hears back, and every writer hears back even if
  // one of them throws: a write left queued would be submitted again with stale buffers.
  iov_used_ = 0;
  done_.swap(writes_);
  std::exception_ptr thrown;
  for (auto& write : done_) {
    try {
      write.writer->batch_sent(write.result);
    } catch (...) {
      if (!thrown) thrown = std::current_exception();
    }
  }
  done_.clear();
  if (thrown) std::rethrow_exception(thrown);
  return kept;
}

bool SendBatch::submit_and_collect() {
  const auto count = static_cast<unsigned>(writes_.size());
  for (unsigned i = 0; i < count; ++i) {
    io_uring_sqe* sqe = io_uring_get_sqe(ring_.get());
    io_uring_prep_sendmsg(sqe, writes_[i].fd, &writes_[i].message, send_flags);
    io_uring_sqe_set_data64(sqe, i);
    writes_[i].result = -EIO;  // until its completion says otherwise
  }
  int submitted = 0;
  do {
    submitted = io_uring_submit_and_wait(ring_.get(), count);
  } while (submitted == -EINTR);
  const auto taken = submitted < 0 ? 0U : static_cast<unsigned>(submitted);
  int wait_error = 0;
  for (unsigned seen = 0; seen < taken;) {
    io_uring_cqe* cqe = nullptr;
    const int waited = io_uring_wait_cqe(ring_.get(), &cqe);
    if (waited == -EINTR) continue;
    if (waited < 0) {
      // Whether the writes not yet reported went out is unknown: their clients get -EIO (and are
      // closed) rather than the same bytes twice.
      wait_error = -waited;
      break;
    }
    writes_[static_cast<std::size_t>(io_uring_cqe_get_data64(cqe))].result = cqe->res;
    io_uring_cqe_seen(ring_.get(), cqe);
    ++seen;
  }
  if (taken == count && wait_error == 0) return true;
  // The kernel did not take every entry (out of memory, or an old kernel stopping at a failed
  // one): those go out as plain sendmsg calls, and the ring goes with the entries it still holds,
  // which must never be submitted later with this batch's buffers reused.
  if (wait_error == 0) {
    for (auto i = taken; i < count; ++i) {
      const auto sent = ::sendmsg(writes_[i].fd, &writes_[i].message, send_flags);
      writes_[i].result = sent < 0 ? -errno : static_cast<long>(sent);
    }
  }
  std::string why = wait_error != 0 ? "waiting for completions: " + errno_text(wait_error)
                    : submitted < 0
                        ? errno_text(-submitted)
                        : "the kernel took " + std::to_string(taken) + " of " + std::to_string(count) + " writes";
  io_uring_queue_exit(ring_.get());
  ring_.reset();
  failure_ = std::move(why);
  failed_.store(true, std::memory_order_release);
  return false;
}

std::string SendBatch::failure() const { return failed_.load(std::memory_order_acquire) ? failure_ : std::string(); }

}  // namespace flowmind::browser_relay
