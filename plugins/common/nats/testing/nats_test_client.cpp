// A plain NATS client for tests: raw publish and subscribe, JetStream stream and consumer state.
#include "nats_test_client.hpp"

#include <stdexcept>

namespace flowmind::testing {
namespace {

void check(natsStatus status, const std::string& what) {
  if (status != NATS_OK) throw std::runtime_error(what + ": " + natsStatus_GetText(status));
}

}  // namespace

NatsTestClient::NatsTestClient(const std::string& url, const std::string& token) {
  natsOptions* options = nullptr;
  check(natsOptions_Create(&options), "options");
  natsOptions_SetURL(options, url.c_str());
  if (!token.empty()) natsOptions_SetToken(options, token.c_str());
  natsOptions_SetMaxReconnect(options, -1);
  natsOptions_SetReconnectWait(options, 100);
  const auto status = natsConnection_Connect(&connection_, options);
  natsOptions_Destroy(options);
  check(status, "test client connect to " + url);
  check(natsConnection_JetStream(&js_, connection_, nullptr), "JetStream context");
}

NatsTestClient::~NatsTestClient() {
  for (auto* sub : subscriptions_) natsSubscription_Unsubscribe(sub);
  natsConnection_Close(connection_);
  for (auto* sub : subscriptions_) natsSubscription_Destroy(sub);
  jsCtx_Destroy(js_);
  natsConnection_Destroy(connection_);
}

void NatsTestClient::on_message(natsConnection* /*nc*/, natsSubscription* /*sub*/, natsMsg* msg, void* self) {
  auto& me = *static_cast<NatsTestClient*>(self);
  ReceivedMessage message{natsMsg_GetSubject(msg),
                          std::string(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg))),
                          {}};
  const char* id = nullptr;
  if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id != nullptr) message.message_id = id;
  natsMsg_Destroy(msg);
  std::lock_guard lock(me.mutex_);
  me.received_.push_back(std::move(message));
  me.changed_.notify_all();
}

void NatsTestClient::subscribe(const std::string& subject) {
  natsSubscription* sub = nullptr;
  check(natsConnection_Subscribe(&sub, connection_, subject.c_str(), &on_message, this), "subscribe");
  subscriptions_.push_back(sub);
  check(natsConnection_FlushTimeout(connection_, 5000), "flush");
}

void NatsTestClient::publish(const std::string& subject, const std::string& data) {
  check(natsConnection_Publish(connection_, subject.c_str(), data.data(), static_cast<int>(data.size())), "publish");
  check(natsConnection_FlushTimeout(connection_, 5000), "flush");
}

std::vector<ReceivedMessage> NatsTestClient::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

bool NatsTestClient::wait_received(std::size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return received_.size() >= count; });
}

void NatsTestClient::add_stream(const std::string& name, const std::string& subjects) {
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = name.c_str();
  const char* subject_list[] = {subjects.c_str()};
  config.Subjects = subject_list;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  check(js_AddStream(&info, js_, &config, nullptr, &code), "add stream " + name);
  jsStreamInfo_Destroy(info);
}

std::int64_t NatsTestClient::stream_messages(const std::string& name) {
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  if (js_GetStreamInfo(&info, js_, name.c_str(), nullptr, &code) != NATS_OK) return -1;
  const auto count = static_cast<std::int64_t>(info->State.Msgs);
  jsStreamInfo_Destroy(info);
  return count;
}

std::vector<ReceivedMessage> NatsTestClient::stream_contents(const std::string& name) {
  std::vector<ReceivedMessage> out;
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  if (js_GetStreamInfo(&info, js_, name.c_str(), nullptr, &code) != NATS_OK) return out;
  const auto first = info->State.FirstSeq;
  const auto last = info->State.LastSeq;
  jsStreamInfo_Destroy(info);
  for (auto sequence = first; sequence <= last && last > 0; ++sequence) {
    natsMsg* msg = nullptr;
    if (js_GetMsg(&msg, js_, name.c_str(), sequence, nullptr, &code) != NATS_OK) continue;
    ReceivedMessage message{natsMsg_GetSubject(msg),
                            std::string(natsMsg_GetData(msg), static_cast<std::size_t>(natsMsg_GetDataLength(msg))),
                            {}};
    const char* id = nullptr;
    if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id != nullptr) message.message_id = id;
    natsMsg_Destroy(msg);
    out.push_back(std::move(message));
  }
  return out;
}

NatsTestClient::ConsumerState NatsTestClient::consumer(const std::string& stream, const std::string& durable) {
  ConsumerState state;
  jsConsumerInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  if (js_GetConsumerInfo(&info, js_, stream.c_str(), durable.c_str(), nullptr, &code) != NATS_OK) return state;
  state.exists = true;
  state.ack_floor = info->AckFloor.Stream;
  state.ack_pending = info->NumAckPending;
  state.num_pending = info->NumPending;
  jsConsumerInfo_Destroy(info);
  return state;
}

}  // namespace flowmind::testing
