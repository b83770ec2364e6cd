// enrich: a hash join of one payload field against a small table read from a file.
#include "enrich.hpp"

#include <algorithm>

#include "uw/json_scan.hpp"
#include "uw/values.hpp"

namespace flowmind {

EnrichFilter::EnrichFilter(const Config& config)
    : path_(config.string("table")),
      field_(config.string("field")),
      key_column_(config.string("key_column")),
      columns_(config.get<std::vector<std::string>>("columns")),
      prefix_(config.string("prefix")),
      case_sensitive_(config.boolean("case_sensitive")),
      drop_misses_(config.string("on_miss") == "drop") {
  try {
    lookup_ = build(uw::load_table(path_));
  } catch (const uw::TableError& error) {
    throw PluginError(std::string("table: ") + error.what());
  }
  rows_ = lookup_->rows.size();
  const auto interval = config.duration("reload_interval");
  if (interval.count() > 0) {
    watch_.emplace(path_, interval);
    watch_->mark_loaded();
  }
}

std::string EnrichFilter::normalize(std::string_view key) const {
  // Blanks collapse so "Nancy  Pelosi " finds "Nancy Pelosi"; case folds unless asked not to.
  std::string out;
  out.reserve(key.size());
  bool blank = false;
  for (char c : uw::trim(key)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      blank = true;
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    if (!case_sensitive_ && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c;
  }
  return out;
}

std::shared_ptr<const EnrichFilter::Lookup> EnrichFilter::build(const uw::Table& table) const {
  const int key = key_column_.empty() ? 0 : table.column(key_column_);
  if (key < 0) throw uw::TableError(path_ + ": no column '" + key_column_ + "'");
  std::vector<int> added;
  if (columns_.empty()) {
    for (int i = 0; i < static_cast<int>(table.columns.size()); ++i) {
      if (i != key) added.push_back(i);
    }
  } else {
    for (const auto& name : columns_) {
      const int index = table.column(name);
      if (index < 0) throw uw::TableError(path_ + ": no column '" + name + "'");
      added.push_back(index);
    }
  }
  auto lookup = std::make_shared<Lookup>();
  for (int index : added) lookup->names.push_back(prefix_ + table.columns[static_cast<std::size_t>(index)]);
  for (const auto& row : table.rows) {
    std::string normalized = normalize(row[static_cast<std::size_t>(key)]);
    if (normalized.empty()) continue;
    std::vector<std::string> cells;
    cells.reserve(added.size());
    for (int index : added) cells.push_back(row[static_cast<std::size_t>(index)]);
    if (!lookup->rows.emplace(std::move(normalized), std::move(cells)).second) ++lookup->duplicate_keys;
  }
  return lookup;
}

void EnrichFilter::start(StageContext& ctx) {
  log_ = &ctx.log();
  for (auto* tally : {&hits_, &misses_, &no_field_, &unreadable_field_, &reloads_, &reload_errors_}) tally->start(ctx);
  if (lookup_->duplicate_keys > 0) {
    log_->warn(path_ + ": " + std::to_string(lookup_->duplicate_keys) +
               " duplicate keys (the first row of each is used)");
  }
}

void EnrichFilter::reload_if_changed(Clock::time_point now) {
  if (!watch_ || !watch_->due(now)) return;
  try {
    lookup_ = build(uw::load_table(path_));
    rows_ = lookup_->rows.size();
    reloads_.add();
    if (log_ != nullptr) log_->info("reloaded " + path_ + ": " + std::to_string(lookup_->rows.size()) + " rows");
  } catch (const uw::TableError& error) {
    reload_errors_.add();
    if (log_ != nullptr) log_->warn(std::string("keeping the previous table: ") + error.what());
  }
}

Filter::Verdict EnrichFilter::process(Event& event, Emitter& /*out*/) { return process_at(event, Clock::now()); }

Filter::Verdict EnrichFilter::process_at(Event& event, Clock::time_point now) {
  reload_if_changed(now);
  const uw::JsonView value = uw::find_path(uw::payload_object(event.raw()), field_);
  std::string text;
  switch (value.type) {
    case uw::JsonType::string: text = uw::string_text(value); break;
    case uw::JsonType::number:
    case uw::JsonType::boolean: text = value.text; break;
    case uw::JsonType::missing:
    case uw::JsonType::null: break;
    default: unreadable_field_.add(); break;  // a list or an object is no key
  }
  const std::string key = normalize(text);
  if (key.empty()) {
    no_field_.add();
    return drop_misses_ ? Verdict::drop : Verdict::keep;
  }
  const auto lookup = lookup_;  // a reload swaps the pointer, never the table in use
  const auto row = lookup->rows.find(key);
  if (row == lookup->rows.end()) {
    misses_.add();
    return drop_misses_ ? Verdict::drop : Verdict::keep;
  }
  hits_.add();
  for (std::size_t i = 0; i < lookup->names.size(); ++i) {
    if (!row->second[i].empty()) event.annotate(lookup->names[i], row->second[i]);
  }
  return Verdict::keep;
}

nlohmann::json EnrichFilter::status() const {
  return {{"hits", hits_.value()}, {"misses", misses_.value()},   {"no_field", no_field_.value()},
          {"rows", rows_.load()},  {"reloads", reloads_.value()}, {"reload_errors", reload_errors_.value()}};
}

}  // namespace flowmind
