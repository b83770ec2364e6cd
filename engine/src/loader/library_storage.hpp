// Keeps every plugin library loaded for the life of the process (objects, vtables and exceptions point into them).
#pragma once

#include <boost/dll/shared_library.hpp>

namespace flowmind {

// Moves `library` into process-wide storage that is never destroyed and returns the stored
// copy. Thread-safe. Refused libraries are kept too: code of theirs (static constructors,
// the version functions) has already run and may have registered things that point into them.
const boost::dll::shared_library& keep_loaded_forever(boost::dll::shared_library library);

}  // namespace flowmind
