// Expands file_writer path templates and finds the files a template produced (for gzip and retention).
#include "path_template.hpp"

#include <algorithm>
#include <ctime>
#include <stdexcept>
#include <system_error>

namespace flowmind {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view pipeline_field = "{pipeline}";
constexpr std::string_view channel_field = "{channel}";

// Length of a rotation stamp (".20240918T100000.000Z", maybe "_002") at `pos`, 0 if none.
std::size_t stamp_length(std::string_view name, std::size_t pos) {
  constexpr std::string_view shape = ".ddddddddTdddddd.dddZ";
  if (pos + shape.size() > name.size()) return 0;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const char c = name[pos + i];
    if (shape[i] == 'd' ? (c < '0' || c > '9') : c != shape[i]) return 0;
  }
  std::size_t length = shape.size();
  if (pos + length < name.size() && name[pos + length] == '_') {
    std::size_t digits = 0;
    while (pos + length + 1 + digits < name.size() && name[pos + length + 1 + digits] >= '0' &&
           name[pos + length + 1 + digits] <= '9') {
      ++digits;
    }
    if (digits > 0) length += 1 + digits;
  }
  return length;
}

std::string format_time(const std::string& pattern, std::chrono::system_clock::time_point time, bool utc) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm fields{};
  if (utc) {
    gmtime_r(&seconds, &fields);
  } else {
    localtime_r(&seconds, &fields);
  }
  if (pattern.find('%') == std::string::npos) return pattern;
  // strftime returns 0 both for "too small" and for an empty result: grow a few times, then give up.
  for (std::size_t size = pattern.size() * 4 + 64; size <= 65536; size *= 4) {
    std::string buffer(size, '\0');
    const std::size_t written = std::strftime(buffer.data(), buffer.size(), pattern.c_str(), &fields);
    if (written > 0) {
      buffer.resize(written);
      return buffer;
    }
  }
  return {};
}

std::string stamp_text(std::chrono::system_clock::time_point time) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  const auto written = std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%S", &utc);
  std::string text(buffer, written);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms - static_cast<long long>(seconds) * 1000));
  return text + millis;
}

}  // namespace

std::string safe_path_component(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    const bool keep =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    out += keep ? c : '_';
  }
  if (out.empty() || out == "." || out == "..") out.insert(0, "_");
  return out;
}

PathTemplate::PathTemplate(std::string text) : text_(std::move(text)) {
  if (text_.empty()) throw std::invalid_argument("the path is empty");
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '{') {
      const std::string_view rest = std::string_view(text_).substr(i);
      if (rest.starts_with(pipeline_field)) {
        i += pipeline_field.size() - 1;
      } else if (rest.starts_with(channel_field)) {
        uses_channel_ = true;
        i += channel_field.size() - 1;
      } else {
        const auto close = rest.find('}');
        throw std::invalid_argument("unknown placeholder '" +
                                    std::string(rest.substr(0, close == std::string_view::npos ? 1 : close + 1)) +
                                    "' (use {pipeline} or {channel})");
      }
    } else if (text_[i] == '}') {
      throw std::invalid_argument("'}' without a matching '{'");
    }
  }
  if (text_.back() == '/') throw std::invalid_argument("the path names a folder, not a file");
}

std::string PathTemplate::expand(std::chrono::system_clock::time_point time, bool utc, std::string_view pipeline,
                                 std::string_view channel) const {
  std::string pattern;
  pattern.reserve(text_.size() + 32);
  for (std::size_t i = 0; i < text_.size();) {
    const std::string_view rest = std::string_view(text_).substr(i);
    if (rest.starts_with(pipeline_field)) {
      pattern += safe_path_component(pipeline);  // no '%' survives: strftime leaves it alone
      i += pipeline_field.size();
    } else if (rest.starts_with(channel_field)) {
      pattern += safe_path_component(channel);
      i += channel_field.size();
    } else {
      pattern += text_[i++];
    }
  }
  return format_time(pattern, time, utc);
}

bool PathTemplate::NamePattern::matches(std::string_view name, std::size_t token, std::size_t pos) const {
  if (token == tokens.size()) {
    const std::string_view rest = name.substr(pos);
    return rest.empty() || rest == ".gz" || rest == ".gz.part";
  }
  const Token& current = tokens[token];
  switch (current.kind) {
    case Kind::literal:
      return name.substr(pos).starts_with(current.text) && matches(name, token + 1, pos + current.text.size());
    case Kind::any:
      for (std::size_t end = pos; end <= name.size(); ++end) {
        if (matches(name, token + 1, end)) return true;
        if (end < name.size() && name[end] == '/') break;
      }
      return false;
    case Kind::stamp: {
      if (matches(name, token + 1, pos)) return true;
      const std::size_t length = stamp_length(name, pos);
      return length > 0 && matches(name, token + 1, pos + length);
    }
  }
  return false;
}

