// The process-wide table of UW connections: pipelines with the same URL and token share one, and
// at most 3 distinct connections per token exist at a time (UW's limit).
#include "uw_registry.hpp"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

#include "flowmind/plugin.hpp"
#include "uw_net/redact.hpp"
#include "uw_upstream.hpp"

namespace flowmind::uw_websocket {
namespace {

constexpr std::chrono::milliseconds close_wait{2500};
// How long a stopping pipeline keeps its channels (and the connection) when letting go would cost
// a leave or a close: a reload starts the replacing instance before it stops the old one, and the
// new source thread attaches within this time, so unchanged channels are never left and rejoined.
constexpr std::chrono::milliseconds successor_wait{1500};

// Holds no connection alive: pipelines own them; an entry is removed when the last one leaves.
class Registry {
 public:
  std::shared_ptr<Upstream> acquire(boost::asio::io_context& io, const Options& options,
                                    const std::shared_ptr<Inbox>& inbox) {
    const auto token_id = std::to_string(std::hash<std::string>{}(options.token));
    // The io_context is part of the identity: a connection lives on the threads of one engine.
    const auto key =
        uw_net::redact_url(options.url) + "|" + token_id + "|" + std::to_string(reinterpret_cast<std::uintptr_t>(&io));
    std::lock_guard lock(mutex_);
    if (auto found = entries_.find(key); found != entries_.end()) {
      if (auto upstream = found->second.upstream.lock()) {
        upstream->attach(inbox, options);
        return upstream;
      }
      entries_.erase(found);
    }
    std::vector<std::string> others;
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->second.upstream.expired()) {
        it = entries_.erase(it);
        continue;
      }
      if (it->second.token_id == token_id) others.push_back(it->second.display_url);
      ++it;
    }
    if (others.size() >= max_connections_per_token) {
      std::string list;
      for (const auto& url : others) list += (list.empty() ? "" : ", ") + url;
      throw FatalSourceError("UW allows " + std::to_string(max_connections_per_token) +
                             " WebSocket connections per token and this process already has them open (" + list +
                             "); pipelines with the same url and token share one connection, so give this pipeline "
                             "the url of one of those");
    }
    auto upstream = std::make_shared<Upstream>(io, options, key);
    upstream->attach(inbox, options);
    entries_[key] = Entry{upstream, token_id, upstream->display_url()};
    upstream->start();
    return upstream;
  }

  std::shared_ptr<Upstream> acquire_and_notify(boost::asio::io_context& io, const Options& options,
                                               const std::shared_ptr<Inbox>& inbox) {
    auto upstream = acquire(io, options, inbox);
    attached_.notify_all();
    return upstream;
  }

  void release(const std::shared_ptr<Upstream>& upstream, const std::shared_ptr<Inbox>& inbox) {
    std::shared_ptr<ClosedSignal> closed;
    {
      std::unique_lock lock(mutex_);
      attached_.wait_for(lock, successor_wait, [&] { return !upstream->detach_would_cost(*inbox); });
      if (upstream->detach(inbox) > 0) return;
      forget_locked(upstream->key(), upstream.get());
      closed = upstream->shut_down();
    }
    // Bounded: the close timer cuts a silent peer off; a stopped io_context never answers.
    (void)closed->wait_for(close_wait);
  }

  void forget(const std::string& key, const Upstream* upstream) {
    std::lock_guard lock(mutex_);
    forget_locked(key, upstream);
  }

 private:
  struct Entry {
    std::weak_ptr<Upstream> upstream;
    std::string token_id;
    std::string display_url;
  };

  void forget_locked(const std::string& key, const Upstream* upstream) {
    const auto found = entries_.find(key);
    if (found == entries_.end()) return;
    const auto current = found->second.upstream.lock();
    if (!current || current.get() == upstream) entries_.erase(found);
  }

  std::mutex mutex_;
  std::condition_variable attached_;  // an inbox attached (a successor may have come)
  std::map<std::string, Entry> entries_;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

std::shared_ptr<Upstream> acquire_upstream(boost::asio::io_context& io, const Options& options,
                                           const std::shared_ptr<Inbox>& inbox) {
  return registry().acquire_and_notify(io, options, inbox);
}

void release_upstream(const std::shared_ptr<Upstream>& upstream, const std::shared_ptr<Inbox>& inbox) {
  registry().release(upstream, inbox);
}

void forget_upstream(const std::string& key, const Upstream* upstream) { registry().forget(key, upstream); }

}  // namespace flowmind::uw_websocket
