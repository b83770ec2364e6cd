// What clients did (connections, joins, leaves, REST calls), served by GET /_sim/log. Never holds a token.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace flowmind::uwsim {

struct ConnectionRecord {
  int id = 0;
  bool tls = false;
  int status = 101;    // the upgrade answer
  std::string reason;  // why an upgrade was refused
  std::int64_t opened_at_ms = 0;
  std::optional<std::int64_t> closed_at_ms;
  std::vector<std::string> joins;   // every join received, in order (ignored ones too)
  std::vector<std::string> leaves;  // every leave received, in order
  std::vector<std::string> active_channels;
  std::uint64_t messages_sent = 0;
  std::uint64_t pings_received = 0;
  std::uint64_t dropped = 0;  // frames dropped because the client read too slowly
};

class ClientLog {
 public:
  // Adds a connection (accepted or refused) and returns its record; ids keep growing across clear().
  ConnectionRecord& open_connection(bool tls, int status, std::int64_t now_ms);
  // nullptr when the record was cleared away.
  ConnectionRecord* find(int id);
  void record_rest(const std::string& path, int status, std::int64_t now_ms);
  // Forgets closed connections and REST calls; records of open connections stay.
  void clear();
  [[nodiscard]] nlohmann::json to_json() const;

 private:
  int next_id_ = 1;
  std::map<int, ConnectionRecord> connections_;
  std::deque<nlohmann::json> rest_requests_;
};

}  // namespace flowmind::uwsim
