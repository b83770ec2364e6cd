// The flowmind subcommands; main.cpp parses the command line and calls one of these.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace flowmind::cli {

// Options that every subcommand accepts.
struct GlobalOptions {
  std::vector<std::filesystem::path> plugin_dirs;
  std::string log_level = "info";
};

struct RunOptions {
  std::vector<std::filesystem::path> paths;
  unsigned threads = 0;  // 0 = number of cores
  std::string admin_listen = "127.0.0.1:9180";
  std::string grace_period = "10s";
  bool watch = false;                      // reload when the files change
  std::filesystem::path admin_token_file;  // empty: FLOWMIND_ADMIN_TOKEN, if set
};

struct TapOptions {
  std::string pipeline;
  std::size_t stage = 0;
  std::size_t limit = 0;  // 0 = until interrupted
  std::string admin = "127.0.0.1:9180";
};

struct TestOptions {
  std::vector<std::filesystem::path> paths;
  std::string case_filter;  // run only the cases whose name contains it
  bool json = false;
};

struct PluginsOptions {
  std::optional<std::string> name;
  bool json = false;
  bool markdown = false;
};

int run_command(const GlobalOptions& global, const RunOptions& options);
int validate_command(const GlobalOptions& global, const std::vector<std::filesystem::path>& paths);
int plugins_command(const GlobalOptions& global, const PluginsOptions& options);
int test_command(const GlobalOptions& global, const TestOptions& options);
int tap_command(const TapOptions& options);

}  // namespace flowmind::cli
