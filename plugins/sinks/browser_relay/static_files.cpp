// The static files served at / (the dashboard): safe path resolution, content types, no listings.
#include "static_files.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>
#include <utility>

namespace flowmind::browser_relay {
namespace fs = std::filesystem;

namespace {

bool inside(const fs::path& root, const fs::path& file) {
  auto r = root.begin();
  auto f = file.begin();
  for (; r != root.end(); ++r, ++f) {
    if (r->empty()) continue;  // a trailing separator
    if (f == file.end() || *r != *f) return false;
  }
  return true;
}

}  // namespace

fs::path resolve_static(const fs::path& root, std::string_view decoded_path) {
  if (decoded_path.empty() || decoded_path.front() != '/') return {};
  fs::path relative;
  std::size_t from = 1;
  while (from <= decoded_path.size()) {
    auto to = decoded_path.find('/', from);
    if (to == std::string_view::npos) to = decoded_path.size();
    const auto segment = decoded_path.substr(from, to - from);
    from = to + 1;
    if (segment.empty()) continue;
    if (segment.front() == '.' || segment.find('\\') != std::string_view::npos ||
        segment.find('\0') != std::string_view::npos) {
      return {};
    }
    relative /= std::string(segment);
  }
  std::error_code error;
  const auto real_root = fs::canonical(root, error);
  if (error) return {};
  auto file = real_root / relative;
  if (fs::is_directory(file, error)) file /= "index.html";
  const auto real_file = fs::canonical(file, error);
  if (error || !inside(real_root, real_file) || !fs::is_regular_file(real_file, error)) return {};
  return real_file;
}

std::string content_type_for(const fs::path& file) {
  static const std::array<std::pair<const char*, const char*>, 16> types{{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".wav", "audio/wav"},
  }};
  auto extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [suffix, type] : types) {
    if (extension == suffix) return type;
  }
  return "application/octet-stream";
}

StaticReply serve_static(const fs::path& root, std::string_view decoded_path) {
  const auto file = resolve_static(root, decoded_path);
  if (file.empty()) return {404, "text/plain; charset=utf-8", "not found\n"};
  std::error_code error;
  const auto size = fs::file_size(file, error);
  if (error || size > max_static_file_size) return {404, "text/plain; charset=utf-8", "not found\n"};
  std::ifstream in(file, std::ios::binary);
  if (!in) return {404, "text/plain; charset=utf-8", "not found\n"};
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return {200, content_type_for(file), std::move(body)};
}

}  // namespace flowmind::browser_relay
