# flowmind_add_plugin(): builds a plugin twice, as a loadable module and as an object library
# that unit tests link directly. Installed with the SDK, so out-of-tree plugins use it too.
#
#   flowmind_add_plugin(my_filter SOURCES my_filter.cpp [LIBRARIES ...])
#
# expects plugin.cpp (schema, factory, FLOWMIND_PLUGIN) beside the CMakeLists.txt. Targets:
#   <name>_logic         OBJECT library with SOURCES (link it from tests)
#   flowmind-<name>      MODULE, written as flowmind-<name>.so to FLOWMIND_PLUGIN_OUTPUT_DIR
include_guard(GLOBAL)

function(flowmind_add_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "flowmind_add_plugin(${name}): SOURCES is required (the plugin's logic)")
  endif()

  add_library(${name}_logic OBJECT ${ARG_SOURCES})
  target_link_libraries(${name}_logic PUBLIC FlowMind::sdk ${ARG_LIBRARIES})
  target_include_directories(${name}_logic PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  set_target_properties(${name}_logic PROPERTIES POSITION_INDEPENDENT_CODE ON)

  add_library(flowmind-${name} MODULE plugin.cpp)
  target_link_libraries(flowmind-${name} PRIVATE ${name}_logic)
  if(NOT DEFINED FLOWMIND_PLUGIN_OUTPUT_DIR)
    set(FLOWMIND_PLUGIN_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  set_target_properties(flowmind-${name} PROPERTIES PREFIX "" OUTPUT_NAME "flowmind-${name}"
                                                    LIBRARY_OUTPUT_DIRECTORY "${FLOWMIND_PLUGIN_OUTPUT_DIR}")
  # Every in-tree plugin, so end-to-end tests can depend on all of them.
  set_property(GLOBAL APPEND PROPERTY FLOWMIND_PLUGIN_TARGETS flowmind-${name})
  if(TARGET flowmind_warnings)
    target_link_libraries(${name}_logic PRIVATE flowmind_warnings)
    target_link_libraries(flowmind-${name} PRIVATE flowmind_warnings)
  endif()
  if(DEFINED FLOWMIND_PLUGIN_SUBDIR AND PROJECT_NAME STREQUAL "FlowMindStream")
    install(TARGETS flowmind-${name} LIBRARY DESTINATION "${FLOWMIND_PLUGIN_SUBDIR}")
  elseif(DEFINED FLOWMIND_SDK_PLUGIN_SUBDIR)
    # Out of tree (set by FlowMindConfig.cmake): the engine's layout, so <prefix>/bin/flowmind finds it.
    install(TARGETS flowmind-${name} LIBRARY DESTINATION "${FLOWMIND_SDK_PLUGIN_SUBDIR}")
  endif()
endfunction()
