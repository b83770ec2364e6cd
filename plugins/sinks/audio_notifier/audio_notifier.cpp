// The audio_notifier sink: queueing on the pipeline side, bursts, budget and playback on its worker.
#include "audio_notifier.hpp"

#include <stdlib.h>

#include <system_error>

#include "process_runner.hpp"

namespace flowmind {
namespace fs = std::filesystem;

namespace {

constexpr auto report_interval = std::chrono::seconds(30);

AudioOptions checked(const Config& config) {
  try {
    return AudioOptions::from_config(config);
  } catch (const std::invalid_argument& error) {
    throw PluginError(std::string("audio_notifier: ") + error.what());
  }
}

// Replaces placeholders in each argument; a player without {file} gets the file appended.
std::vector<std::string> player_argv(const std::vector<std::string>& player, const std::string& file) {
  std::vector<std::string> argv;
  bool placed = false;
  for (const auto& arg : player) {
    auto at = arg.find("{file}");
    if (at == std::string::npos) {
      argv.push_back(arg);
      continue;
    }
    std::string expanded = arg;
    for (; at != std::string::npos; at = expanded.find("{file}", at + file.size())) expanded.replace(at, 6, file);
    argv.push_back(std::move(expanded));
    placed = true;
  }
  if (!placed) argv.push_back(file);
  return argv;
}

}  // namespace

AudioNotifier::AudioNotifier(const Config& config) : AudioNotifier(checked(config)) {}

AudioNotifier::AudioNotifier(AudioOptions options)
    : options_(std::move(options)), cooldown_(options_.cooldown), budget_(options_.max_per_minute) {}

AudioNotifier::~AudioNotifier() { stop(); }

void AudioNotifier::start(StageContext& ctx) {
  const auto missing = missing_programs(options_);
  if (!missing.empty()) throw PluginError("audio_notifier: " + missing.front().message);
  ctx_ = &ctx;
  counters_ = {&ctx.counter("alerts_queued"),  &ctx.counter("not_matching"),     &ctx.counter("cooldown_suppressed"),
               &ctx.counter("alerts_dropped"), &ctx.counter("alerts_coalesced"), &ctx.counter("rate_limited"),
               &ctx.counter("alerts_played"),  &ctx.counter("play_failures")};
  if (options_.mode == AudioMode::speak) {
    std::string pattern = (fs::temp_directory_path() / "flowmind-speech-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw PluginError("audio_notifier: cannot create a folder for speech files: " +
                        std::error_code(errno, std::generic_category()).message());
    }
    speech_dir_ = pattern;
  }
  worker_ = std::thread([this] { work(); });
}

void AudioNotifier::consume(const EventPtr& event) {
  for (const auto& condition : options_.when) {
    if (!condition.matches(*event)) {
      ++*counters_.not_matching;
      return;
    }
  }
  Alert alert = make_alert(*event, options_.kind);
  if (!cooldown_.allow(alert.symbol, std::chrono::steady_clock::now())) {
    ++*counters_.cooldown;
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.queue_size) {
      queue_.pop_front();
      ++*counters_.dropped;
    }
    queue_.push_back(std::move(alert));
    ++*counters_.queued;
  }
  wake_.notify_all();
}

void AudioNotifier::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Alert first = std::move(queue_.front());
    queue_.pop_front();
    std::uint64_t more = 0;
    if (options_.coalesce.count() > 0) {
      const auto until = std::chrono::steady_clock::now() + options_.coalesce;
      while (wake_.wait_until(lock, until, [this] { return stopping_ || !queue_.empty(); })) {
        if (stopping_) return;
        more += queue_.size();
        queue_.clear();
      }
    }
    if (stopping_) return;
    *counters_.coalesced += more;
    if (!budget_.take(std::chrono::steady_clock::now())) {
      *counters_.rate_limited += 1 + more;
      continue;
    }
    lock.unlock();
    sound(first, more);
    lock.lock();
  }
}

void AudioNotifier::sound(const Alert& alert, std::uint64_t more) {
  const auto template_it = options_.templates.find(alert.kind);
  const std::string& phrase = template_it != options_.templates.end() ? template_it->second : options_.template_text;
  std::string text = render_template(phrase, alert, more);
  if (more > 0 && phrase.find("{more}") == std::string::npos && phrase.find("{count}") == std::string::npos) {
    text += (text.empty() ? "" : ", ") + std::string("and ") + std::to_string(more) + " more";
  }
  bool ok = false;
  switch (options_.mode) {
    case AudioMode::sound: ok = run(player_argv(options_.player, sound_for(options_, alert.kind).string()), {}); break;
    case AudioMode::speak: {
      const auto wav = (speech_dir_ / "alert.wav").string();
      ok = run({options_.espeak, "-v", options_.voice, "-s", std::to_string(options_.words_per_minute), "-w", wav,
                "--stdin"},
               text) &&
           run(player_argv(options_.player, wav), {});
      break;
    }
    case AudioMode::command: {
      std::vector<std::string> argv;
      for (const auto& arg : options_.command) {
        argv.push_back(arg.find('{') == std::string::npos ? arg : render_template(arg, alert, more, text));
      }
      ok = run(argv, alert_json(alert, text, more).dump() + "\n");
      break;
    }
  }
  if (ok) ++*counters_.played;
}

bool AudioNotifier::run(const std::vector<std::string>& argv, const std::string& input) {
  const auto outcome = run_program(argv, input, options_.timeout, &stopping_);
  if (outcome.ok() || outcome.cancelled) return outcome.ok();
  ++*counters_.failures;
  report(outcome.describe(argv.front()));
  return false;
}

void AudioNotifier::report(const std::string& message) {
  {
    std::lock_guard lock(mutex_);
    last_error_ = message;
  }
  const auto now = std::chrono::steady_clock::now();
  if (last_report_ != std::chrono::steady_clock::time_point{} && now - last_report_ < report_interval) return;
  last_report_ = now;
  ctx_->log().error("audio_notifier: " + message + " (see play_failures for how often)");
}

void AudioNotifier::stop() {
  if (stopping_.exchange(true)) return;
  std::size_t discarded = 0;
  {
    std::lock_guard lock(mutex_);
    discarded = queue_.size();
    queue_.clear();
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  if (discarded > 0 && counters_.dropped != nullptr) *counters_.dropped += discarded;
  if (!speech_dir_.empty()) {
    std::error_code ignored;
    fs::remove_all(speech_dir_, ignored);
  }
}

nlohmann::json AudioNotifier::status() const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = {{"queued", queue_.size()}};
  if (!last_error_.empty()) out["last_error"] = last_error_;
  return out;
}

}  // namespace flowmind
