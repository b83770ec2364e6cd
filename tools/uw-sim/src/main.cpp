// uw-sim entry point: parse the command line, then serve.
#include <iostream>
#include <variant>

#include "cli.hpp"
#include "server.hpp"

int main(int argc, char** argv) {
  auto parsed = flowmind::uwsim::parse_command_line(argc, argv, std::cout, std::cerr);
  if (const auto* code = std::get_if<int>(&parsed)) return *code;
  return flowmind::uwsim::run_server(std::get<flowmind::uwsim::SimConfig>(parsed), std::cout, std::cerr);
}
