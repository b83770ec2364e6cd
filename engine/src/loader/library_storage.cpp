// Process-wide storage of plugin libraries that is never destroyed, so no library is ever unloaded.
#include "loader/library_storage.hpp"

#include <deque>
#include <mutex>
#include <utility>

namespace flowmind {
namespace {

struct LibraryStorage {
  std::mutex mutex;
  std::deque<boost::dll::shared_library> libraries;  // deque: references stay valid as it grows
};

LibraryStorage& storage() {
  // Deliberately never deleted: destroying it at exit would dlclose libraries whose code
  // other static destructors may still run. Reachable through this pointer, so LeakSanitizer
  // does not report it.
  static auto* const instance = new LibraryStorage;
  return *instance;
}

}  // namespace

const boost::dll::shared_library& keep_loaded_forever(boost::dll::shared_library library) {
  auto& kept = storage();
  std::lock_guard lock(kept.mutex);
  return kept.libraries.emplace_back(std::move(library));
}

}  // namespace flowmind
