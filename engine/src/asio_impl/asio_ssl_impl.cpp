// Boost.Asio's TLS code, compiled once for the whole build; only TLS users link OpenSSL through it.
#include <boost/asio/ssl/impl/src.hpp>
