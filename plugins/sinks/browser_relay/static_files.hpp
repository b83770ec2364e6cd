// The static files served at / (the dashboard): safe path resolution, content types, no listings.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace flowmind::browser_relay {

struct StaticReply {
  int status = 200;
  std::string content_type;
  std::string body;  // the file, or a short plain-text error
};

// The file for a request path under `root`: "/" and folders mean their index.html; any segment
// that is empty-dot, "..", hidden (".git") or holds a backslash is refused, and so is a file that
// resolves (through symlinks) outside `root`. Empty = not servable.
std::filesystem::path resolve_static(const std::filesystem::path& root, std::string_view decoded_path);
std::string content_type_for(const std::filesystem::path& file);
// GET/HEAD of a decoded request path: 200 with the file, or 404 (never a listing, never a reason
// that tells what exists outside the folder).
StaticReply serve_static(const std::filesystem::path& root, std::string_view decoded_path);

inline constexpr std::size_t max_static_file_size = 16U << 20U;

}  // namespace flowmind::browser_relay
