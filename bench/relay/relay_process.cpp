// posix_spawn and /proc parsing for the relay benchmark.
#include "relay_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace flowmind::bench {
namespace {

double ticks_per_second() {
  static const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return ticks;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + ::strsignal(WTERMSIG(status));
  return "stopped";
}

}  // namespace

RelayProcess::RelayProcess(const std::vector<std::string>& argv, const std::string& log_path) : owned_(true) {
  if (argv.empty()) throw std::runtime_error("no relay command");
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const int error = ::posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
}

RelayProcess::RelayProcess(pid_t pid) : pid_(pid) {}

RelayProcess::~RelayProcess() { stop(); }

bool RelayProcess::alive() {
  if (exited_) return false;
  if (owned_) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      exit_reason_ = describe_status(status);
      return false;
    }
    return true;
  }
  if (::kill(pid_, 0) != 0 && errno == ESRCH) {
    exited_ = true;
    exit_reason_ = "exited";
    return false;
  }
  return true;
}

std::optional<double> RelayProcess::cpu_seconds() const {
  std::ifstream file("/proc/" + std::to_string(pid_) + "/stat");
  std::string text;
  if (!std::getline(file, text)) return std::nullopt;
  // The command name may hold spaces and parentheses: fields are counted after the last ')'.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  unsigned long long utime = 0;
  unsigned long long stime = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14) utime = std::stoull(field);
    if (index == 15) {
      stime = std::stoull(field);
      return static_cast<double>(utime + stime) / ticks_per_second();
    }
  }
  return std::nullopt;
}

std::optional<long> RelayProcess::rss_kib() const {
  std::ifstream file("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(file, line)) {
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  }
  return std::nullopt;
}

void RelayProcess::stop() {
  if (!owned_ || exited_ || pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (!alive()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  exited_ = true;
  exit_reason_ = "killed after 5 s without exiting on SIGTERM";
}

std::optional<MachineTimes> machine_times() {
  std::ifstream file("/proc/stat");
  std::string label;
  if (!(file >> label) || label != "cpu") return std::nullopt;
  // user nice system idle iowait irq softirq steal
  unsigned long long value[9] = {};
  for (int index = 1; index <= 8; ++index) {
    if (!(file >> value[index])) return std::nullopt;
  }
  const auto busy = value[1] + value[2] + value[3] + value[6] + value[7];
  return MachineTimes{static_cast<double>(busy) / ticks_per_second(),
                      static_cast<double>(value[8]) / ticks_per_second()};
}

double self_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double load_average() {
  std::ifstream file("/proc/loadavg");
  double load = 0;
  file >> load;
  return load;
}

}  // namespace flowmind::bench
