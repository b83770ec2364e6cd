// The client log: bounded records of connections and REST calls for tests to assert on.
#include "client_log.hpp"

namespace flowmind::uwsim {
namespace {
// Bounds keep a long-running demo simulator from growing without limit.
constexpr std::size_t kMaxConnections = 10000;
constexpr std::size_t kMaxRestRequests = 20000;
}  // namespace

ConnectionRecord& ClientLog::open_connection(bool tls, int status, std::int64_t now_ms) {
  if (connections_.size() >= kMaxConnections) {
    for (auto it = connections_.begin(); it != connections_.end(); ++it) {
      if (it->second.closed_at_ms || it->second.status != 101) {
        connections_.erase(it);
        break;
      }
    }
  }
  const int id = next_id_++;
  auto& record = connections_[id];
  record.id = id;
  record.tls = tls;
  record.status = status;
  record.opened_at_ms = now_ms;
  if (status != 101) record.closed_at_ms = now_ms;
  return record;
}

ConnectionRecord* ClientLog::find(int id) {
  const auto found = connections_.find(id);
  return found == connections_.end() ? nullptr : &found->second;
}

void ClientLog::record_rest(const std::string& path, int status, std::int64_t now_ms) {
  if (rest_requests_.size() >= kMaxRestRequests) rest_requests_.pop_front();
  rest_requests_.push_back({{"path", path}, {"status", status}, {"at_ms", now_ms}});
}

void ClientLog::clear() {
  std::erase_if(connections_, [](const auto& entry) { return entry.second.closed_at_ms.has_value(); });
  rest_requests_.clear();
}

nlohmann::json ClientLog::to_json() const {
  nlohmann::json connections = nlohmann::json::array();
  for (const auto& [id, record] : connections_) {
    nlohmann::json entry = {{"id", record.id},
                            {"tls", record.tls},
                            {"status", record.status},
                            {"opened_at_ms", record.opened_at_ms},
                            {"closed_at_ms", record.closed_at_ms ? nlohmann::json(*record.closed_at_ms) : nullptr},
                            {"joins", record.joins},
                            {"leaves", record.leaves},
                            {"active_channels", record.active_channels},
                            {"messages_sent", record.messages_sent},
                            {"pings_received", record.pings_received},
                            {"dropped", record.dropped}};
    if (!record.reason.empty()) entry["reason"] = record.reason;
    connections.push_back(std::move(entry));
  }
  nlohmann::json rest = nlohmann::json::array();
  for (const auto& request : rest_requests_) rest.push_back(request);
  return {{"connections", connections}, {"rest_requests", rest}};
}

}  // namespace flowmind::uwsim
