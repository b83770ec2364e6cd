// A plain shared library named like a plugin but exporting none of the FlowMind symbols.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int not_a_plugin_answer() { return 42; }
