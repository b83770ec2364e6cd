// Helpers of the reload, pipeline API and tap tests: a flowmind child with its admin API.
#include "admin_client.hpp"

#include <csignal>
#include <sstream>

namespace flowmind::testing {

FlowmindRun::FlowmindRun(const TempDir& dir, const std::vector<std::filesystem::path>& paths, Options options)
    : admin_(free_port()), out_(dir.path() / "flowmind-stdout.txt"), err_(dir.path() / "flowmind-stderr.txt") {
  std::vector<std::string> argv{flowmind_executable().string(), "run", "--admin-listen",
                                options.listen_host + ":" + std::to_string(admin_)};
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  for (const auto& path : paths) argv.push_back(path.string());
  child_ = std::make_unique<ChildProcess>(argv, out_, err_, options.env);
}

bool FlowmindRun::wait_ready() const {
  return wait_until([&] { return http_get(admin_, "/health").status == 200; }, patience);
}

nlohmann::json FlowmindRun::pipelines() const {
  const auto response = http_get(admin_, "/pipelines");
  if (response.status != 200) return nlohmann::json::array();
  return nlohmann::json::parse(response.body)["pipelines"];
}

nlohmann::json FlowmindRun::reload_status() const {
  const auto response = http_get(admin_, "/reload");
  if (response.status != 200) return nullptr;
  return nlohmann::json::parse(response.body);
}

nlohmann::json FlowmindRun::pipeline(const std::string& name) const {
  for (const auto& entry : pipelines()) {
    if (entry["name"] == name) return entry;
  }
  return nullptr;
}

int FlowmindRun::stop() {
  child_->send_signal(SIGTERM);
  const auto code = child_->wait(patience);
  return code.value_or(-2);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace flowmind::testing
