// Command-line parsing for uw-sim.
#pragma once

#include <ostream>
#include <variant>

#include "config.hpp"

namespace flowmind::uwsim {

// A parsed configuration, or the exit code to leave with (0 after --help, 2 on a bad flag).
std::variant<SimConfig, int> parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                                std::ostream& err);

}  // namespace flowmind::uwsim
