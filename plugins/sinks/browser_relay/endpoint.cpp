// One concrete WebSocket path: its frame log, counters, and per-shard lists of clients.
#include "endpoint.hpp"

#include <algorithm>

namespace flowmind::browser_relay {

void BindingCore::client_joined() {
  std::lock_guard lock(mutex_);
  ++clients_;
  if (control_ != nullptr) control_->set_demand(clients_);
}

void BindingCore::client_left() {
  std::lock_guard lock(mutex_);
  if (clients_ > 0) --clients_;
  if (control_ != nullptr) control_->set_demand(clients_);
}

std::size_t BindingCore::clients() const {
  std::lock_guard lock(mutex_);
  return clients_;
}

void BindingCore::log(LogLevel level, const std::string& message) {
  std::lock_guard lock(mutex_);
  if (log_ != nullptr && log_->enabled(level)) log_->log(level, message);
}

bool BindingCore::request_reconnect() {
  std::lock_guard lock(mutex_);
  return control_ != nullptr && control_->request_reconnect();
}

nlohmann::json BindingCore::source_status() const {
  std::lock_guard lock(mutex_);
  return control_ != nullptr ? control_->source_status() : nlohmann::json();
}

bool BindingCore::has_control() const {
  std::lock_guard lock(mutex_);
  return control_ != nullptr;
}

void BindingCore::detach() {
  std::lock_guard lock(mutex_);
  log_ = nullptr;
  control_ = nullptr;
}

void ShardSlot::add(std::shared_ptr<Subscriber> client) {
  client->listed = true;
  clients.push_back(std::move(client));
  count.fetch_add(1);
}

void ShardSlot::remove(Subscriber* client) {
  if (!client->listed) return;
  client->listed = false;
  count.fetch_sub(1);
  if (walking_) {
    dirty_ = true;
    return;
  }
  const auto found = std::find_if(clients.begin(), clients.end(), [&](const auto& c) { return c.get() == client; });
  if (found != clients.end()) {
    *found = std::move(clients.back());
    clients.pop_back();
  }
}

void ShardSlot::sweep() {
  dirty_ = false;
  clients.erase(std::remove_if(clients.begin(), clients.end(), [](const auto& c) { return !c->listed; }),
                clients.end());
}

std::vector<std::shared_ptr<Subscriber>> ShardSlot::take_all() {
  auto all = std::move(clients);
  clients.clear();
  for (auto& client : all) {
    if (client->listed) count.fetch_sub(1);
    client->listed = false;
  }
  return all;
}

Endpoint::Endpoint(std::string path, std::string name, const SinkOptions& options, std::size_t shards,
                   std::shared_ptr<BindingCore> core)
    : path_(std::move(path)),
      name_(std::move(name)),
      log_(std::max(options.queue_messages, options.backlog), options.queue_bytes),
      limits_{options.queue_messages, options.queue_bytes, options.when_full == WhenFull::disconnect},
      backlog_(options.backlog),
      batch_delay_(options.batch_delay),
      core_(std::move(core)) {
  for (std::size_t i = 0; i < shards; ++i) slots_.push_back(std::make_unique<ShardSlot>());
}

void Endpoint::append(const FramePtr& frame) {
  log_.append(frame);
  counters_.events.fetch_add(1, std::memory_order_relaxed);
  if (counters_.clients.load(std::memory_order_relaxed) == 0) log_.trim_to(backlog_);
}

bool Endpoint::join() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    ++joined_;
  }
  counters_.clients.fetch_add(1);
  counters_.connects.fetch_add(1);
  core_->client_joined();
  return true;
}

void Endpoint::leave() {
  {
    std::lock_guard lock(mutex_);
    if (joined_ > 0) --joined_;
  }
  counters_.clients.fetch_sub(1);
  counters_.disconnects.fetch_add(1);
  core_->client_left();
}

void Endpoint::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
}

bool Endpoint::close_if_idle() {
  std::lock_guard lock(mutex_);
  if (joined_ > 0) return false;
  closed_ = true;
  return true;
}

bool Endpoint::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace flowmind::browser_relay
