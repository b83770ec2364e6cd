// FLOWMIND_PLUGIN(FactoryType): the one line in a plugin's plugin.cpp that makes it loadable.
#pragma once

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>

#include "flowmind/plugin.hpp"
#include "flowmind/sdk_version.hpp"

// The loader calls the three plain C functions first (version and ABI checks) and only then
// imports the factory through the Boost.DLL alias `flowmind_factory`.
#define FLOWMIND_PLUGIN(FactoryType)                                                                     \
  extern "C" BOOST_SYMBOL_EXPORT int flowmind_sdk_version_major() { return FLOWMIND_SDK_VERSION_MAJOR; } \
  extern "C" BOOST_SYMBOL_EXPORT int flowmind_sdk_version_minor() { return FLOWMIND_SDK_VERSION_MINOR; } \
  extern "C" BOOST_SYMBOL_EXPORT const char* flowmind_abi_tag() { return FLOWMIND_ABI_TAG; }            \
  namespace {                                                                                            \
  ::flowmind::Factory* flowmind_plugin_factory_instance() {                                              \
    static FactoryType factory;                                                                          \
    return &factory;                                                                                     \
  }                                                                                                      \
  }                                                                                                      \
  BOOST_DLL_ALIAS(flowmind_plugin_factory_instance, flowmind_factory)
