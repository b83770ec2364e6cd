// The version and ABI rules, with engine versions the real engine does not have yet (e.g. an older minor).
#include "loader/plugin_compatibility.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flowmind/sdk_version.hpp"

namespace flowmind {
namespace {

using ::testing::HasSubstr;

const SdkIdentity engine{1, 3, "gcc-12;libstdc++-12-cxx11abi1;boost-108100;nlohmann-3.11"};

SdkIdentity plugin(int major, int minor, std::string tag = engine.abi_tag) { return {major, minor, std::move(tag)}; }

TEST(PluginCompatibility, EngineIdentityIsTheCompiledSdk) {
  const auto identity = engine_sdk_identity();
  EXPECT_EQ(identity.major, FLOWMIND_SDK_VERSION_MAJOR);
  EXPECT_EQ(identity.minor, FLOWMIND_SDK_VERSION_MINOR);
  EXPECT_EQ(identity.abi_tag, FLOWMIND_ABI_TAG);
  EXPECT_EQ(compatibility_problem(identity, identity), std::nullopt);
}

TEST(PluginCompatibility, AcceptsTheSameAndOlderMinorVersions) {
  EXPECT_EQ(compatibility_problem(plugin(1, 3), engine), std::nullopt);
  EXPECT_EQ(compatibility_problem(plugin(1, 2), engine), std::nullopt);
  EXPECT_EQ(compatibility_problem(plugin(1, 0), engine), std::nullopt);
}

TEST(PluginCompatibility, RefusesANewerMinorNamingBothVersions) {
  const auto problem = compatibility_problem(plugin(1, 4), engine);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(*problem,
            "built for FlowMind SDK 1.4, newer than this engine's SDK 1.3: a plugin may use an older minor version, "
            "not a newer one (upgrade the engine or rebuild the plugin against this engine's SDK)");
}

TEST(PluginCompatibility, RefusesAnyOtherMajorNamingBothVersions) {
  const auto newer = compatibility_problem(plugin(2, 0), engine);
  ASSERT_TRUE(newer.has_value());
  EXPECT_THAT(*newer, HasSubstr("built for FlowMind SDK 2.0 but this engine is SDK 1.3: the major version must match"));
  const auto older = compatibility_problem(plugin(0, 9), engine);
  ASSERT_TRUE(older.has_value());
  EXPECT_THAT(*older, HasSubstr("built for FlowMind SDK 0.9 but this engine is SDK 1.3"));
}

TEST(PluginCompatibility, RefusesAnotherAbiTagShowingBothTags) {
  const auto problem = compatibility_problem(plugin(1, 3, "clang-16;libc++-160000;boost-108100;nlohmann-3.11"), engine);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(*problem,
            "ABI mismatch: plugin built with 'clang-16;libc++-160000;boost-108100;nlohmann-3.11', this engine with "
            "'gcc-12;libstdc++-12-cxx11abi1;boost-108100;nlohmann-3.11' (rebuild the plugin with the same compiler, "
            "standard library, Boost and nlohmann_json as the engine)");
}

TEST(PluginCompatibility, ReportsTheVersionBeforeTheAbiWhenBothDiffer) {
  const auto problem = compatibility_problem(plugin(2, 0, "other"), engine);
  ASSERT_TRUE(problem.has_value());
  EXPECT_THAT(*problem, HasSubstr("major version must match"));
  EXPECT_THAT(*problem, ::testing::Not(HasSubstr("ABI")));
}

TEST(PluginCompatibility, RefusesMalformedVersions) {
  const auto problem = compatibility_problem(plugin(1, -1), engine);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(*problem, "reports the malformed FlowMind SDK version 1.-1 (this engine is SDK 1.3)");
  EXPECT_TRUE(compatibility_problem(plugin(-1, 0), engine).has_value());
}

}  // namespace
}  // namespace flowmind
