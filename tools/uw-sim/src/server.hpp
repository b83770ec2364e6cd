// The simulator's network side: one port for ws/wss/http/https, the WebSocket protocol, REST and /_sim/.
#pragma once

#include <ostream>

#include "config.hpp"

namespace flowmind::uwsim {

// Serves until SIGINT or SIGTERM; prints the listening line on `out`, diagnostics on `err`.
// Returns the process exit code (0 after a signal, 1 when it cannot start).
int run_server(const SimConfig& config, std::ostream& out, std::ostream& err);

}  // namespace flowmind::uwsim
