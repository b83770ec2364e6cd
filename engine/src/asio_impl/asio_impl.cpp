// Boost.Asio's non-template code, compiled once for the whole build (BOOST_ASIO_SEPARATE_COMPILATION).
#include <boost/asio/impl/src.hpp>
