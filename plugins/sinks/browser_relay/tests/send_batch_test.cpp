// SendBatch on real sockets: many writes in one flush, each writer told its own result in order,
// and a full, short or closed socket answered at once without holding the others up.
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "send_batch.hpp"

namespace flowmind::browser_relay::testing {
namespace {

constexpr std::size_t max_writes = 8;
constexpr std::size_t max_buffers = 4;

struct Pair {
  std::array<int, 2> fd{-1, -1};
  explicit Pair(int send_buffer = 0) {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fd.data()), 0);
    if (send_buffer > 0) (void)::setsockopt(fd[0], SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer);
  }
  ~Pair() {
    for (const int f : fd) {
      if (f >= 0) ::close(f);
    }
  }
  Pair(const Pair&) = delete;
  Pair& operator=(const Pair&) = delete;

  std::string read_all() const {
    std::string got;
    std::array<char, 65536> buffer{};
    for (;;) {
      const auto n = ::read(fd[1], buffer.data(), buffer.size());
      if (n <= 0) return got;
      got.append(buffer.data(), static_cast<std::size_t>(n));
    }
  }
  void fill() const {
    const std::string block(4096, 'f');
    while (::send(fd[0], block.data(), block.size(), MSG_DONTWAIT | MSG_NOSIGNAL) > 0) {
    }
  }
};

// Holds the bytes of its write until the batch reports on it, as a client holds its frames.
struct Recorder : BatchedWriter {
  std::vector<std::string> parts;
  std::vector<long>* log = nullptr;
  void batch_sent(long sent) override { log->push_back(sent); }
};

// A kernel (or seccomp policy) without io_uring skips these tests: the relay then sends with one
// sendmsg per client, which RelayWrites tests with io_uring: false.
class SendBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why_not;
    batch_ = SendBatch::create(max_writes, max_buffers, why_not);
    if (!batch_) GTEST_SKIP() << "io_uring refused on this machine: " << why_not;
  }
  std::unique_ptr<SendBatch> batch_;
};

// Adds a write of `parts` (at most max_buffers) to `fd`.
void add(SendBatch& batch, int fd, std::vector<std::string> parts, std::vector<long>& log) {
  auto writer = std::make_shared<Recorder>();
  writer->parts = std::move(parts);
  writer->log = &log;
  auto buffers = batch.buffers();
  EXPECT_EQ(buffers.size(), max_buffers);
  for (std::size_t i = 0; i < writer->parts.size(); ++i) {
    buffers[i] = {writer->parts[i].data(), writer->parts[i].size()};
  }
  batch.add(fd, writer->parts.size(), writer);
}

TEST_F(SendBatchTest, WritesToManySocketsInOneFlushAndReportsEachInOrder) {
  auto& batch = batch_;
  EXPECT_FALSE(batch->collecting()) << "collects only between begin() and flush()";
  batch->begin();
  ASSERT_TRUE(batch->collecting());
  std::vector<std::unique_ptr<Pair>> pairs;
  std::vector<std::vector<std::string>> parts;
  for (std::size_t i = 0; i < max_writes; ++i) {
    pairs.push_back(std::make_unique<Pair>());
    parts.push_back({"header-" + std::to_string(i) + ":", std::string(1000 + i, static_cast<char>('a' + i)), "!"});
  }
  std::vector<long> log;
  for (std::size_t i = 0; i < max_writes; ++i) add(*batch, pairs[i]->fd[0], parts[i], log);
  EXPECT_FALSE(batch->collecting()) << "full: further writers must send by themselves";
  EXPECT_TRUE(batch->flush());
  EXPECT_FALSE(batch->collecting());
  ASSERT_EQ(log.size(), max_writes);
  for (std::size_t i = 0; i < max_writes; ++i) {
    const auto expected = parts[i][0] + parts[i][1] + parts[i][2];
    EXPECT_EQ(log[i], static_cast<long>(expected.size())) << "writer " << i;
    EXPECT_EQ(pairs[i]->read_all(), expected) << "socket " << i;
  }
  // The batch is reusable, and a flush with nothing in it does nothing.
  EXPECT_TRUE(batch->flush());
  batch->begin();
  log.clear();
  add(*batch, pairs[0]->fd[0], {"again"}, log);
  EXPECT_TRUE(batch->flush());
  EXPECT_EQ(log, std::vector<long>{5});
  EXPECT_EQ(pairs[0]->read_all(), "again");
}

