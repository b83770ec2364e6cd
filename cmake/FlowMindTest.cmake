# flowmind_add_test(): one GoogleTest executable, registered with CTest test by test.
#
#   flowmind_add_test(test_name SOURCES a_test.cpp ... [LIBRARIES ...] [LABELS ...])
include_guard(GLOBAL)

# Test code needs line tables, not full debug info or -O2: this halves the suite's build time. The
# asan preset sets "-O0;-g1": sanitizer instrumentation makes optimizing Beast code slow to build.
set(FLOWMIND_TEST_COMPILE_OPTIONS "-O1;-g1" CACHE STRING "Compile options of test code (overrides the build type's)")

function(flowmind_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE flowmind_test_support GTest::gtest GTest::gtest_main GTest::gmock
                                        ${ARG_LIBRARIES} flowmind_warnings)
  # Plugins loaded by the test bind to the executable's copies of header-only library statics.
  target_compile_options(${name} PRIVATE ${FLOWMIND_TEST_COMPILE_OPTIONS})
  set_target_properties(${name} PROPERTIES ENABLE_EXPORTS ON RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")
  # An empty LABELS value would vanish from the list and shift TIMEOUT into its place.
  set(test_properties TIMEOUT 300)
  if(ARG_LABELS)
    list(APPEND test_properties LABELS "${ARG_LABELS}")
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60 PROPERTIES ${test_properties})
endfunction()

# flowmind_add_test_library(): test code shared by several test executables (e.g. a Beast client),
# compiled once with the same flags as the tests.
#
#   flowmind_add_test_library(name SOURCES a.cpp ... [LIBRARIES ...])
function(flowmind_add_test_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_link_libraries(${name} PUBLIC ${ARG_LIBRARIES} PRIVATE flowmind_warnings)
  target_compile_options(${name} PRIVATE ${FLOWMIND_TEST_COMPILE_OPTIONS})
  target_include_directories(${name} PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}")
endfunction()
