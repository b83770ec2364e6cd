// Runs a player or notification program: argv, text on stdin, a timeout, cancellable; finds programs in PATH.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace flowmind {

struct ProcessOutcome {
  bool started = false;
  int exit_code = -1;  // -1 when it did not exit normally
  int signal = 0;
  bool timed_out = false;
  bool cancelled = false;
  std::string error;        // why it could not start
  std::string stderr_text;  // the first KiB of its standard error

  [[nodiscard]] bool ok() const { return started && exit_code == 0; }
  // "exit code 1: <stderr>", "killed after 10s", "cannot start 'aplay': No such file or directory"
  [[nodiscard]] std::string describe(const std::string& program) const;
};

// The program `name` as execvp would find it (a name with a '/' is taken as a path), if executable.
std::optional<std::filesystem::path> find_program(const std::string& name);

// Starts argv[0] (searched in PATH) in a process group of its own, writes `input` to its stdin
// (then closes it), discards its stdout, keeps the start of its stderr, and waits. The whole group
// is killed after `timeout`, or as soon as `cancel` becomes true.
ProcessOutcome run_program(const std::vector<std::string>& argv, const std::string& input,
                           std::chrono::milliseconds timeout, const std::atomic<bool>* cancel = nullptr);

}  // namespace flowmind
