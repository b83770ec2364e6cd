// A test plugin whose exported symbols are written by hand so each build can break one rule of the loader.
//
// Compile definitions choose the breakage:
//   TEST_PLUGIN_NAME="..."   the factory's name (required)
//   TEST_MAJOR_DELTA=n       added to the SDK major it reports
//   TEST_MINOR_DELTA=n       added to the SDK minor it reports
//   TEST_WRONG_ABI           reports an ABI tag no engine has
//   TEST_KIND=n              the factory's kind as a raw number (default: filter)
//   TEST_NO_FACTORY          exports the version symbols but no factory
#include <memory>

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>

#include "flowmind/plugin.hpp"
#include "flowmind/sdk_version.hpp"

#ifndef TEST_MAJOR_DELTA
#define TEST_MAJOR_DELTA 0
#endif
#ifndef TEST_MINOR_DELTA
#define TEST_MINOR_DELTA 0
#endif
#ifndef TEST_KIND
#define TEST_KIND 1
#endif

extern "C" BOOST_SYMBOL_EXPORT int flowmind_sdk_version_major() {
  return FLOWMIND_SDK_VERSION_MAJOR + TEST_MAJOR_DELTA;
}
extern "C" BOOST_SYMBOL_EXPORT int flowmind_sdk_version_minor() {
  return FLOWMIND_SDK_VERSION_MINOR + TEST_MINOR_DELTA;
}
extern "C" BOOST_SYMBOL_EXPORT const char* flowmind_abi_tag() {
#ifdef TEST_WRONG_ABI
  return "gcc-0;libstdc++-0-cxx11abi0;boost-0;nlohmann-0.0";
#else
  return FLOWMIND_ABI_TAG;
#endif
}

#ifndef TEST_NO_FACTORY
namespace {

class PassFilter final : public flowmind::Filter {
 public:
  Verdict process(flowmind::Event& /*event*/, flowmind::Emitter& /*out*/) override { return Verdict::keep; }
};

class HandwrittenFactory final : public flowmind::Factory {
 public:
  [[nodiscard]] std::string_view name() const override { return TEST_PLUGIN_NAME; }
  [[nodiscard]] flowmind::PluginKind kind() const override { return static_cast<flowmind::PluginKind>(TEST_KIND); }
  [[nodiscard]] std::string_view summary() const override { return "Loader test plugin"; }
  [[nodiscard]] const flowmind::Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<flowmind::Filter> create_filter(const flowmind::Config& /*config*/) const override {
    return std::make_unique<PassFilter>();
  }

 private:
  flowmind::Schema schema_;
};

flowmind::Factory* handwritten_factory() {
  static HandwrittenFactory factory;
  return &factory;
}

}  // namespace

BOOST_DLL_ALIAS(handwritten_factory, flowmind_factory)
#endif
