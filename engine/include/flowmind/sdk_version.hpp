// SDK version and ABI tag that every plugin exports and the loader checks before anything else.
#pragma once

#include <boost/version.hpp>
#include <nlohmann/json.hpp>

#define FLOWMIND_SDK_VERSION_MAJOR 2
#define FLOWMIND_SDK_VERSION_MINOR 0

#define FLOWMIND_STRINGIFY_IMPL(x) #x
#define FLOWMIND_STRINGIFY(x) FLOWMIND_STRINGIFY_IMPL(x)

// Everything whose layout crosses the plugin boundary: compiler family and major version,
// standard library and its string ABI, Boost and nlohmann::json versions.
#if defined(__clang__)
#define FLOWMIND_ABI_COMPILER "clang-" FLOWMIND_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define FLOWMIND_ABI_COMPILER "gcc-" FLOWMIND_STRINGIFY(__GNUC__)
#else
#define FLOWMIND_ABI_COMPILER "unknown-compiler"
#endif

#if defined(_GLIBCXX_RELEASE)
#define FLOWMIND_ABI_STDLIB \
  "libstdc++-" FLOWMIND_STRINGIFY(_GLIBCXX_RELEASE) "-cxx11abi" FLOWMIND_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#elif defined(_LIBCPP_VERSION)
#define FLOWMIND_ABI_STDLIB "libc++-" FLOWMIND_STRINGIFY(_LIBCPP_VERSION)
#else
#define FLOWMIND_ABI_STDLIB "unknown-stdlib"
#endif

#define FLOWMIND_ABI_TAG                                                   \
  FLOWMIND_ABI_COMPILER ";" FLOWMIND_ABI_STDLIB ";boost-" FLOWMIND_STRINGIFY( \
      BOOST_VERSION) ";nlohmann-" FLOWMIND_STRINGIFY(NLOHMANN_JSON_VERSION_MAJOR) "." FLOWMIND_STRINGIFY(NLOHMANN_JSON_VERSION_MINOR)

namespace flowmind {

inline constexpr int sdk_version_major = FLOWMIND_SDK_VERSION_MAJOR;
inline constexpr int sdk_version_minor = FLOWMIND_SDK_VERSION_MINOR;
inline constexpr const char* abi_tag = FLOWMIND_ABI_TAG;

}  // namespace flowmind
