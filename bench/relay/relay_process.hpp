// The relay under test as a process: spawned by the harness (output to a log) or attached by pid, sampled
// for CPU time and memory through /proc, stopped at the end if the harness started it.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace flowmind::bench {

class RelayProcess {
 public:
  // Runs argv[0] (searched in PATH) with stdout and stderr appended to `log_path`.
  RelayProcess(const std::vector<std::string>& argv, const std::string& log_path);
  // Measures a process someone else started; it is left running.
  explicit RelayProcess(pid_t pid);
  ~RelayProcess();
  RelayProcess(const RelayProcess&) = delete;
  RelayProcess& operator=(const RelayProcess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  // False once the process has exited (a spawned child is reaped here).
  [[nodiscard]] bool alive();
  [[nodiscard]] const std::string& exit_reason() const { return exit_reason_; }

  // utime + stime of all its threads, in seconds (clock-tick resolution).
  [[nodiscard]] std::optional<double> cpu_seconds() const;
  [[nodiscard]] std::optional<long> rss_kib() const;

  // SIGTERM, then SIGKILL after a grace period; only for a process the harness started.
  void stop();

 private:
  pid_t pid_ = -1;
  bool owned_ = false;
  bool exited_ = false;
  std::string exit_reason_;
};

struct MachineTimes {
  double busy = 0;   // all cores: user, nice, system, irq, softirq
  double steal = 0;  // time the hypervisor gave our vCPUs to someone else
};
// CPU seconds of the whole machine since boot.
std::optional<MachineTimes> machine_times();
// This process's own CPU time (user + system), in seconds.
double self_cpu_seconds();
// The 1-minute load average.
double load_average();

}  // namespace flowmind::bench
