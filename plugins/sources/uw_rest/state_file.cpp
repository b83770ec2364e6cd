// Reading and atomically replacing the REST poller's state file.
#include "state_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace flowmind::uw_rest {
namespace {

constexpr int state_version = 1;

std::string errno_text() { return std::strerror(errno); }

// Writes all of `text` to `fd` and flushes it to the disk.
void write_all(int fd, const std::string& text, const std::filesystem::path& where) {
  std::size_t written = 0;
  while (written < text.size()) {
    const auto n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot write " + where.string() + ": " + errno_text());
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) throw std::runtime_error("cannot flush " + where.string() + ": " + errno_text());
}

}  // namespace

LoadedState load_state(const std::filesystem::path& file) {
  LoadedState state;
  std::error_code error;
  if (!std::filesystem::exists(file, error)) return state;
  state.existed = true;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    state.warning =
        "cannot read state file " + file.string() + ": " + errno_text() + "; starting with no remembered records";
    return state;
  }
  std::stringstream text;
  text << in.rdbuf();
  const auto json = nlohmann::json::parse(text.str(), nullptr, false);
  const auto fail = [&](const std::string& why) {
    state.keys.clear();
    state.warning = "state file " + file.string() + " " + why + "; starting with no remembered records";
    return state;
  };
  if (json.is_discarded()) return fail("is not valid JSON");
  if (!json.is_object() || !json.contains("keys") || !json["keys"].is_array()) {
    return fail("has no \"keys\" list");
  }
  if (!json.contains("version") || json["version"] != state_version) {
    return fail("has an unknown version (expected " + std::to_string(state_version) + ")");
  }
  for (const auto& key : json["keys"]) {
    if (!key.is_string() || key.get_ref<const std::string&>().empty()) return fail("holds a key that is not a string");
    state.keys.push_back(key.get<std::string>());
  }
  return state;
}

void save_state(const std::filesystem::path& file, const std::vector<std::string>& keys) {
  const nlohmann::json json = {{"version", state_version}, {"keys", keys}};
  const std::string text = json.dump() + "\n";
  auto temporary = file;
  temporary += ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + temporary.string() + ": " + errno_text());
  try {
    write_all(fd, text, temporary);
  } catch (...) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    ::unlink(temporary.c_str());
    throw std::runtime_error("cannot close " + temporary.string() + ": " + errno_text());
  }
  if (::rename(temporary.c_str(), file.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(temporary.c_str());
    throw std::runtime_error("cannot rename " + temporary.string() + " to " + file.string() + ": " + why);
  }
}

}  // namespace flowmind::uw_rest
