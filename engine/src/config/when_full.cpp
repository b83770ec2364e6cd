// Names of the queue policies, as written in YAML and shown in status.
#include "config/pipeline_spec.hpp"

namespace flowmind {

const char* to_string(WhenFull policy) {
  switch (policy) {
    case WhenFull::block: return "block";
    case WhenFull::drop_oldest: return "drop_oldest";
    case WhenFull::drop_newest: return "drop_newest";
  }
  return "?";
}

}  // namespace flowmind
