// Boost.Beast's non-template code, compiled once for the whole build (BOOST_BEAST_SEPARATE_COMPILATION).
#include <boost/beast/src.hpp>