PathTemplate::NamePattern PathTemplate::name_pattern(std::string_view pipeline) const {
  // The rotation stamp goes before the extension: the last '.' of the file name that no
  // placeholder follows.
  const std::size_t name_start = text_.rfind('/') == std::string::npos ? 0 : text_.rfind('/') + 1;
  std::size_t ext_start = text_.rfind('.');
  if (ext_start == std::string::npos || ext_start <= name_start ||
      text_.find_first_of("%{", ext_start) != std::string::npos) {
    ext_start = text_.size();
  }
  NamePattern pattern;
  const auto literal = [&](std::string_view text) {
    if (pattern.tokens.empty() || pattern.tokens.back().kind != NamePattern::Kind::literal) {
      pattern.tokens.push_back({NamePattern::Kind::literal, {}});
    }
    pattern.tokens.back().text += text;
  };
  const auto any = [&] {
    if (pattern.tokens.empty() || pattern.tokens.back().kind != NamePattern::Kind::any) {
      pattern.tokens.push_back({NamePattern::Kind::any, {}});
    }
  };
  const auto convert = [&](std::string_view part) {
    for (std::size_t i = 0; i < part.size();) {
      const std::string_view rest = part.substr(i);
      if (rest.starts_with(pipeline_field)) {
        literal(safe_path_component(pipeline));
        i += pipeline_field.size();
      } else if (rest.starts_with(channel_field)) {
        any();
        i += channel_field.size();
      } else if (part[i] == '%' && i + 1 < part.size()) {
        if (part[i + 1] == '%') {
          literal("%");
          i += 2;
        } else {
          any();
          i += (part[i + 1] == 'E' || part[i + 1] == 'O') && i + 2 < part.size() ? 3 : 2;
        }
      } else {
        literal(part.substr(i, 1));
        ++i;
      }
    }
  };
  const std::string_view text(text_);
  convert(text.substr(0, ext_start));
  pattern.tokens.push_back({NamePattern::Kind::stamp, {}});
  convert(text.substr(ext_start));
  return pattern;
}

std::vector<fs::path> PathTemplate::existing_files(std::string_view pipeline) const {
  // Walk from the deepest folder without placeholders, only as deep as the template goes.
  const std::size_t first_field = text_.find_first_of("%{");
  const std::size_t base_end = text_.rfind('/', first_field == std::string::npos ? text_.size() : first_field);
  const std::string base =
      base_end == std::string::npos ? std::string() : text_.substr(0, base_end == 0 ? 1 : base_end);
  const auto depth = std::count(
      text_.begin() + static_cast<std::ptrdiff_t>(base_end == std::string::npos ? 0 : base_end + 1), text_.end(), '/');
  const NamePattern pattern = name_pattern(pipeline);

  std::vector<fs::path> files;
  std::error_code error;
  fs::recursive_directory_iterator it(base.empty() ? fs::path(".") : fs::path(base),
                                      fs::directory_options::skip_permission_denied, error);
  for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it.depth() >= depth) it.disable_recursion_pending();
    std::error_code type_error;
    if (!it->is_regular_file(type_error)) continue;
    std::string name = it->path().generic_string();
    if (base.empty() && name.starts_with("./")) name.erase(0, 2);
    if (pattern.matches(name)) files.emplace_back(name);
  }
  std::sort(files.begin(), files.end());
  return files;
}

fs::path rotated_path(const fs::path& active, std::chrono::system_clock::time_point closed_at) {
  const std::string name = active.filename().string();
  const auto dot = name.rfind('.');
  const bool has_ext = dot != std::string::npos && dot > 0;
  const std::string stem = has_ext ? name.substr(0, dot) : name;
  const std::string ext = has_ext ? name.substr(dot) : std::string();
  const std::string stamp = stamp_text(closed_at);
  for (int attempt = 1;; ++attempt) {
    // "_002" sorts after the plain name and before "_010": names sort in rotation order.
    char suffix[16] = "";
    if (attempt > 1) std::snprintf(suffix, sizeof suffix, "_%03d", attempt);
    const fs::path candidate = active.parent_path() / (stem + "." + stamp + suffix + ext);
    std::error_code error;
    if (!fs::exists(candidate, error) && !fs::exists(fs::path(candidate.string() + ".gz"), error)) return candidate;
  }
}

bool is_rotated_name(const std::string& file_name) {
  for (auto dot = file_name.find('.'); dot != std::string::npos; dot = file_name.find('.', dot + 1)) {
    const std::size_t length = stamp_length(file_name, dot);
    if (length > 0 && (dot + length == file_name.size() || file_name[dot + length] == '.')) return true;
  }
  return false;
}

}  // namespace flowmind
