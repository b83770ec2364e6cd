// A plugin-named library that needs a symbol nobody defines, so dlopen itself fails.
#include <boost/config.hpp>

extern "C" int flowmind_loader_test_symbol_nobody_defines();

extern "C" BOOST_SYMBOL_EXPORT int flowmind_sdk_version_major() { return flowmind_loader_test_symbol_nobody_defines(); }