TEST_F(SendBatchTest, FullShortAndClosedSocketsAnswerAtOnceWithoutHoldingTheOthers) {
  auto& batch = batch_;
  Pair full(4096);
  full.fill();
  Pair closed;
  ::close(closed.fd[1]);
  closed.fd[1] = -1;
  Pair small(4096);
  Pair fine;
  const std::string big(1 << 20, 'b');
  std::vector<long> log;
  batch->begin();
  add(*batch, full.fd[0], {"never fits"}, log);
  add(*batch, closed.fd[0], {"nobody reads"}, log);
  add(*batch, small.fd[0], {big}, log);
  add(*batch, fine.fd[0], {"hello"}, log);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(batch->flush());
  // A write held by the kernel would hang flush() (then the test's timeout fails it); one waited
  // for a while shows here.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << "a full socket was waited for";
  ASSERT_EQ(log.size(), 4U);
  EXPECT_EQ(log[0], -EAGAIN);
  EXPECT_EQ(log[1], -EPIPE);  // and no SIGPIPE: the test process is still here
  EXPECT_GT(log[2], 0);
  EXPECT_LT(log[2], static_cast<long>(big.size())) << "a short write reports what went";
  const auto arrived = small.read_all();
  EXPECT_EQ(arrived.size(), static_cast<std::size_t>(std::max(log[2], 0L)));
  EXPECT_EQ(arrived.find_first_not_of('b'), std::string::npos);
  EXPECT_EQ(log[3], 5);
  EXPECT_EQ(fine.read_all(), "hello");
}

TEST_F(SendBatchTest, BadDescriptorsFailOnlyTheirOwnWrites) {
  auto& batch = batch_;
  Pair fine;
  const int file = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(file, 0);
  int closed = -1;
  {
    const Pair gone;
    closed = gone.fd[0];
  }
  std::vector<long> log;
  batch->begin();
  add(*batch, file, {"not a socket"}, log);
  add(*batch, closed, {"closed"}, log);
  add(*batch, fine.fd[0], {"still sent"}, log);
  EXPECT_TRUE(batch->flush());
  ::close(file);
  ASSERT_EQ(log.size(), 3U);
  EXPECT_EQ(log[0], -ENOTSOCK);
  EXPECT_EQ(log[1], -EBADF);
  EXPECT_EQ(log[2], 10);
  EXPECT_EQ(fine.read_all(), "still sent");
}

// A writer that throws does not keep the others from hearing back, nor its write from leaving the
// batch: the next flush sends only what is added after.
TEST_F(SendBatchTest, AThrowingWriterLeavesTheBatchEmptyAndTheOthersTold) {
  auto& batch = batch_;
  struct Thrower : Recorder {
    void batch_sent(long sent) override {
      Recorder::batch_sent(sent);
      throw std::runtime_error("writer failed");
    }
  };
  Pair first;
  Pair second;
  std::vector<long> log;
  batch->begin();
  auto thrower = std::make_shared<Thrower>();
  thrower->parts = {"one"};
  thrower->log = &log;
  auto buffers = batch->buffers();
  buffers[0] = {thrower->parts[0].data(), thrower->parts[0].size()};
  batch->add(first.fd[0], 1, thrower);
  add(*batch, second.fd[0], {"two"}, log);
  EXPECT_THROW(batch->flush(), std::runtime_error);
  EXPECT_EQ(log, (std::vector<long>{3, 3}));
  EXPECT_FALSE(batch->collecting());
  log.clear();
  batch->begin();
  add(*batch, second.fd[0], {"three"}, log);
  EXPECT_TRUE(batch->flush());
  EXPECT_EQ(log, std::vector<long>{5});
  EXPECT_EQ(first.read_all(), "one");
  EXPECT_EQ(second.read_all(), "twothree");
}

// As a container's seccomp profile does: io_uring_setup answers EPERM in this process.
bool deny_io_uring_setup() {
  std::array<sock_filter, 4> filter{{
      {BPF_LD | BPF_W | BPF_ABS, 0, 0, static_cast<std::uint32_t>(offsetof(seccomp_data, nr))},
      {BPF_JMP | BPF_JEQ | BPF_K, 0, 1, static_cast<std::uint32_t>(__NR_io_uring_setup)},
      {BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | (static_cast<std::uint32_t>(EPERM) & SECCOMP_RET_DATA)},
      {BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW},
  }};
  sock_fprog program{static_cast<unsigned short>(filter.size()), filter.data()};
  return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

// In a child process (the filter cannot be taken back): create() refuses with the kernel's reason,
// which the server then logs and reports as its fan-out path.
TEST(SendBatchRefused, ASeccompPolicyWithoutIoUringGivesNoBatchAndSaysWhy) {
  std::array<int, 2> pipe_fd{};
  ASSERT_EQ(::pipe(pipe_fd.data()), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fd[0]);
    std::string report = "no filter";
    if (deny_io_uring_setup()) {
      std::string why_not;
      const auto batch = SendBatch::create(4, 4, why_not);
      report = batch ? std::string("created") : why_not;
    }
    (void)::write(pipe_fd[1], report.data(), report.size());
    ::_exit(0);
  }
  ::close(pipe_fd[1]);
  std::string report;
  std::array<char, 256> buffer{};
  for (ssize_t n = 0; (n = ::read(pipe_fd[0], buffer.data(), buffer.size())) > 0;) {
    report.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(pipe_fd[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(report, "io_uring_setup: " + std::string(std::strerror(EPERM)));
}

}  // namespace
}  // namespace flowmind::browser_relay::testing
