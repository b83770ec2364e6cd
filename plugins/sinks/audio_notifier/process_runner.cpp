// posix_spawn with a socket for stdin (so a reader that quits early cannot SIGPIPE the engine).
#include "process_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

extern char** environ;

namespace flowmind {
namespace {

constexpr std::size_t stderr_limit = 1024;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_ = -1;
};

std::string format_duration(std::chrono::milliseconds timeout) {
  return timeout.count() % 1000 == 0 ? std::to_string(timeout.count() / 1000) + "s"
                                     : std::to_string(timeout.count()) + "ms";
}

}  // namespace

std::string ProcessOutcome::describe(const std::string& program) const {
  if (!started) return "cannot start '" + program + "': " + error;
  std::string text;
  if (cancelled) {
    text = "stopped";
  } else if (timed_out) {
    text = "killed: took too long";
  } else if (signal != 0) {
    text = "killed by signal " + std::to_string(signal);
  } else {
    text = "exit code " + std::to_string(exit_code);
  }
  std::string err = stderr_text;
  while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
  if (!err.empty()) text += ": " + err;
  return text;
}

std::optional<std::filesystem::path> find_program(const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0 && !std::filesystem::is_directory(name)) return std::filesystem::path(name);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    const auto colon = dirs.find(':');
    const std::string dir(dirs.substr(0, colon));
    const std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    std::error_code error;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate, error)) return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    dirs.remove_prefix(colon + 1);
  }
}

ProcessOutcome run_program(const std::vector<std::string>& argv, const std::string& input,
                           std::chrono::milliseconds timeout, const std::atomic<bool>* cancel) {
  ProcessOutcome outcome;
  if (argv.empty()) {
    outcome.error = "no program given";
    return outcome;
  }
  int stdin_pair[2];
  int stderr_pipe[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, stdin_pair) != 0) {
    outcome.error = std::strerror(errno);
    return outcome;
  }
  Fd stdin_ours(stdin_pair[0]);
  Fd stdin_theirs(stdin_pair[1]);
  if (::pipe2(stderr_pipe, O_CLOEXEC) != 0) {
    outcome.error = std::strerror(errno);
    return outcome;
  }
  Fd stderr_ours(stderr_pipe[0]);
  Fd stderr_theirs(stderr_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdin_theirs.get(), STDIN_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, stderr_theirs.get(), STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attributes, 0);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attributes, &defaults);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  stdin_theirs.reset();
  stderr_theirs.reset();
  if (spawned != 0) {
    outcome.error = std::strerror(spawned);
    return outcome;
  }
  outcome.started = true;
  ::fcntl(stdin_ours.get(), F_SETFL, O_NONBLOCK);
  ::fcntl(stderr_ours.get(), F_SETFL, O_NONBLOCK);

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto kill_group = [&] { ::kill(-pid, SIGKILL); };
  std::size_t written = 0;
  if (input.empty()) stdin_ours.reset();
  bool stderr_open = true;
  bool killed = false;
  while (stdin_ours.get() >= 0 || stderr_open) {
    if (cancel != nullptr && cancel->load()) {
      outcome.cancelled = true;
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      outcome.timed_out = true;
      break;
    }
    pollfd fds[2] = {{stdin_ours.get(), POLLOUT, 0}, {stderr_open ? stderr_ours.get() : -1, POLLIN, 0}};
    const auto wait = std::min<std::chrono::milliseconds>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) + std::chrono::milliseconds(1),
        std::chrono::milliseconds(100));
    if (::poll(fds, 2, static_cast<int>(wait.count())) < 0 && errno != EINTR) break;
    if (stdin_ours.get() >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const auto sent = ::send(stdin_ours.get(), input.data() + written, input.size() - written, MSG_NOSIGNAL);
      if (sent > 0) written += static_cast<std::size_t>(sent);
      if ((sent < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) stdin_ours.reset();
    }
    if (stderr_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      char buffer[512];
      const auto got = ::read(stderr_ours.get(), buffer, sizeof buffer);
      if (got > 0) {
        outcome.stderr_text.append(buffer, std::min(static_cast<std::size_t>(got),
                                                    stderr_limit - std::min(stderr_limit, outcome.stderr_text.size())));
      } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        stderr_open = false;
      }
    }
  }
  if (outcome.timed_out || outcome.cancelled) {
    kill_group();
    killed = true;
  }
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, killed ? 0 : WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) break;
    if (done == 0) {
      if ((cancel != nullptr && cancel->load()) || std::chrono::steady_clock::now() >= deadline) {
        outcome.cancelled = cancel != nullptr && cancel->load();
        outcome.timed_out = !outcome.cancelled;
        kill_group();
        killed = true;
        continue;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  if (WIFEXITED(status) && !killed) {
    outcome.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    outcome.signal = WTERMSIG(status);
  }
  if (outcome.timed_out) outcome.error = "no exit within " + format_duration(timeout);
  return outcome;
}

}  // namespace flowmind
